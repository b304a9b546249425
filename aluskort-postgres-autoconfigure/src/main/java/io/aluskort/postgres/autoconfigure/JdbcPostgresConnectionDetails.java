package io.aluskort.postgres.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * {@link PostgresConnectionDetails} from Spring Boot's {@link JdbcConnectionDetails}, which
 * {@code @ServiceConnection} and Docker Compose support provide.
 */
final class JdbcPostgresConnectionDetails implements PostgresConnectionDetails {

	private final JdbcConnectionDetails delegate;

	JdbcPostgresConnectionDetails(JdbcConnectionDetails delegate) {
		this.delegate = delegate;
	}

	@Override
	public String getUrl() {
		return this.delegate.getJdbcUrl();
	}

	@Override
	public @Nullable String getUsername() {
		return this.delegate.getUsername();
	}

	@Override
	public @Nullable String getPassword() {
		return this.delegate.getPassword();
	}

	@Override
	public String getOrigin() {
		return "a JdbcConnectionDetails bean (" + this.delegate.getClass().getSimpleName() + ")";
	}

}
