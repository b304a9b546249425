package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection a client keeps outside its pool for a purpose, named
 * {@code <applicationName>-<purpose>} in {@code pg_stat_activity}.
 *
 * <p>One thread owns it: that thread opens and closes it. Any other thread may {@linkplain #abort abort}
 * it, which ends a wait on a server that stopped answering, where an interrupt would not.
 */
final class UnpooledConnection {

	private static final Logger logger = LoggerFactory.getLogger(UnpooledConnection.class);

	private final String jdbcUrl;

	private final String purpose;

	private final Properties properties;

	/** Written by the owning thread only. */
	private volatile @Nullable Connection connection;

	/**
	 * @param purpose what the connection is for, such as {@code health}
	 * @param connectTimeout how long opening it may take, or null for the configured connect timeout
	 */
	UnpooledConnection(PostgresClientConfig config, String purpose, @Nullable Duration connectTimeout) {
		this.jdbcUrl = config.jdbcUrl();
		this.purpose = purpose;
		this.properties = DriverProperties.of(config);
		this.properties.setProperty("ApplicationName", this.properties.getProperty("ApplicationName") + "-" + purpose);
		if (connectTimeout != null) {
			String seconds = Long.toString(DriverProperties.ceilSeconds(connectTimeout));
			this.properties.setProperty("connectTimeout", seconds);
			this.properties.setProperty("loginTimeout", seconds);
		}
		// Statements here are short (SELECT 1, LISTEN): one slower than a health check has lost its server.
		this.properties.setProperty("socketTimeout",
				Long.toString(DriverProperties.ceilSeconds(config.healthTimeout()) + 1));
		this.properties.setProperty("user", config.user());
		this.properties.setProperty("password", config.password());
	}

	/** The connection open now, or null. */
	@Nullable Connection current() {
		return this.connection;
	}

	/** Opens a new connection and keeps it; call {@link #close} first when one is open. */
	Connection open() throws SQLException {
		Connection connection = new Driver().connect(this.jdbcUrl, this.properties);
		if (connection == null) {
			throw new SQLException("pgjdbc does not accept " + this.jdbcUrl);
		}
		this.connection = connection;
		return connection;
	}

	/** Closes the connection, if one is open, and forgets it. Never throws. */
	void close() {
		Connection connection = this.connection;
		this.connection = null;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				logger.trace("Closing the {} connection failed", this.purpose, ex);
			}
		}
	}

	/**
	 * Closes the connection's socket at once, from any thread: its owner's wait on the server fails,
	 * and the server ends the backend. Never throws.
	 */
	void abort() {
		Connection connection = this.connection;
		if (connection != null) {
			try {
				connection.abort(Runnable::run);
			}
			catch (SQLException | RuntimeException ex) {
				logger.trace("Aborting the {} connection failed", this.purpose, ex);
			}
		}
	}

}
