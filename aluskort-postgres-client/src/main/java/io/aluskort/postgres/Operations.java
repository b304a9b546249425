package io.aluskort.postgres;

import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.InvalidDataAccessApiUsageException;

/**
 * Every statement-level call, written once for every view of a client: the client itself, a tenant's,
 * a statement timeout's, a transaction's, and any combination of these. What makes one view differ
 * from another is its {@link View}; each call here parses and checks its statement before it takes a
 * connection. The {@link Transaction} a callback is handed is one too, so that a transaction's views
 * combine like the client's.
 */
final class Operations implements Transaction {

	private static final Logger logger = LoggerFactory.getLogger(Operations.class);

	private static final Object[] NO_ARGS = {};

	private static final String NOTIFY = "SELECT pg_notify($1, $2)";

	private final ClientCore core;

	private final View view;

	Operations(ClientCore core, View view) {
		this.core = core;
		this.view = view;
	}

	@Override
	public Transaction forTenant(String tenantId) {
		return forCheckedTenant(this.core.tenancy.policy.checkTenantId(tenantId));
	}

	/** This view for a tenant id the policy has accepted already. */
	Operations forCheckedTenant(String tenantId) {
		return new Operations(this.core, this.view.forTenant(tenantId));
	}

	/**
	 * @throws IllegalArgumentException when the timeout is zero or negative
	 */
	@Override
	public Transaction withStatementTimeout(Duration statementTimeout) {
		return new Operations(this.core, this.view.withTimeout(StatementTimeout.of(statementTimeout)));
	}

	/**
	 * Runs a call of one statement; with a statement timeout of the view's own it runs atomically,
	 * since the timeout is set with {@code SET LOCAL}, which needs a transaction.
	 */
	private <R> R perform(Operation operation, String sql, ConnectionWork<R> work) {
		return (this.view.timeout() != null) ? atomically(operation, sql, work) : call(operation, sql, work);
	}

	/**
	 * Runs work that spans several statements in one transaction, after setting the view's statement
	 * timeout in it.
	 */
	private <R> R atomically(Operation operation, String sql, ConnectionWork<R> work) {
		StatementTimeout timeout = this.view.timeout();
		ConnectionWork<R> prepared = (timeout == null) ? work : (connection) -> {
			timeout.apply(connection, this.core);
			return work.doWith(connection);
		};
		return this.view.scope().atomically(() -> call(operation, sql, prepared));
	}

	/** Runs one call: admission, connection, exception translation, timing. */
	private <R> R call(Operation operation, String sql, ConnectionWork<R> work) {
		Scope scope = this.view.scope();
		DataSource dataSource = scope.enter();
		long start = this.core.startTiming();
		Throwable failure = null;
		try {
			return this.core.run(dataSource, operation, sql, work);
		}
		catch (RuntimeException | Error ex) {
			failure = ex;
			throw ex;
		}
		finally {
			scope.exit();
			this.core.completed(operation, start, failure);
		}
	}

	/**
	 * Parses a statement, and refuses here, before anything is sent, one that controls the transaction
	 * and, in an unscoped view, one on a tenant table.
	 */
	private ParsedSql parse(String sql) {
		ParsedSql parsed = this.core.sqlCache.get(sql);
		String control = parsed.transactionControl();
		if (control != null) {
			// Run alone it would hand its connection back with the transaction open; in a transaction it
			// would end or fork the one the transaction manager keeps.
			throw new InvalidDataAccessApiUsageException(control + " cannot run through a statement call: it "
					+ "would leave or break a transaction on a pooled connection. Run the statements in "
					+ "transaction(tx -> ...) or a @Transactional method instead");
		}
		if (this.view.tenant() == null) {
			this.core.tenancy.checkUnscoped(parsed);
		}
		return parsed;
	}

	private ParsedSql checked(String sql, @Nullable Object[] args) {
		ParsedSql parsed = parse(sql);
		parsed.checkArgumentCount(args);
		return parsed;
	}

	/**
	 * Runs the caller's statement as this view sends it. A tenant-scoped view sends the binding before
	 * it, in the same message: in a transaction block of its own outside a transaction (see
	 * {@link Tenancy}), which is rolled back when the statement fails.
	 */
	private <R> ConnectionWork<R> sending(String sql, @Nullable Object[] args, Sender<R> sender) {
		ParsedSql parsed = checked(sql, args);
		String tenant = this.view.tenant();
		if (tenant == null) {
			return (connection) -> sender.send(connection, parsed, args, 0);
		}
		Tenancy tenancy = this.core.tenancy;
		@Nullable Object[] scopedArgs = Tenancy.withTenant(args, tenant);
		return (connection) -> {
			if (!connection.getAutoCommit()) {
				OpenStreams.checkBinding(connection, tenant);
				return sender.send(connection, tenancy.scoped(sql), scopedArgs, 0);
			}
			try {
				return sender.send(connection, tenancy.standalone(sql), scopedArgs, Tenancy.STANDALONE_TAIL);
			}
			catch (SQLException | RuntimeException ex) {
				Tenancy.endFailedBlock(connection, ex);
				throw ex;
			}
		};
	}

	/**
	 * Work that cannot carry the binding in its own message (a batch, COPY TO), preceded by binding
	 * this view's tenant; the caller runs it in a transaction.
	 */
	private <R> ConnectionWork<R> bound(ConnectionWork<R> work) {
		if (this.view.tenant() == null) {
			return work;
		}
		return (connection) -> {
			bindTenant(connection);
			return work.doWith(connection);
		};
	}

	private void bindTenant(Connection connection) throws SQLException {
		String tenant = this.view.tenant();
		if (tenant != null) {
			OpenStreams.checkBinding(connection, tenant);
			this.core.tenancy.bind(connection, tenant);
		}
	}

	private static @Nullable Object[] orEmpty(@Nullable Object @Nullable [] args) {
		return (args != null) ? args : NO_ARGS;
	}

	@Override
	public CommandStatus execute(String sql, @Nullable Object... args) {
		return perform(Operation.EXECUTE, sql, sending(sql, orEmpty(args), (connection, parsed, arguments,
				clientTail) -> StatementRunner.execute(connection, parsed, arguments, this.core.jsonCodec, clientTail)));
	}

	@Override
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public Optional<Map<String, Object>> fetchOne(String sql, @Nullable Object... args) {
		return (Optional) first(Operation.FETCH_ONE, sql, orEmpty(args), RowReader.FACTORY);
	}

	@Override
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public List<Map<String, Object>> fetchMany(String sql, @Nullable Object... args) {
		return (List) all(Operation.FETCH_MANY, sql, orEmpty(args), RowReader.FACTORY);
	}

	@Override
	public <T> Optional<T> fetchOne(Class<T> type, String sql, @Nullable Object... args) {
		return first(Operation.FETCH_ONE, sql, orEmpty(args), TypedRows.rows(type, this.core.jsonCodec));
	}

	@Override
	public <T> List<T> fetchMany(Class<T> type, String sql, @Nullable Object... args) {
		return all(Operation.FETCH_MANY, sql, orEmpty(args), TypedRows.rows(type, this.core.jsonCodec));
	}

	@Override
	public <T> Optional<T> fetchValue(Class<T> type, String sql, @Nullable Object... args) {
		return first(Operation.FETCH_VALUE, sql, orEmpty(args), TypedRows.firstColumn(type, this.core.jsonCodec));
	}

	private <T> Optional<T> first(Operation operation, String sql, @Nullable Object[] args,
			RowMapping.Factory<T> rows) {
		List<T> list = fetch(operation, sql, args, 1, rows);
		return list.isEmpty() ? Optional.empty() : Optional.ofNullable(list.get(0));
	}

	private <T> List<T> all(Operation operation, String sql, @Nullable Object[] args, RowMapping.Factory<T> rows) {
		return fetch(operation, sql, args, 0, rows);
	}

	private <T> List<T> fetch(Operation operation, String sql, @Nullable Object[] args, int maxRows,
			RowMapping.Factory<T> rows) {
		return perform(operation, sql, sending(sql, args, (connection, parsed, arguments, clientTail) -> StatementRunner
			.fetch(connection, parsed, arguments, this.core.jsonCodec, maxRows, rows, clientTail)));
	}

	@Override
	public long[] executeBatch(String sql, List<? extends @Nullable Object[]> rows) {
		ParsedSql parsed = parse(sql);
		Batches.checkRows(parsed, rows);
		if (rows.isEmpty()) {
			return new long[0];
		}
		return atomically(Operation.EXECUTE_BATCH, sql,
				bound((connection) -> Batches.execute(connection, parsed, rows, this.core.jsonCodec)));
	}

	@Override
	public long copyIn(String table, List<String> columns, Iterable<? extends @Nullable Object[]> rows) {
		return copy(table, columns, rows.iterator());
	}

	@Override
	public long copyIn(String table, List<String> columns, Stream<? extends @Nullable Object[]> rows) {
		return copy(table, columns, rows.iterator());
	}

	@Override
	public <T extends Record> long copyIn(String table, Class<T> type, Iterable<T> rows) {
		Iterator<T> records = rows.iterator();
		return copy(table, CopySupport.columnsOf(type), new Iterator<Object[]>() {

			@Override
			public boolean hasNext() {
				return records.hasNext();
			}

			@Override
			public Object[] next() {
				return CopySupport.valuesOf(records.next());
			}

		});
	}

	private long copy(String table, List<String> columns, Iterator<? extends @Nullable Object[]> rows) {
		String statement = CopySupport.copyInStatement(table, columns);
		parse(statement);
		String tenant = this.view.tenant();
		if (tenant != null) {
			return atomically(Operation.COPY_IN, statement, (connection) -> {
				OpenStreams.checkBinding(connection, tenant);
				return this.core.tenancy.copyIn(connection, tenant, table, columns, rows, this.core.jsonCodec);
			});
		}
		return perform(Operation.COPY_IN, statement,
				(connection) -> CopySupport.copyIn(connection, statement, columns.size(), rows, this.core.jsonCodec));
	}

	@Override
	public long copyOut(String query, OutputStream out) {
		ParsedSql parsed = parse(query);
		ConnectionWork<Long> work = (connection) -> CopySupport.copyOut(connection, parsed, query, out);
		// COPY runs in a sub-protocol of its own, which cannot carry the binding in its message.
		return (this.view.tenant() != null) ? atomically(Operation.COPY_OUT, query, bound(work))
				: perform(Operation.COPY_OUT, query, work);
	}

	@Override
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public Stream<Map<String, Object>> stream(String sql, @Nullable Object... args) {
		return (Stream) openStream(sql, orEmpty(args), RowReader.FACTORY);
	}

	@Override
	public <T> Stream<T> stream(Class<T> type, String sql, @Nullable Object... args) {
		return openStream(sql, orEmpty(args), TypedRows.rows(type, this.core.jsonCodec));
	}

	@Override
	public void sendNotification(String channel, String payload) {
		Channels.require(channel);
		Objects.requireNonNull(payload, "payload");
		ParsedSql parsed = this.core.sqlCache.get(NOTIFY);
		Object[] args = { channel, payload };
		perform(Operation.NOTIFY, NOTIFY,
				(connection) -> StatementRunner.execute(connection, parsed, args, this.core.jsonCodec));
	}

	/**
	 * Opens a cursor. Outside a transaction the stream opens one of its own, since a cursor lives only
	 * inside one (pgjdbc would otherwise read the whole result into memory); it commits when the rows
	 * were read without error and rolls back otherwise. The call counts as running until the stream is
	 * closed, so that closing the client waits for open streams.
	 */
	private <T> Stream<T> openStream(String sql, @Nullable Object[] args, RowMapping.Factory<T> rows) {
		ParsedSql parsed = checked(sql, args);
		DataSource dataSource = this.view.scope().enter();
		long start = this.core.startTiming();
		Connection connection = null;
		boolean ownTransaction = false;
		OpenStreams recorded = null;
		try {
			connection = this.core.borrow(dataSource);
			if (connection.getAutoCommit()) {
				connection.setAutoCommit(false);
				ownTransaction = true;
			}
			else {
				recorded = OpenStreams.opened(connection, this.view.tenant());
			}
			StatementTimeout timeout = this.view.timeout();
			if (timeout != null) {
				timeout.apply(connection, this.core);
			}
			bindTenant(connection);
			StatementRunner.OpenResult result = StatementRunner.query(connection, parsed, args, this.core.jsonCodec, 0,
					STREAM_FETCH_SIZE);
			RowMapping<T> mapping = (result.resultSet != null) ? result.mapping(rows) : null;
			boolean endsTransaction = ownTransaction;
			OpenStreams guard = recorded;
			RowStream<T> cursor = new RowStream<>(connection, result, mapping, sql, this.core,
					(held, failure) -> release(dataSource, held, sql, endsTransaction, guard, start, failure));
			return StreamSupport.stream(cursor, false).onClose(cursor::close);
		}
		catch (SQLException ex) {
			RuntimeException translated = this.core.translate(Operation.STREAM.tagValue(), sql, ex);
			releaseAfterFailedOpen(dataSource, connection, sql, ownTransaction, recorded, start, translated);
			throw translated;
		}
		catch (RuntimeException | Error ex) {
			releaseAfterFailedOpen(dataSource, connection, sql, ownTransaction, recorded, start, ex);
			throw ex;
		}
	}

	private void releaseAfterFailedOpen(DataSource dataSource, @Nullable Connection connection, String sql,
			boolean ownTransaction, @Nullable OpenStreams recorded, long start, Throwable failure) {
		if (connection != null) {
			release(dataSource, connection, sql, ownTransaction, recorded, start, failure);
		}
		else {
			this.view.scope().exit();
			this.core.completed(Operation.STREAM, start, failure);
		}
	}

	/**
	 * @param recorded the record of the streams open in the caller's transaction that counts this one,
	 * or null
	 */
	private void release(DataSource dataSource, Connection connection, String sql, boolean ownTransaction,
			@Nullable OpenStreams recorded, long start, @Nullable Throwable failure) {
		try {
			if (recorded != null) {
				recorded.closed(connection);
			}
			if (ownTransaction) {
				try {
					if (failure == null) {
						connection.commit();
					}
					else {
						connection.rollback();
					}
				}
				finally {
					connection.setAutoCommit(true);
				}
			}
		}
		catch (SQLException ex) {
			logger.debug("Ending a stream's transaction failed with SQLState {}", ex.getSQLState());
		}
		finally {
			this.core.release(connection, dataSource, Operation.STREAM, sql);
			this.view.scope().exit();
			this.core.completed(Operation.STREAM, start, failure);
		}
	}

	/** Sends a statement of the caller's, as this view made it, and reads what the server answered. */
	@FunctionalInterface
	private interface Sender<R> {

		/**
		 * @param clientTail how many statements at the end of the text the client added
		 */
		R send(Connection connection, ParsedSql parsed, @Nullable Object[] args, int clientTail) throws SQLException;

	}

}
