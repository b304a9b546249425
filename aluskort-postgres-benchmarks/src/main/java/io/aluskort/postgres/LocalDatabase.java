package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresServer;
import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.CachedQuery;
import org.postgresql.core.Field;
import org.postgresql.core.ParameterList;
import org.postgresql.core.Query;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.ResultCursor;
import org.postgresql.core.ResultHandlerBase;
import org.postgresql.core.Tuple;

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
	 * Runs a statement the way {@link StatementRunner} does, {@code executions} times (past
	 * {@code prepareThreshold}, a named statement with binary results, as in a service's steady
	 * state), and returns what the last execution received.
	 */
	static Captured fetch(String postgresSql, int executions, @Nullable Object... args) throws SQLException {
		BaseConnection pg = connection();
		ParsedSql sql = ParsedSql.parse(postgresSql);
		QueryExecutor executor = pg.getQueryExecutor();
		Captured captured = null;
		for (int i = 0; i < executions; i++) {
			CachedQuery cached = executor.borrowQuery(sql.jdbcSql());
			try {
				ParameterList parameters = cached.query.createParameterList();
				ParameterBinder.bind(parameters, sql, args, null);
				cached.increaseExecuteCount();
				int flags = QueryExecutor.QUERY_SUPPRESS_BEGIN;
				if (cached.getExecuteCount() < pg.getPrepareThreshold()) {
					flags |= QueryExecutor.QUERY_ONESHOT;
				}
				captured = new Captured();
				executor.execute(cached.query, parameters, captured, 0, 0, flags);
			}
			finally {
				executor.releaseQuery(cached);
			}
		}
		if (captured == null || captured.fields == null || captured.query == null) {
			throw new IllegalStateException("No rows from " + postgresSql);
		}
		return captured;
	}

	/** A query's result as the driver received it. */
	static final class Captured extends ResultHandlerBase {

		@Nullable Query query;

		Field @Nullable [] fields;

		List<Tuple> tuples = List.of();

		@Nullable ResultCursor cursor;

		@Override
		public void handleResultRows(Query fromQuery, Field[] fields, List<Tuple> tuples,
				@Nullable ResultCursor cursor) {
			this.query = fromQuery;
			this.fields = fields;
			this.tuples = tuples;
			this.cursor = cursor;
		}

		@Override
		public void handleCommandStatus(String status, long updateCount, long insertOID) {
		}

	}

}
