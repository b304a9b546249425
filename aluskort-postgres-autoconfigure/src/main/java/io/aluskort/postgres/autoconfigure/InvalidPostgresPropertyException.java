package io.aluskort.postgres.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A value of {@code aluskort.postgres.*}, or of the connection details that replace them, that the
 * client cannot work with. Thrown at startup; {@link InvalidPostgresPropertyFailureAnalyzer} explains
 * it. Never holds a password.
 */
public class InvalidPostgresPropertyException extends RuntimeException {

	private final String property;

	private final @Nullable String value;

	private final @Nullable String origin;

	private final String reason;

	private final String action;

	/**
	 * An invalid value.
	 * @param property the full property name, for example {@code aluskort.postgres.pool.min-size}
	 * @param value the value as written, passwords masked, or null when unknown
	 * @param origin where the value was set, or null when unknown
	 * @param reason what is wrong with it
	 * @param action how to fix it
	 * @param cause the client's own complaint
	 */
	public InvalidPostgresPropertyException(String property, @Nullable String value, @Nullable String origin,
			String reason, String action, @Nullable Throwable cause) {
		super("Invalid value " + ((value != null) ? "'" + value + "' " : "") + "for '" + property + "': " + reason,
				cause);
		this.property = property;
		this.value = value;
		this.origin = origin;
		this.reason = reason;
		this.action = action;
	}

	/** The full property name, for example {@code aluskort.postgres.pool.min-size}. */
	public String getProperty() {
		return this.property;
	}

	/** The value as written, with any password masked, or null when unknown. */
	public @Nullable String getValue() {
		return this.value;
	}

	/** Where the value was set (a file and line, or a bean), or null when unknown. */
	public @Nullable String getOrigin() {
		return this.origin;
	}

	/** What is wrong with the value. */
	public String getReason() {
		return this.reason;
	}

	/** How to fix it. */
	public String getAction() {
		return this.action;
	}

}
