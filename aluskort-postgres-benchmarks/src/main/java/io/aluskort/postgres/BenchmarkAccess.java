package io.aluskort.postgres;

import java.util.Properties;

import com.zaxxer.hikari.HikariConfig;

/**
 * What the load harness needs from the client's package: the pool settings {@link PostgresClient}
 * opens its pool with, so that the hand-written baseline runs on an identical pool. Lives in the
 * benchmarks module only; the client's own classes stay package-private.
 */
public final class BenchmarkAccess {

	private BenchmarkAccess() {
	}

	/** The pgjdbc connection properties of a client with this configuration. */
	public static Properties driverProperties(PostgresClientConfig config) {
		return DriverProperties.of(config);
	}

	/**
	 * A HikariCP configuration with the same URL, credentials, driver properties, sizes and timeouts
	 * as {@code PostgresClient.connect()} uses (see {@code PostgresClient#openPool}).
	 */
	public static HikariConfig samePoolAs(PostgresClientConfig config, String poolName) {
		HikariConfig hikari = new HikariConfig();
		hikari.setPoolName(poolName);
		hikari.setJdbcUrl(config.jdbcUrl());
		hikari.setUsername(config.user());
		hikari.setPassword(config.password());
		hikari.setDataSourceProperties(DriverProperties.of(config));
		hikari.setMinimumIdle(config.minSize());
		hikari.setMaximumPoolSize(config.maxSize());
		hikari.setConnectionTimeout(config.acquireTimeout().toMillis());
		hikari.setValidationTimeout(Math.min(5000, Math.max(250, config.acquireTimeout().toMillis() / 2)));
		hikari.setMaxLifetime(config.maxLifetime().toMillis());
		hikari.setIdleTimeout(config.idleTimeout().toMillis());
		hikari.setLeakDetectionThreshold(config.leakDetectionThreshold().toMillis());
		hikari.setInitializationFailTimeout(1);
		return hikari;
	}

}
