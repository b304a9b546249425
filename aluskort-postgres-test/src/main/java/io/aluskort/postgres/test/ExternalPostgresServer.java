package io.aluskort.postgres.test;

import java.sql.Connection;
import java.sql.SQLException;

import io.aluskort.postgres.PostgresClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server that someone else runs, named by {@link PostgresServer#URL_ENVIRONMENT_VARIABLE}. Tests
 * get databases on it but cannot stop or start it.
 */
final class ExternalPostgresServer extends PostgresServer {

	private static final Logger logger = LoggerFactory.getLogger(ExternalPostgresServer.class);

	private final PostgresClientConfig config;

	ExternalPostgresServer(String url) {
		// The client's own parser: the harness accepts exactly the URLs the client does.
		this.config = PostgresClientConfig.builder().dsn(url).build();
		try (Connection connection = connectAdmin()) {
			logger.info("Using the external PostgreSQL server {} ({})", describe(),
					connection.getMetaData().getDatabaseProductVersion());
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not connect to " + describe() + ", the server that "
					+ URL_ENVIRONMENT_VARIABLE + " names", ex);
		}
	}

	@Override
	public boolean controllable() {
		return false;
	}

	@Override
	public void stop() {
		throw notControllable("stopped");
	}

	@Override
	public void start() {
		throw notControllable("started");
	}

	@Override
	public void restart() {
		throw notControllable("restarted");
	}

	@Override
	public void enableTls(String certificateChainPem, String privateKeyPem) {
		throw notControllable("given a TLS certificate");
	}

	@Override
	public void disableTls() {
		throw notControllable("switched to plain TCP");
	}

	private UnsupportedOperationException notControllable(String what) {
		return new UnsupportedOperationException("The PostgreSQL server " + describe() + " is external ("
				+ URL_ENVIRONMENT_VARIABLE + ") and cannot be " + what + " by tests; skip such tests with "
				+ "Assumptions.assumeTrue(server.controllable())");
	}

	@Override
	PostgresClientConfig adminConfig() {
		return this.config;
	}

	@Override
	void ensureRunning() {
	}

	@Override
	String describe() {
		return this.config.user() + "@" + this.config.describeTarget();
	}

}
