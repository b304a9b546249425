package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresServer;
import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.ParameterList;

/**
 * One connection per JMH fork to the embedded server, with a small {@code alerts} table, for the
 * benchmarks whose subject needs the driver's real objects: a {@link ParameterList} to bind into, or
 * the fields and rows of a result to decode. Nothing measured touches the network: the setup fetches
 * once, the benchmarks work on what was fetched.
 */
final class LocalDatabase {

	private static @Nullable BaseConnection connection;

	private LocalDatabase() {
	}

	static synchronized BaseConnection connection() throws SQLException {
		if (connection == null) {
			PostgresDatabase database = PostgresServer.shared().createDatabase("jmh");
			Connection opened = database.openConnection();
			try (Statement statement = opened.createStatement()) {
				statement.execute("""
						CREATE TABLE alerts (id bigserial PRIMARY KEY, tenant_id text NOT NULL,
						  created_at timestamptz NOT NULL, severity int NOT NULL, source text NOT NULL,
						  payload jsonb NOT NULL)""");
				statement.execute("""
						INSERT INTO alerts (tenant_id, created_at, severity, source, payload)
						SELECT 'tenant-' || (g % 50), timestamptz '2025-01-01 00:00:00+00' + g * interval '1 minute',
						       g % 5, 'sensor-' || (g % 1000),
						       jsonb_build_object('rule', 'rule-' || (g % 200), 'host', 'host-' || (g % 300),
						                          'score', (g % 100) / 10.0, 'tags', jsonb_build_array('net', 'edge'))
						FROM generate_series(1, 10000) AS g""");
			}
			connection = opened.unwrap(BaseConnection.class);
		}
		return connection;
	}

	/**
	 * Runs a statement through {@link StatementRunner}, {@code executions} times (past
	 * {@code prepareThreshold}, a named statement with binary results, as in a service's steady
	 * state), and returns what the last execution received.
	 */
	static StatementRunner.Collector fetch(String postgresSql, int executions, @Nullable Object... args)
			throws SQLException {
		BaseConnection pg = connection();
		ParsedSql sql = ParsedSql.parse(postgresSql);
		StatementRunner.Collector received = null;
		for (int i = 0; i < executions; i++) {
			received = StatementRunner.run(pg, sql, args, null, new StatementRunner.Collector(true, false, 0), 0, 0);
		}
		if (received == null || received.fields == null || received.query == null) {
			throw new IllegalStateException("No rows from " + postgresSql);
		}
		return received;
	}

}
