package io.aluskort.postgres.autoconfigure;

/**
 * The auto-configured client could not open its first connection at startup: the server is not
 * there, refuses the login, or has no such database. {@link PostgresConnectionFailureAnalyzer}
 * explains it. Names host, port, database and user; never the password.
 */
public class PostgresConnectionFailureException extends RuntimeException {

	private final String target;

	private final String user;

	private final String configuredBy;

	private final String reason;

	/**
	 * A failed connection.
	 * @param target the server as {@code host:port/database}
	 * @param user the login user
	 * @param configuredBy what set the target, for example {@code aluskort.postgres.url}
	 * @param reason what the driver said, with no password in it
	 * @param cause the client's exception
	 */
	public PostgresConnectionFailureException(String target, String user, String configuredBy, String reason,
			Throwable cause) {
		super("Cannot connect to PostgreSQL at " + target + " as user '" + user + "': " + reason, cause);
		this.target = target;
		this.user = user;
		this.configuredBy = configuredBy;
		this.reason = reason;
	}

	/** The server as {@code host:port/database}. */
	public String getTarget() {
		return this.target;
	}

	/** The login user. */
	public String getUser() {
		return this.user;
	}

	/** What set the target: properties, or a connection details bean. */
	public String getConfiguredBy() {
		return this.configuredBy;
	}

	/** What the driver said, with no password in it. */
	public String getReason() {
		return this.reason;
	}

}
