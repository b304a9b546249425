package io.aluskort.postgres.test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import io.aluskort.postgres.PostgresClientConfig;
import io.aluskort.postgres.SslMode;

/**
 * A database of its own for a test class, on the JVM's {@link PostgresServer}: where it is, who to
 * log in as, and ready-made ways to connect. {@link PostgresTest @PostgresTest} injects it.
 *
 * <pre class="code">
 * &#64;PostgresTest
 * class OrderRepositoryTests {
 *
 *     &#64;Test
 *     void savesOrders(PostgresDatabase database) throws SQLException {
 *         try (Connection connection = database.openConnection()) { ... }
 *     }
 *
 * }
 * </pre>
 */
public final class PostgresDatabase {

	private final PostgresServer server;

	private final String name;

	PostgresDatabase(PostgresServer server, String name) {
		this.server = server;
		this.name = name;
	}

	/** The server, for fault tests: stop, start, restart, terminate connections. */
	public PostgresServer server() {
		return this.server;
	}

	public String host() {
		return this.server.host();
	}

	public int port() {
		return this.server.port();
	}

	/** The database's name, unique to the test class. */
	public String name() {
		return this.name;
	}

	public String user() {
		return this.server.user();
	}

	public String password() {
		return this.server.password();
	}

	/**
	 * The JDBC URL of the database, as {@code jdbc:postgresql://127.0.0.1:54321/test_name_1a2b3c4d};
	 * without credentials, with the TLS mode and driver parameters of an external server's URL.
	 */
	public String jdbcUrl() {
		return this.server.jdbcUrl(this.name) + query();
	}

	/**
	 * The database as a libpq connection URI with credentials, as
	 * {@code postgresql://postgres:postgres@127.0.0.1:54321/test_name_1a2b3c4d}. It holds the
	 * password: do not log it.
	 */
	public String dsn() {
		String host = host();
		String hostPart = (host.indexOf(':') >= 0) ? "[" + host + "]" : host;
		return "postgresql://" + encode(user()) + ":" + encode(password()) + "@" + hostPart + ":" + port() + "/"
				+ this.name + query();
	}

	/**
	 * A client configuration builder filled in with this database: host, port, database, user,
	 * password, and an external server's TLS mode and driver properties. Pool sizes and timeouts are
	 * left at their defaults, to change before {@code build()}.
	 */
	public PostgresClientConfig.Builder clientConfig() {
		PostgresClientConfig server = this.server.adminConfig();
		PostgresClientConfig.Builder builder = PostgresClientConfig.builder()
			.host(host())
			.port(port())
			.database(this.name)
			.user(user())
			.password(password());
		SslMode sslMode = server.sslMode();
		if (sslMode != null) {
			builder.sslMode(sslMode);
		}
		server.driverProperties().forEach(builder::driverProperty);
		return builder;
	}

	/** A new plain JDBC connection to the database; the caller closes it. */
	public Connection openConnection() throws SQLException {
		return DriverManager.getConnection(this.server.jdbcUrl(this.name), this.server.connectionProperties());
	}

	/**
	 * Terminates every connection to this database; the server's
	 * {@link PostgresServer#terminateBackends(String) terminateBackends} for this database.
	 * @return how many connections were terminated
	 */
	public int terminateBackends() {
		return this.server.terminateBackends(this.name);
	}

	private String query() {
		PostgresClientConfig server = this.server.adminConfig();
		Map<String, String> parameters = new LinkedHashMap<>();
		SslMode sslMode = server.sslMode();
		if (sslMode != null) {
			parameters.put("sslmode", sslMode.parameterValue());
		}
		parameters.putAll(server.driverProperties());
		if (parameters.isEmpty()) {
			return "";
		}
		StringJoiner query = new StringJoiner("&", "?", "");
		parameters.forEach((name, value) -> query.add(encode(name) + "=" + encode(value)));
		return query.toString();
	}

	/** Percent-encoding for a URI part; a space is {@code %20}, since {@code +} means itself there. */
	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

	/** Names the database and its server; never the password. */
	@Override
	public String toString() {
		return "PostgresDatabase[" + user() + "@" + host() + ":" + port() + "/" + this.name + "]";
	}

}
