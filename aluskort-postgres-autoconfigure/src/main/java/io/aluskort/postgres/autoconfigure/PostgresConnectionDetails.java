package io.aluskort.postgres.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the auto-configured {@link io.aluskort.postgres.PostgresClient} connects, when it does not
 * come from {@code aluskort.postgres.*}. A bean of this type wins over the properties' url, host, port
 * and database. The auto-configuration makes one from a {@code JdbcConnectionDetails} bean (what
 * {@code @ServiceConnection} and Docker Compose support provide); define your own to connect
 * elsewhere.
 */
public interface PostgresConnectionDetails extends ConnectionDetails {

	/**
	 * The server: a {@code jdbc:postgresql://} URL or a {@code postgresql://} URI.
	 * @return the connection string
	 */
	String getUrl();

	/**
	 * The login user, or null for the one inside the url (or the properties' username).
	 * @return the user
	 */
	default @Nullable String getUsername() {
		return null;
	}

	/**
	 * The login password, or null for the one inside the url (or the properties' password).
	 * @return the password
	 */
	default @Nullable String getPassword() {
		return null;
	}

	/**
	 * Names where these details come from, for startup failure messages.
	 * @return a short description, for example {@code "a JdbcConnectionDetails bean"}
	 */
	default String getOrigin() {
		return "a " + getClass().getSimpleName() + " bean";
	}

}
