package io.aluskort.postgres;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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
 *
 * <p>Views run the same calls for a tenant ({@link #forTenant}) or with a statement timeout of their
 * own ({@link #withStatementTimeout}), and combine with each other and with a transaction:
 *
 * <pre>{@code
 * db.forTenant("t1").withStatementTimeout(Duration.ofMinutes(5)).fetchMany("SELECT ... a long report ...");
 * db.transaction(tx -> tx.forTenant("t1").withStatementTimeout(Duration.ofSeconds(2)).execute("UPDATE ..."));
 * }</pre>
 */
public class PostgresClient extends DelegatingOperations implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(PostgresClient.class);

	private final PostgresClientConfig config;

	/** What every view of this client shares. */
	final ClientCore core;

	/** The client's own statements, which every other view is made from. */
	private final Operations operations;

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
		this.config = config;
		this.core = new ClientCore(config, callListener);
		this.operations = new Operations(this.core, new View(new ClientScope()));
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
			this.connected = new Connected(pool, new TransactionRunner(this.core, this.gate, pool),
					new HealthProbe(this.config), new NotificationListener(this.config, this.core));
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
		return admit().transactions.run(null, null, callback);
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
		return transactionFor(null, Objects.requireNonNull(options, "options"), callback);
	}

	/**
	 * A transaction whose callback's statements run for the tenant, checked already, or unscoped.
	 * @param options the options, or null for the defaults
	 */
	<T extends @Nullable Object> T transactionFor(@Nullable String tenant, @Nullable TransactionOptions options,
			TransactionCallback<T> callback) {
		if (options != null) {
			options.validate();
		}
		return admit().transactions.run(tenant, options, callback);
	}

	/**
	 * The same calls for one tenant: each statement runs in a transaction that first binds the tenant
	 * to the {@link TenantPolicy#setting() setting} the server's row-level security policies read.
	 * See {@link TenantClient} for what that costs.
	 * @throws InvalidTenantIdException when the id is empty, longer than the policy allows or does not
	 * match its pattern; nothing is sent then
	 */
	@Override
	public TenantClient forTenant(String tenantId) {
		return new TenantClient(this, tenantId);
	}

	/**
	 * The same calls with another statement timeout: each runs in a transaction (the caller's, or one of
	 * its own) that first sets {@code SET LOCAL statement_timeout}. Inside a caller's transaction the
	 * setting lasts until that transaction ends. It combines with a tenant in either order
	 * ({@code db.forTenant(t).withStatementTimeout(d)}, {@code db.withStatementTimeout(d).forTenant(t)});
	 * in a {@link #transaction} callback, {@link Transaction#withStatementTimeout} gives the
	 * transaction's statements a timeout.
	 * @throws IllegalArgumentException when the timeout is zero or negative
	 */
	@Override
	public PostgresOperations withStatementTimeout(Duration statementTimeout) {
		return this.operations.withStatementTimeout(statementTimeout);
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
	Operations operations() {
		return this.operations;
	}

	/** What exists between {@link #connect()} and {@link #close()}. */
	private static final class Connected {

		final HikariDataSource pool;

		final TransactionRunner transactions;

		final HealthProbe healthProbe;

		final NotificationListener listener;

		Connected(HikariDataSource pool, TransactionRunner transactions, HealthProbe healthProbe,
				NotificationListener listener) {
			this.pool = pool;
			this.transactions = transactions;
			this.healthProbe = healthProbe;
			this.listener = listener;
		}

	}

	/**
	 * The {@link Scope} of the client's own calls and of its views: each passes the gate, and runs in a
	 * transaction of its own (or a savepoint of the running one) when it must be atomic.
	 */
	private final class ClientScope implements Scope {

		@Override
		public DataSource enter() {
			return admit().pool;
		}

		@Override
		public void exit() {
			PostgresClient.this.gate.exit();
		}

		@Override
		public <R> R atomically(Supplier<R> call) {
			Connected connected = admit();
			try {
				return connected.transactions.atomically(call);
			}
			finally {
				PostgresClient.this.gate.exit();
			}
		}

	}

}
