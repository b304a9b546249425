package io.aluskort.postgres.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import io.aluskort.postgres.PostgresClientConfig;
import io.aluskort.postgres.SslMode;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL server that tests in this JVM use: started once, on first use, from the binaries on
 * the class path, or an external server that the {@value #URL_ENVIRONMENT_VARIABLE} environment
 * variable (or the {@value #URL_PROPERTY} system property) names.
 *
 * <p>The embedded server listens on {@code 127.0.0.1} on a free port, with superuser
 * {@value #EMBEDDED_USER} and password {@value #EMBEDDED_PASSWORD} (checked with
 * {@code scram-sha-256}, so that a wrong password fails as it would in production). Its data is
 * throwaway ({@code fsync} is off) and it is stopped and deleted when the JVM exits. Fault tests can
 * {@link #stop()}, {@link #start()} and {@link #restart()} it, and {@link #terminateBackends(String)
 * kill the connections} to a database; an external server only supports the last, and tests that
 * need the others should check {@link #controllable()} first:
 *
 * <pre class="code">
 * Assumptions.assumeTrue(database.server().controllable(), "needs the embedded server");
 * </pre>
 *
 * <p>There is one server per JVM: stopping it affects every test class, so fault tests must not run
 * in parallel with others. A class that leaves it stopped does not break the next: the server is
 * started again before the next database is created or dropped.
 *
 * <p>Most tests get a database through {@link PostgresTest @PostgresTest} rather than from here.
 */
public abstract sealed class PostgresServer permits EmbeddedPostgresServer, ExternalPostgresServer {

	/**
	 * Environment variable holding the URL of an external server to use instead of the embedded
	 * one, as {@code postgresql://user:password@host:5432/postgres} or
	 * {@code jdbc:postgresql://host:5432/postgres?user=...&password=...}. The user must be allowed to
	 * create databases; the database in the URL is the one it connects to for that.
	 */
	public static final String URL_ENVIRONMENT_VARIABLE = "ALUSKORT_TEST_POSTGRES_URL";

	/** System property that does what {@link #URL_ENVIRONMENT_VARIABLE} does, and wins over it. */
	public static final String URL_PROPERTY = "aluskort.test.postgres.url";

	/** The superuser of the embedded server. */
	public static final String EMBEDDED_USER = "postgres";

	/** The password of the embedded server's superuser. */
	public static final String EMBEDDED_PASSWORD = "postgres";

	private static final int MAX_DATABASE_NAME_HINT = 40;

	private static @Nullable PostgresServer shared;

	private static @Nullable RuntimeException sharedFailure;

	PostgresServer() {
	}

	/**
	 * The server of this JVM, started on first use.
	 * @throws IllegalStateException if it could not be started (then every later call fails too,
	 * rather than waiting for another start that would fail the same way)
	 */
	public static synchronized PostgresServer shared() {
		if (shared != null) {
			return shared;
		}
		if (sharedFailure != null) {
			throw new IllegalStateException("PostgreSQL could not be started earlier in this JVM", sharedFailure);
		}
		try {
			String url = externalUrl();
			shared = (url != null) ? new ExternalPostgresServer(url) : EmbeddedPostgresServer.startShared();
			return shared;
		}
		catch (RuntimeException ex) {
			sharedFailure = ex;
			throw ex;
		}
	}

	private static @Nullable String externalUrl() {
		String url = System.getProperty(URL_PROPERTY);
		if (url == null || url.isBlank()) {
			url = System.getenv(URL_ENVIRONMENT_VARIABLE);
		}
		return (url == null || url.isBlank()) ? null : url.trim();
	}

	/** Where the server listens, {@code 127.0.0.1} for the embedded server. */
	public String host() {
		return adminConfig().host();
	}

	/** The port the server listens on; the embedded server keeps it across {@link #restart()}. */
	public int port() {
		return adminConfig().port();
	}

	/** The user tests connect as. */
	public String user() {
		return adminConfig().user();
	}

	/** That user's password. */
	public String password() {
		return adminConfig().password();
	}

	/** Whether {@link #stop()}, {@link #start()} and {@link #restart()} work: false for an external server. */
	public abstract boolean controllable();

	/**
	 * Stops the server (a fast shutdown: connections are closed, data is kept) and waits until it is
	 * gone. Does nothing if it is stopped already.
	 * @throws UnsupportedOperationException if the server is external
	 */
	public abstract void stop();

	/**
	 * Starts the server again, on the same port with the same data, and waits until it accepts
	 * connections. Does nothing if it is running.
	 * @throws UnsupportedOperationException if the server is external
	 */
	public abstract void start();

	/**
	 * {@link #stop() Stops} and {@link #start() starts} the server.
	 * @throws UnsupportedOperationException if the server is external
	 */
	public abstract void restart();

	/**
	 * Turns TLS on while the server runs (no restart): it then offers TLS with this certificate chain
	 * and private key, both PEM, and waits until a new connection can use it. Settings made with
	 * {@code ALTER SYSTEM}, so they outlive a {@link #restart()}: call {@link #disableTls()} when done.
	 * @throws UnsupportedOperationException if the server is external
	 */
	public abstract void enableTls(String certificateChainPem, String privateKeyPem);

	/**
	 * Turns TLS off again, and waits until new connections see that.
	 * @throws UnsupportedOperationException if the server is external
	 */
	public abstract void disableTls();

	/**
	 * Creates an empty database with a unique name made from the hint, such as
	 * {@code test_ordertests_5f3a9c21}.
	 * @param nameHint a word that says who the database is for, such as the test class's name
	 * @return the new database
	 */
	public PostgresDatabase createDatabase(String nameHint) {
		String name = uniqueDatabaseName(nameHint);
		ensureRunning();
		try (Connection connection = connectAdmin(); Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + quoteIdentifier(name));
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database " + name + " on " + describe(), ex);
		}
		return new PostgresDatabase(this, name);
	}

	/**
	 * Drops a database, after terminating the connections to it. Does nothing if there is no such
	 * database.
	 * @param name the database's name
	 */
	public void dropDatabase(String name) {
		ensureRunning();
		try (Connection connection = connectAdmin(); Statement statement = connection.createStatement()) {
			terminateBackends(connection, name);
			// FORCE deals with connections made since, and with autovacuum workers.
			statement.execute("DROP DATABASE IF EXISTS " + quoteIdentifier(name) + " WITH (FORCE)");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not drop database " + name + " on " + describe(), ex);
		}
	}

	/**
	 * Terminates every client connection to a database ({@code pg_terminate_backend}), and waits up to
	 * five seconds for each to end. Clients see SQLState {@code 57P01} ("terminating connection due
	 * to administrator command") or a closed connection on their next use.
	 * @param database the database's name
	 * @return how many connections were terminated
	 */
	public int terminateBackends(String database) {
		try (Connection connection = connectAdmin()) {
			return terminateBackends(connection, database);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not terminate the connections to " + database + " on "
					+ describe(), ex);
		}
	}

	private static int terminateBackends(Connection connection, String database) throws SQLException {
		// Choose the victims first: a WHERE clause does not promise to filter before it calls a function.
		String sql = """
				WITH victim AS MATERIALIZED (
				    SELECT pid FROM pg_stat_activity
				    WHERE datname = ? AND backend_type = 'client backend' AND pid <> pg_backend_pid())
				SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM victim""";
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setString(1, database);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getInt(1);
			}
		}
	}

	/** The server's address and user, and the database the harness connects to for administration. */
	abstract PostgresClientConfig adminConfig();

	/** Makes sure the server runs before the harness uses it (a test may have left it stopped). */
	abstract void ensureRunning();

	/** Names the server in messages. */
	abstract String describe();

	Connection connectAdmin() throws SQLException {
		return connect(adminConfig().database());
	}

	/** A plain JDBC connection to a database on this server. */
	Connection connect(String database) throws SQLException {
		Properties properties = connectionProperties();
		// Harness statements are short; never hang a build on a server that stopped answering.
		properties.setProperty("socketTimeout", "60");
		return DriverManager.getConnection(jdbcUrl(database), properties);
	}

	String jdbcUrl(String database) {
		String host = host();
		String hostPart = (host.indexOf(':') >= 0) ? "[" + host + "]" : host;
		return "jdbc:postgresql://" + hostPart + ":" + port() + "/" + database;
	}

	/** Credentials, TLS mode and driver properties for pgjdbc. */
	Properties connectionProperties() {
		PostgresClientConfig config = adminConfig();
		Properties properties = new Properties();
		properties.putAll(config.driverProperties());
		properties.setProperty("user", config.user());
		properties.setProperty("password", config.password());
		SslMode sslMode = config.sslMode();
		if (sslMode != null) {
			properties.setProperty("sslmode", sslMode.parameterValue());
		}
		properties.putIfAbsent("connectTimeout", "5");
		properties.putIfAbsent("ApplicationName", "aluskort-postgres-test");
		return properties;
	}

	static String uniqueDatabaseName(String nameHint) {
		String hint = nameHint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
		if (hint.length() > MAX_DATABASE_NAME_HINT) {
			hint = hint.substring(0, MAX_DATABASE_NAME_HINT);
		}
		String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
		return "test_" + (hint.isEmpty() ? "" : hint + "_") + suffix;
	}

	static String quoteIdentifier(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

}
