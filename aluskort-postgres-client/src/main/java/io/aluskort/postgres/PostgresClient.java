package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A pooled PostgreSQL client: HikariCP, the PostgreSQL JDBC driver and Spring's transaction support,
 * behind a handful of calls.
 *
 * <pre>{@code
 * try (PostgresClient db = new PostgresClient(PostgresClientConfig.builder().host("db").build())) {
 *     db.connect();
 *     CommandStatus status = db.execute("INSERT INTO alerts(tenant_id, severity) VALUES ($1, $2)", "t1", 3);
 *     List<Map<String, Object>> rows = db.fetchMany("SELECT * FROM alerts WHERE tenant_id = $1", "t1");
 * }
 * }</pre>
 *
 * <p>The statement calls are those of {@link PostgresOperations}. Failures are Spring
 * {@code DataAccessException}s translated from the server's SQLState ({@code BadSqlGrammarException},
 * {@code DuplicateKeyException}, {@code QueryTimeoutException}, ...), with the driver's exception, and
 * so the SQLState, as the cause.
 *
 * <p>Calls join a Spring-managed transaction on the client's {@link #dataSource()} when one is open on
 * the calling thread ({@code @Transactional} with a {@code DataSourceTransactionManager} or a
 * {@code JpaTransactionManager} on that pool, or {@link #transaction}): they run on its connection and
 * commit or roll back with it. Thread-safe.
 */
public class PostgresClient extends Operations implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(PostgresClient.class);

	private final PostgresClientConfig config;

	private final CallGate gate = new CallGate();

	private final Object lifecycleMonitor = new Object();

	private volatile @Nullable Connected connected;

	/**
	 * A client for the given configuration. Nothing is opened until {@link #connect()}.
	 */
	public PostgresClient(PostgresClientConfig config) {
		this(config, null);
	}

	/**
	 * A client for the given configuration that tells the listener about every call it runs.
	 * Nothing is opened until {@link #connect()}.
	 * @param callListener told about each call when it ends, or null for no timing at all
	 */
	public PostgresClient(PostgresClientConfig config, @Nullable CallListener callListener) {
		super(new ClientCore(config, callListener));
		this.config = config;
	}

	/** The configuration this client was made with. */
	public PostgresClientConfig config() {
		return this.config;
	}

	/**
	 * Opens the pool: {@code minSize} idle connections, at most {@code maxSize}. Fails fast when the
	 * first connection cannot be opened.
	 * @throws CannotGetJdbcConnectionException naming host, port, database and user (never the
	 * password) when the server is unreachable or refuses the login
	 * @throws IllegalStateException when already connected, or closed
	 */
	public void connect() {
		synchronized (this.lifecycleMonitor) {
			if (this.gate.isClosed()) {
				throw new IllegalStateException("PostgresClient for " + this.config.describeTarget()
						+ " is closed; create a new one");
			}
			if (this.connected != null) {
				throw new IllegalStateException(
						"PostgresClient for " + this.config.describeTarget() + " is already connected");
			}
			HikariDataSource pool = PoolFactory.open(this.config);
			this.connected = new Connected(pool, new HealthProbe(this.config),
					new NotificationListener(this.config, this.core));
			logger.info("PostgresClient connected to {} as {} (pool {}..{}, statement timeout {})",
					this.config.describeTarget(), this.config.user(), this.config.minSize(), this.config.maxSize(),
					this.config.statementTimeout());
		}
	}

	/**
	 * Runs the callback in one transaction on one connection: commits when it returns, rolls back when
	 * it throws and rethrows the same exception. Called inside another transaction (another
	 * {@code transaction} callback, or a Spring transaction on the client's pool, JPA's included), it
	 * sets a savepoint in that one instead: its failure rolls back its own work only, and its work
	 * commits or rolls back with the outer transaction. A savepoint covers what reached the server:
	 * changes JPA holds unflushed are not part of it.
	 * @throws TransactionOutcomeUnknownException when the connection failed while COMMIT was on its
	 * way, so that the transaction may or may not have committed
	 * @throws PoolExhaustedException when no pooled connection came free within the acquire timeout
	 */
	public <T extends @Nullable Object> T transaction(TransactionCallback<T> callback) {
		Connected connected = admit();
		return runTransaction(connected, connected.transactionTemplate, null, callback);
	}

	/**
	 * {@link #transaction(TransactionCallback)} with an isolation level, read-only, deferrable, a timeout
	 * of its own, or {@link TransactionOptions#retries(int) retries} of serialization failures and
	 * deadlocks. Inside another transaction, where it is a savepoint, only options that transaction
	 * already has are accepted (see {@link TransactionOptions}).
	 * @throws IllegalArgumentException when the options contradict each other
	 * @throws IllegalTransactionStateException naming the options, when called inside another
	 * transaction with options a savepoint cannot have; nothing has run then
	 */
	public <T extends @Nullable Object> T transaction(TransactionOptions options,
			TransactionCallback<T> callback) {
		options.validate();
		Connected connected = admit();
		TransactionTemplate template = new TransactionTemplate(connected.transactionManager);
		template.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		if (options.isolation() != null) {
			template.setIsolationLevel(isolationLevel(options.isolation()));
		}
		template.setReadOnly(options.readOnly());
		if (options.timeout() != null) {
			template.setTimeout((int) DriverProperties.ceilSeconds(options.timeout()));
		}
		return runTransaction(connected, template, options, callback);
	}

	private static int isolationLevel(TransactionOptions.Isolation isolation) {
		return switch (isolation) {
			case READ_COMMITTED -> TransactionDefinition.ISOLATION_READ_COMMITTED;
			case REPEATABLE_READ -> TransactionDefinition.ISOLATION_REPEATABLE_READ;
			case SERIALIZABLE -> TransactionDefinition.ISOLATION_SERIALIZABLE;
		};
	}

	/** The caller has been admitted; this exits. Only an outermost transaction can be run again. */
	private <T extends @Nullable Object> T runTransaction(Connected connected, TransactionTemplate template,
			@Nullable TransactionOptions options, TransactionCallback<T> callback) {
		long start = this.core.startTiming();
		Throwable failure = null;
		try {
			if (options != null && connected.transactionManager.isTransactionRunning()) {
				requireApplicableInside(options);
			}
			int retries = (options != null) ? options.retries() : 0;
			return TransactionRetry.run(retries, () -> runOnce(connected, template, options, callback));
		}
		catch (RuntimeException | Error ex) {
			failure = ex;
			throw ex;
		}
		finally {
			this.gate.exit();
			this.core.completed(CallListener.TRANSACTION, start, failure);
		}
	}

	/**
	 * Refuses options that the savepoint a nested transaction becomes cannot have: a timeout, deferrable,
	 * retries (the outer transaction's failure, not the savepoint's, is what could be run again), and an
	 * isolation level or read-only that the running transaction does not have already. Spring's own
	 * participating transactions fail the same way, with the same exception, when told to validate.
	 */
	private static void requireApplicableInside(TransactionOptions options) {
		List<String> refused = new ArrayList<>();
		TransactionOptions.Isolation isolation = options.isolation();
		Integer running = TransactionSynchronizationManager.getCurrentTransactionIsolationLevel();
		if (isolation != null && (running == null || running != isolationLevel(isolation))) {
			refused.add("isolation " + isolation + " (the running transaction has " + describeIsolation(running) + ")");
		}
		if (options.readOnly() && !TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
			refused.add("readOnly (the running transaction is read-write)");
		}
		if (options.deferrable()) {
			refused.add("deferrable");
		}
		if (options.timeout() != null) {
			refused.add("timeout " + options.timeout());
		}
		if (options.retries() > 0) {
			refused.add("retries " + options.retries());
		}
		if (!refused.isEmpty()) {
			throw new IllegalTransactionStateException("transaction(options, ...) was called inside a running "
					+ "transaction, where it is a savepoint, which cannot have " + String.join(", ", refused)
					+ ": give these options to the outermost transaction, or call this one outside any");
		}
	}

	private static String describeIsolation(@Nullable Integer level) {
		if (level == null) {
			return "the server's default";
		}
		for (TransactionOptions.Isolation isolation : TransactionOptions.Isolation.values()) {
			if (isolationLevel(isolation) == level) {
				return isolation.name();
			}
		}
		return "JDBC isolation level " + level;
	}

	private <T extends @Nullable Object> T runOnce(Connected connected, TransactionTemplate template,
			@Nullable TransactionOptions options, TransactionCallback<T> callback) {
		try {
			return template.execute((status) -> {
				ScopedTransaction tx = new ScopedTransaction(connected.pool,
						options != null && options.timeout() != null && status.isNewTransaction());
				try {
					String setup = (options != null && status.isNewTransaction()) ? options.setupSql() : null;
					if (setup != null) {
						tx.execute(setup);
						if (options.timeout() != null) {
							this.core.allowStatementTimeout(connected.pool, options.timeout());
						}
					}
					return callback.doInTransaction(tx);
				}
				finally {
					tx.active = false;
				}
			});
		}
		catch (RuntimeException ex) {
			throw this.core.transactionFailure(connected.pool, ex);
		}
	}

	/**
	 * The same calls for one tenant: each statement runs in a transaction that first binds the tenant
	 * to the {@link TenantPolicy#setting() setting} the server's row-level security policies read.
	 * See {@link TenantClient} for what that costs.
	 * @throws InvalidTenantIdException when the id is empty, longer than the policy allows or does not
	 * match its pattern; nothing is sent then
	 */
	public TenantClient forTenant(String tenantId) {
		return new TenantClient(this, tenantId);
	}

	/**
	 * The same calls with another statement timeout: each runs in a transaction (the caller's, or one of
	 * its own) that first sets {@code SET LOCAL statement_timeout}. Inside a caller's transaction the
	 * setting lasts until that transaction ends.
	 */
	public PostgresOperations withStatementTimeout(Duration statementTimeout) {
		Objects.requireNonNull(statementTimeout, "statementTimeout");
		if (statementTimeout.isZero() || statementTimeout.isNegative()) {
			throw new IllegalArgumentException("statementTimeout (" + statementTimeout + ") must be positive");
		}
		return new TimeoutView(statementTimeout);
	}

	/**
	 * Calls the handler with every notification sent on the channel from now on, until the subscription
	 * is closed. Returns once the server listens on the channel: a notification committed after that is
	 * delivered.
	 *
	 * <p>The subscriptions of a client share one connection of their own, outside the pool, opened by
	 * the first call, and one thread, which calls the handlers one at a time in the order the server
	 * sent the notifications: keep handlers short, or hand their work on. A handler's exception is
	 * logged, and delivery goes on. When the connection drops, the client reconnects with a backoff (of
	 * at most 10 s between attempts) and listens on every channel again; notifications sent meanwhile
	 * are lost, since PostgreSQL keeps none for a session that is not listening.
	 * @param channel an identifier: a letter or {@code _}, then letters, digits, {@code _} or {@code $},
	 * at most 63 bytes. It is quoted, so it is used as given, case included
	 * @throws IllegalArgumentException naming the channel when it is not such an identifier
	 * @throws CannotGetJdbcConnectionException when the connection to listen on cannot be opened
	 * @throws IllegalStateException before {@link #connect()} and after {@link #close()}
	 */
	public Subscription listen(String channel, Consumer<Notification> handler) {
		return requireConnected().listener.listen(channel, handler);
	}

	/**
	 * Whether the server answers {@code SELECT 1} within the health timeout. Never throws; false before
	 * {@link #connect()} and after {@link #close()}.
	 */
	public boolean healthCheck() {
		return probeHealth().up();
	}

	/**
	 * Probes the server like {@link #healthCheck()}, and says what it found. The probe uses a connection
	 * of its own, so an exhausted pool does not make a live server look down.
	 */
	public HealthStatus probeHealth() {
		Connected connected = this.connected;
		if (connected == null) {
			return HealthStatus.down(Duration.ZERO, "IllegalStateException", "PostgresClient is not connected");
		}
		if (this.gate.isClosed()) {
			return HealthStatus.down(Duration.ZERO, "IllegalStateException", "PostgresClient is closed");
		}
		return connected.healthProbe.check();
	}

	/** A snapshot of the pool's connections and waiting callers. */
	public PoolStats poolStats() {
		HikariDataSource pool = requireConnected().pool;
		HikariPoolMXBean bean = pool.getHikariPoolMXBean();
		if (bean == null) {
			return new PoolStats(0, 0, 0, 0, pool.getMaximumPoolSize());
		}
		return new PoolStats(bean.getActiveConnections(), bean.getIdleConnections(), bean.getTotalConnections(),
				bean.getThreadsAwaitingConnection(), pool.getMaximumPoolSize());
	}

	/**
	 * The pool, for code that needs a {@link DataSource} (Flyway, JdbcClient, {@code @Transactional}):
	 * all of it then shares one pool with this client. Do not close it; close the client.
	 */
	public DataSource dataSource() {
		return requireConnected().pool;
	}

	/**
	 * Refuses new calls at once, lets calls already running (open streams included) and a running
	 * notification handler finish for up to the shutdown timeout, then closes the pool and the listening
	 * connection, aborting whatever still runs. Idempotent; does nothing before {@link #connect()}.
	 */
	@Override
	public void close() {
		synchronized (this.lifecycleMonitor) {
			Connected connected = this.connected;
			if (connected == null || this.gate.isClosed()) {
				return;
			}
			long deadline = System.nanoTime() + this.config.shutdownTimeout().toNanos();
			connected.listener.stop();
			boolean drained;
			try {
				drained = this.gate.closeAndAwait(this.config.shutdownTimeout());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				drained = false;
			}
			if (!drained) {
				logger.warn("PostgresClient for {}: {} call(s) still running after the shutdown timeout of {}; aborting them",
						this.config.describeTarget(), this.gate.running(), this.config.shutdownTimeout());
			}
			connected.listener.awaitStopped(deadline);
			connected.healthProbe.close();
			connected.pool.close();
			logger.info("PostgresClient for {} closed", this.config.describeTarget());
		}
	}

	private Connected requireConnected() {
		Connected connected = this.connected;
		if (connected == null) {
			throw notConnected();
		}
		return connected;
	}

	private IllegalStateException notConnected() {
		return new IllegalStateException(
				"PostgresClient for " + this.config.describeTarget() + " is not connected: call connect() first");
	}

	/**
	 * Lets a call in. Once closing, a call is still let in when it belongs to a transaction that is
	 * already running on this thread: that is not a new call, and refusing it would break the work the
	 * drain waits for.
	 */
	private Connected admit() {
		Connected connected = this.connected;
		if (connected == null) {
			throw notConnected();
		}
		if (!this.gate.tryEnter()) {
			if (!TransactionSynchronizationManager.hasResource(connected.pool)) {
				throw new IllegalStateException("PostgresClient for " + this.config.describeTarget() + " is closed");
			}
			this.gate.enterRegardless();
		}
		return connected;
	}

	@Override
	DataSource enter() {
		return admit().pool;
	}

	@Override
	void exit() {
		this.gate.exit();
	}

	@Override
	<R> R atomically(String operation, String sql, ConnectionWork<R> work) {
		Connected connected = admit();
		try {
			return connected.transactionTemplate.execute((status) -> perform(operation, sql, work));
		}
		catch (RuntimeException ex) {
			throw this.core.transactionFailure(connected.pool, ex);
		}
		finally {
			this.gate.exit();
		}
	}

	/** What exists between {@link #connect()} and {@link #close()}. */
	private static final class Connected {

		final HikariDataSource pool;

		final ClientTransactionManager transactionManager;

		final TransactionTemplate transactionTemplate;

		final HealthProbe healthProbe;

		final NotificationListener listener;

		Connected(HikariDataSource pool, HealthProbe healthProbe, NotificationListener listener) {
			this.pool = pool;
			this.healthProbe = healthProbe;
			this.listener = listener;
			this.transactionManager = new ClientTransactionManager(pool);
			this.transactionTemplate = new TransactionTemplate(this.transactionManager);
			// Outside a transaction NESTED starts one; inside one it sets a savepoint.
			this.transactionTemplate.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		}

	}

	/** The statements of one {@link #transaction} call; usable only while its callback runs. */
	private final class ScopedTransaction extends Operations implements Transaction {

		private final DataSource pool;

		/** Whether calls check the deadline of a transaction with a timeout before they start. */
		private final boolean timed;

		volatile boolean active = true;

		ScopedTransaction(DataSource pool, boolean timed) {
			super(PostgresClient.this.core);
			this.pool = pool;
			this.timed = timed;
		}

		@Override
		DataSource enter() {
			if (!this.active) {
				throw new IllegalStateException("This transaction has ended; use the Transaction only inside its callback");
			}
			if (this.timed && TransactionSynchronizationManager.getResource(this.pool) instanceof ConnectionHolder holder
					&& holder.hasTimeout()) {
				// Throws TransactionTimedOutException once the deadline has passed.
				holder.getTimeToLiveInMillis();
			}
			return this.pool;
		}

		@Override
		void exit() {
		}

		@Override
		<R> R atomically(String operation, String sql, ConnectionWork<R> work) {
			return perform(operation, sql, work);
		}

	}

	/** The client's calls, each in a transaction that first sets its own statement timeout. */
	private final class TimeoutView extends Operations {

		private final Duration statementTimeout;

		private final String setup;

		TimeoutView(Duration statementTimeout) {
			super(PostgresClient.this.core);
			this.statementTimeout = statementTimeout;
			this.setup = "SET LOCAL statement_timeout = " + DriverProperties.ceilMillis(statementTimeout);
		}

		@Override
		DataSource enter() {
			return admit().pool;
		}

		@Override
		void exit() {
			PostgresClient.this.gate.exit();
		}

		@Override
		<R> R atomically(String operation, String sql, ConnectionWork<R> work) {
			return perform(operation, sql, work);
		}

		@Override
		<R> R perform(String operation, String sql, ConnectionWork<R> work) {
			return transaction((tx) -> ((ScopedTransaction) tx).perform(operation, sql, (connection) -> {
				setTimeout(connection);
				return work.doWith(connection);
			}));
		}

		@Override
		void beforeStream(Connection connection) throws SQLException {
			setTimeout(connection);
		}

		private void setTimeout(Connection connection) throws SQLException {
			this.core.allowStatementTimeout(connection, this.statementTimeout);
			StatementRunner.execute(connection, this.core.sqlCache.get(this.setup), new Object[0], null);
		}

	}

}
