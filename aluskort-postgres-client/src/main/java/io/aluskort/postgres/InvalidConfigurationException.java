package io.aluskort.postgres;

import org.jspecify.annotations.Nullable;

/**
 * A value of a {@link PostgresClientConfig} or {@link TenantPolicy} that is out of range or malformed,
 * refused by its builder. It names the builder's setting, so that whatever set the value (the
 * Spring Boot starter's properties, for one) can say which of its own settings to fix. Its message
 * never quotes a password or a connection string.
 */
public class InvalidConfigurationException extends IllegalArgumentException {

	private final String setting;

	InvalidConfigurationException(String setting, String message) {
		this(setting, message, null);
	}

	InvalidConfigurationException(String setting, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.setting = setting;
	}

	/**
	 * The builder method that set the value, for example {@code maxSize} for
	 * {@link PostgresClientConfig.Builder#maxSize(int)}: {@code dsn} for anything read from the
	 * connection string.
	 */
	public String setting() {
		return this.setting;
	}

}
