package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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

	static CommandStatus execute(Connection connection, ParsedSql sql, @Nullable Object[] args,
			@Nullable JsonCodec codec) throws SQLException {
		return execute(connection, sql, args, codec, 0);
	}

	/**
	 * @param clientTail how many statements at the end of the text the client added (the {@code COMMIT}
	 * of a tenant's statement): their tags are not the caller's
	 */
	static CommandStatus execute(Connection connection, ParsedSql sql, @Nullable Object[] args,
			@Nullable JsonCodec codec, int clientTail) throws SQLException {
		Collector collector = run(connection, sql, args, codec, new Collector(false, false, clientTail), 0, 0);
		return new CommandStatus(collector.status);
	}

	/** Runs a string of statements and returns the tag of each, in order. */
	static List<String> executeEach(Connection connection, ParsedSql sql, @Nullable Object[] args,
			@Nullable JsonCodec codec) throws SQLException {
		return run(connection, sql, args, codec, new Collector(false, true, 0), 0, 0).statuses;
	}

	/**
	 * @param maxRows the most rows the server is asked for, or 0 for all
	 */
	static <T> List<T> fetch(Connection connection, ParsedSql sql, @Nullable Object[] args, @Nullable JsonCodec codec,
			int maxRows, RowMapping.Factory<T> rows) throws SQLException {
		return fetch(connection, sql, args, codec, maxRows, rows, 0);
	}

	/**
	 * @param clientTail as for {@link #execute(Connection, ParsedSql, Object[], JsonCodec, int)}
	 */
	static <T> List<T> fetch(Connection connection, ParsedSql sql, @Nullable Object[] args, @Nullable JsonCodec codec,
			int maxRows, RowMapping.Factory<T> rows, int clientTail) throws SQLException {
		try (OpenResult result = open(connection, run(connection, sql, args, codec, new Collector(true, false, clientTail),
				maxRows, 0), 0)) {
			if (result.resultSet == null) {
				return List.of();
			}
			RowMapping<T> mapping = result.mapping(rows);
			List<T> list = new ArrayList<>(result.rowCount);
			while (result.resultSet.next()) {
				list.add(mapping.map(result.resultSet));
			}
			return list;
		}
	}

	/**
	 * Runs a query and leaves its result open for the caller to read and close. With a fetch size and
	 * autocommit off, the server keeps a cursor and rows arrive a batch at a time as the result is read.
	 */
	static OpenResult query(Connection connection, ParsedSql sql, @Nullable Object[] args, @Nullable JsonCodec codec,
			int maxRows, int fetchSize) throws SQLException {
		return open(connection, run(connection, sql, args, codec, new Collector(true, false, 0), maxRows, fetchSize),
				fetchSize);
	}

	private static OpenResult open(Connection connection, Collector collector, int fetchSize) throws SQLException {
		BaseConnection pg = connection.unwrap(BaseConnection.class);
		if (collector.fields == null) {
			return new OpenResult(pg, null, null, null, 0);
		}
		Statement owner = pg.createStatement();
		try {
			owner.setFetchSize(fetchSize);
			ResultSet resultSet = ((BaseStatement) owner).createResultSet(collector.query, collector.fields,
					collector.tuples, collector.cursor);
			return new OpenResult(pg, owner, resultSet, collector.fields, collector.tuples.size());
		}
		catch (SQLException | RuntimeException ex) {
			owner.close();
			throw ex;
		}
	}

	/** Runs the statement and returns what the server sent, as the collector kept it. */
	static Collector run(Connection connection, ParsedSql sql, @Nullable Object[] args,
			@Nullable JsonCodec codec, Collector collector, int maxRows, int fetchSize) throws SQLException {
		BaseConnection pg = connection.unwrap(BaseConnection.class);
		QueryExecutor executor = pg.getQueryExecutor();
		CachedQuery cached = executor.borrowQuery(sql.jdbcSql());
		try {
			Query[] statements = cached.query.getSubqueries();
			collector.statementsSent((statements != null) ? statements.length : 1);
			ParameterList parameters = cached.query.createParameterList();
			ParameterBinder.bind(parameters, sql, args, codec);
			try {
				runOnce(pg, executor, cached, parameters, collector, maxRows, fetchSize);
			}
			catch (SQLException ex) {
				// A named statement whose plan went stale after DDL ("cached plan must not change result
				// type") heals when re-prepared, outside a transaction: pgjdbc's willHealOnRetry decides.
				if (statements != null || !executor.willHealOnRetry(ex)) {
					throw ex;
				}
				cached.query.close();
				// A fresh collector: the first one keeps the first attempt's error and would throw it again.
				Collector retry = collector.fresh();
				runOnce(pg, executor, cached, parameters, retry, maxRows, fetchSize);
				return retry;
			}
			return collector;
		}
		finally {
			executor.releaseQuery(cached);
		}
	}

	private static void runOnce(BaseConnection pg, QueryExecutor executor, CachedQuery cached,
			ParameterList parameters, Collector collector, int maxRows, int fetchSize) throws SQLException {
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
		if (pg.hintReadOnly()) {
			// A read-only Spring transaction: pgjdbc then begins it with BEGIN READ ONLY.
			flags |= QueryExecutor.QUERY_READ_ONLY_HINT;
		}
		boolean autoCommit = pg.getAutoCommit();
		if (autoCommit) {
			flags |= QueryExecutor.QUERY_SUPPRESS_BEGIN;
		}
		else if (fetchSize > 0) {
			// A cursor lives only inside a transaction; under autocommit pgjdbc would read everything.
			flags |= QueryExecutor.QUERY_FORWARD_CURSOR;
		}
		executor.execute(cached.query, parameters, collector, maxRows, autoCommit ? 0 : fetchSize, flags);
	}

	/** A result still open on its connection: close it to free the driver's statement and cursor. */
	static final class OpenResult implements AutoCloseable {

		private final BaseConnection connection;

		private final @Nullable Statement owner;

		final @Nullable ResultSet resultSet;

		private final Field @Nullable [] fields;

		final int rowCount;

		OpenResult(BaseConnection connection, @Nullable Statement owner, @Nullable ResultSet resultSet,
				Field @Nullable [] fields, int rowCount) {
			this.connection = connection;
			this.owner = owner;
			this.resultSet = resultSet;
			this.fields = fields;
			this.rowCount = rowCount;
		}

		<T> RowMapping<T> mapping(RowMapping.Factory<T> rows) throws SQLException {
			if (this.fields == null) {
				throw new IllegalStateException("no result");
			}
			return rows.forColumns(this.fields, this.connection.getTypeInfo());
		}

		@Override
		public void close() throws SQLException {
			if (this.owner != null) {
				this.owner.close();
			}
		}

	}

	/**
	 * Keeps what the server sent: the last command tag and, when rows are wanted, the last statement's
	 * rows (none when the last statement returned none, even if an earlier one did). Statements the
	 * client appended to the caller's text (its client tail) are not counted as the last. pgjdbc calls
	 * {@code handleCompletion} at the end of {@code execute}, which throws the first error the server
	 * reported.
	 */
	static final class Collector extends ResultHandlerBase {

		private final boolean wantsRows;

		private final boolean keepsEveryStatus;

		private final int clientTail;

		/** How many statements' results are the caller's; those after them are the client tail's. */
		private int callerStatements = Integer.MAX_VALUE;

		private int completedStatements;

		String status = "";

		List<String> statuses = List.of();

		@Nullable Query query;

		Field @Nullable [] fields;

		List<Tuple> tuples = List.of();

		@Nullable ResultCursor cursor;

		/** Whether the statement that runs now returned rows; pgjdbc reports them before its tag. */
		private boolean rowsOfThisStatement;

		/**
		 * @param clientTail how many statements at the end of the text the client added, whose results
		 * are not the caller's
		 */
		Collector(boolean wantsRows, boolean keepsEveryStatus, int clientTail) {
			this.wantsRows = wantsRows;
			this.keepsEveryStatus = keepsEveryStatus;
			this.clientTail = clientTail;
			if (keepsEveryStatus) {
				this.statuses = new ArrayList<>();
			}
		}

		/** A collector like this one that has seen nothing yet, for a retry. */
		Collector fresh() {
			Collector fresh = new Collector(this.wantsRows, this.keepsEveryStatus, this.clientTail);
			fresh.callerStatements = this.callerStatements;
			return fresh;
		}

		/** How many statements the text that runs holds, as pgjdbc split it. */
		void statementsSent(int statements) {
			this.callerStatements = statements - this.clientTail;
		}

		private boolean inClientTail() {
			return this.completedStatements >= this.callerStatements;
		}

		@Override
		public void handleResultRows(Query fromQuery, Field[] fields, List<Tuple> tuples,
				@Nullable ResultCursor cursor) {
			if (inClientTail()) {
				return;
			}
			if (this.wantsRows) {
				this.query = fromQuery;
				this.fields = fields;
				this.tuples = tuples;
				this.cursor = cursor;
			}
			this.rowsOfThisStatement = true;
		}

		/**
		 * Server warnings are dropped: pgjdbc 42.7.11's ResultHandlerBase kept them where nobody read
		 * them, and 42.7.14's leaves them to its subclasses.
		 */
		@Override
		public void handleWarning(SQLWarning warning) {
		}

		@Override
		public void handleCommandStatus(String status, long updateCount, long insertOID) {
			if (inClientTail()) {
				return;
			}
			this.completedStatements++;
			if (!this.rowsOfThisStatement) {
				this.query = null;
				this.fields = null;
				this.tuples = List.of();
				this.cursor = null;
			}
			this.rowsOfThisStatement = false;
			this.status = status;
			if (this.keepsEveryStatus) {
				this.statuses.add(status);
			}
		}

	}

}
