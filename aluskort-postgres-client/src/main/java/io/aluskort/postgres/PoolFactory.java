package io.aluskort.postgres;

import java.sql.SQLException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import com.zaxxer.hikari.util.DriverDataSource;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Opens the HikariCP pool of a client's configuration: its URL, credentials, driver properties, sizes
 * and timeouts.
 */
final class PoolFactory {

	/** The client's: a failed connect is the client's to report. */
	private static final Logger logger = LoggerFactory.getLogger(PostgresClient.class);

	private static final String POOL_NAME = "aluskort-postgres";

	private PoolFactory() {
	}

	/**
	 * Opens the pool, with one connection taken at once.
	 * @throws CannotGetJdbcConnectionException naming host, port, database and user (never the password)
	 * when the server is unreachable or refuses the login
	 */
	static HikariDataSource open(PostgresClientConfig config) {
		HikariConfig hikari = new HikariConfig();
		hikari.setPoolName(POOL_NAME);
		configure(hikari, config);
		// The DataSource HikariCP would make from the jdbcUrl and the driver properties, made here: at DEBUG,
		// HikariCP logs its configuration with every driver property but "password" in clear, and the
		// driver properties may hold secrets (sslpassword). It shows the DataSource by its class name only.
		hikari.setDataSource(new DriverDataSource(config.jdbcUrl(), Driver.class.getName(),
				DriverProperties.of(config), config.user(), config.password()));
		try {
			return new HikariDataSource(hikari);
		}
		catch (HikariPool.PoolInitializationException ex) {
			SQLException cause = (ex.getCause() instanceof SQLException sql) ? sql
					: new SQLException(String.valueOf(ex.getCause()), ex.getCause());
			String message = "Cannot connect to PostgreSQL at " + config.describeTarget() + " as user '"
					+ config.user() + "': " + cause.getMessage();
			logger.warn(message);
			throw new CannotGetJdbcConnectionException(message, cause);
		}
	}

	/**
	 * Gives a HikariCP configuration the URL, credentials, sizes and timeouts of a client's pool; the
	 * connections' driver properties are the caller's to set.
	 */
	static void configure(HikariConfig hikari, PostgresClientConfig config) {
		hikari.setJdbcUrl(config.jdbcUrl());
		hikari.setUsername(config.user());
		hikari.setPassword(config.password());
		hikari.setMinimumIdle(config.minSize());
		hikari.setMaximumPoolSize(config.maxSize());
		hikari.setConnectionTimeout(config.acquireTimeout().toMillis());
		hikari.setValidationTimeout(Math.min(5000, Math.max(250, config.acquireTimeout().toMillis() / 2)));
		hikari.setMaxLifetime(config.maxLifetime().toMillis());
		hikari.setIdleTimeout(config.idleTimeout().toMillis());
		hikari.setLeakDetectionThreshold(config.leakDetectionThreshold().toMillis());
		// One attempt at startup: a service that cannot reach its database should say so at once.
		hikari.setInitializationFailTimeout(1);
	}

}
