package io.aluskort.postgres;

import java.time.Duration;
import java.util.Properties;

/**
 * The pgjdbc connection properties every connection of a client is opened with, pooled or not.
 * User and password are not among them: HikariCP takes those separately and masks the password.
 */
final class DriverProperties {

	/**
	 * How often a backend busy with a long query checks that its client is still there. Without it a
	 * query whose connection was aborted (a pool closed past its drain timeout) runs on until it ends.
	 */
	static final Duration CLIENT_CONNECTION_CHECK_INTERVAL = Duration.ofSeconds(1);

	/** The oldest PostgreSQL the client supports. */
	static final String MIN_SERVER_VERSION = "16";

	private DriverProperties() {
	}

	static Properties of(PostgresClientConfig config) {
		Properties properties = new Properties();
		properties.setProperty("ApplicationName", config.applicationName());
		// With a server version assumed, pgjdbc sends application_name in the startup packet instead of
		// a SET after login: it then is the session's default, which a reset (DISCARD ALL) keeps.
		properties.setProperty("assumeMinServerVersion", MIN_SERVER_VERSION);
		properties.setProperty("connectTimeout", Long.toString(ceilSeconds(config.connectTimeout())));
		properties.setProperty("loginTimeout", Long.toString(ceilSeconds(config.connectTimeout())));
		properties.setProperty("tcpKeepAlive", "true");
		if (config.sslMode() != null) {
			properties.setProperty("sslmode", config.sslMode().parameterValue());
		}
		config.driverProperties().forEach((name, value) -> {
			if (!"options".equals(name)) {
				properties.setProperty(name, value);
			}
		});
		properties.setProperty("options", options(config));
		// The config's value, which already took the driver property's into account.
		properties.setProperty("socketTimeout",
				config.socketTimeout().isZero() ? "0" : Long.toString(ceilSeconds(config.socketTimeout())));
		// Server error details quote the offending values (a unique violation's "Key (id)=(42)"); they
		// stay out of exception messages and logs, whatever the driver properties say. The SQLState and
		// constraint name remain.
		properties.setProperty("logServerErrorDetail", "false");
		return properties;
	}

	/**
	 * The statement timeout is the server's {@code statement_timeout}, so the server itself cancels a
	 * statement that runs too long: no client timer thread, no cancel request over a second socket.
	 */
	private static String options(PostgresClientConfig config) {
		String options = "-c statement_timeout=" + ceilMillis(config.statementTimeout())
				+ " -c client_connection_check_interval=" + CLIENT_CONNECTION_CHECK_INTERVAL.toMillis();
		String extra = config.driverProperties().get("options");
		return (extra != null && !extra.isBlank()) ? options + " " + extra : options;
	}

	/**
	 * The duration in whole milliseconds, rounded up, and at least one: the unit of
	 * {@code statement_timeout}, where 0 would turn the timeout off.
	 */
	static long ceilMillis(Duration duration) {
		long millis = duration.toMillis() + ((duration.getNano() % 1_000_000 > 0) ? 1 : 0);
		return Math.max(1, millis);
	}

	static long ceilSeconds(Duration duration) {
		long seconds = duration.getSeconds() + ((duration.getNano() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

}
