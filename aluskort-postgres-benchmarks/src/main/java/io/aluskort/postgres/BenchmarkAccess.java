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
	 * as {@code PostgresClient.connect()} uses (see {@code PoolFactory}). The driver properties are
	 * HikariCP's data source properties here, so that the harness can add one of its own.
	 */
	public static HikariConfig samePoolAs(PostgresClientConfig config, String poolName) {
		HikariConfig hikari = new HikariConfig();
		hikari.setPoolName(poolName);
		PoolFactory.configure(hikari, config);
		hikari.setDataSourceProperties(DriverProperties.of(config));
		return hikari;
	}

}
