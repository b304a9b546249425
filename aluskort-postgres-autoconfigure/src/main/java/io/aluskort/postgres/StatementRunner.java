package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.BaseStatement;
import org.postgresql.core.CachedQuery;
import org.postgresql.core.Field;
import org.postgresql.core.ParameterList;
import org.postgresql.core.Query;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.ResultCursor;
import org.postgresql.core.ResultHandlerBase;
import org.postgresql.core.Tuple;

/**
 * Runs one statement on one connection through pgjdbc's protocol layer, so that the command tag the
 * server sends ({@code INSERT 0 1}, {@code CREATE TABLE}, ...) reaches the caller.
 *
 * <p>pgjdbc's JDBC statements drop the tag: {@code PgStatement}'s result handler keeps only the
 * update count. This class talks to the layer beneath them instead, {@link QueryExecutor} and
 * {@link org.postgresql.core.ResultHandler}, the interfaces {@code PgStatement} itself uses, and
 * repeats what {@code PgStatement.executeInternal} does around them (pgjdbc 42.7.x, the version Spring
 * Boot 4.0.7 manages): the same per-connection statement cache ({@code borrowQuery}), the same
 * {@code prepareThreshold} rule for switching to named server-side statements, the same BEGIN
 * suppression under autocommit, and the same single retry when a cached plan went stale. Rows are
 * decoded by the driver's own {@code PgResultSet}, made by {@link BaseStatement#createResultSet}.
 * {@code CommandTagTest} and {@code ServerPreparedStatementTest} pin each of these to a real server, so
 * a driver upgrade that changes them fails the build rather than the services.
 */
final class StatementRunner {

	private StatementRunner() {
	}

	static CommandStatus execute(Connection connection, ParsedSql sql, @Nullable Object[] args)
			throws SQLException {
		Collector collector = run(connection, sql, args, false, 0);
		return new CommandStatus(collector.status);
	}

	/**
	 * @param maxRows the most rows the server is asked for, or 0 for all
	 */
	static List<Map<String, @Nullable Object>> fetch(Connection connection, ParsedSql sql, @Nullable Object[] args,
			int maxRows) throws SQLException {
		Collector collector = run(connection, sql, args, true, maxRows);
		if (collector.fields == null) {
			return List.of();
		}
		BaseConnection pg = connection.unwrap(BaseConnection.class);
		try (Statement owner = pg.createStatement();
				ResultSet resultSet = ((BaseStatement) owner).createResultSet(collector.query, collector.fields,
						collector.tuples, collector.cursor)) {
			RowReader reader = RowReader.of(collector.fields, pg.getTypeInfo());
			List<Map<String, @Nullable Object>> rows = new ArrayList<>(collector.tuples.size());
			while (resultSet.next()) {
				rows.add(reader.read(resultSet));
			}
			return rows;
		}
	}

	private static Collector run(Connection connection, ParsedSql sql, @Nullable Object[] args, boolean wantsRows,
			int maxRows) throws SQLException {
		BaseConnection pg = connection.unwrap(BaseConnection.class);
		QueryExecutor executor = pg.getQueryExecutor();
		CachedQuery cached = executor.borrowQuery(sql.jdbcSql());
		try {
			ParameterList parameters = cached.query.createParameterList();
			ParameterBinder.bind(parameters, sql, args);
			try {
				return runOnce(pg, executor, cached, parameters, wantsRows, maxRows);
			}
			catch (SQLException ex) {
				// A named statement whose plan went stale after DDL ("cached plan must not change result
				// type") heals when re-prepared, outside a transaction: pgjdbc's willHealOnRetry decides.
				if (cached.query.getSubqueries() != null || !executor.willHealOnRetry(ex)) {
					throw ex;
				}
				cached.query.close();
				return runOnce(pg, executor, cached, parameters, wantsRows, maxRows);
			}
		}
		finally {
			executor.releaseQuery(cached);
		}
	}

	private static Collector runOnce(BaseConnection pg, QueryExecutor executor, CachedQuery cached,
			ParameterList parameters, boolean wantsRows, int maxRows) throws SQLException {
		// Without BOTH_ROWS_AND_STATUS pgjdbc reports the tag of a statement that produced rows (SELECT,
		// INSERT ... RETURNING) only while it has not described the statement yet. QUERY_NO_RESULTS is
		// never used: it makes pgjdbc ask for one row, so a statement returning more ends suspended,
		// without its tag; execute() reads such rows and drops them instead.
		int flags = QueryExecutor.QUERY_BOTH_ROWS_AND_STATUS;
		cached.increaseExecuteCount();
		int threshold = pg.getPrepareThreshold();
		if (threshold == 0 || cached.getExecuteCount() < threshold) {
			flags |= QueryExecutor.QUERY_ONESHOT;
		}
		if (pg.getAutoCommit()) {
			flags |= QueryExecutor.QUERY_SUPPRESS_BEGIN;
		}
		Collector collector = new Collector(wantsRows);
		executor.execute(cached.query, parameters, collector, maxRows, 0, flags);
		return collector;
	}

	/**
	 * Keeps what the server sent: the last command tag and, when rows are wanted, the last result's
	 * rows. pgjdbc calls {@code handleCompletion} at the end of {@code execute}, which throws the first
	 * error the server reported.
	 */
	private static final class Collector extends ResultHandlerBase {

		private final boolean wantsRows;

		String status = "";

		@Nullable Query query;

		Field @Nullable [] fields;

		List<Tuple> tuples = List.of();

		@Nullable ResultCursor cursor;

		Collector(boolean wantsRows) {
			this.wantsRows = wantsRows;
		}

		@Override
		public void handleResultRows(Query fromQuery, Field[] fields, List<Tuple> tuples,
				@Nullable ResultCursor cursor) {
			if (this.wantsRows) {
				this.query = fromQuery;
				this.fields = fields;
				this.tuples = tuples;
				this.cursor = cursor;
			}
		}

		@Override
		public void handleCommandStatus(String status, long updateCount, long insertOID) {
			this.status = status;
		}

	}

}
