package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
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
 * <p>Parameters are PostgreSQL's {@code $1, $2, ...}; values are always bound, never spliced into the
 * text. Failures are Spring {@link DataAccessException}s translated from the server's SQLState
 * ({@code BadSqlGrammarException}, {@code DuplicateKeyException}, {@code QueryTimeoutException}, ...),
 * with the driver's exception, and so the SQLState, as the cause.
 *
 * <p>Calls join a Spring-managed transaction on the client's {@link #dataSource()} when one is open on
 * the calling thread ({@code @Transactional}, or {@link #transaction}). Thread-safe.
 */
public class PostgresClient implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(PostgresClient.class);

	private static final Object[] NO_ARGS = {};

	private final PostgresClientConfig config;

	private final SqlCache sqlCache = new SqlCache(SqlCache.DEFAULT_CAPACITY);

	private final CallGate gate = new CallGate();

	private final SQLExceptionTranslator translator = new SQLExceptionSubclassTranslator();

	private final Object lifecycleMonitor = new Object();

	private volatile @Nullable Connected connected;

	/** Null unless metrics are on: then every call is timed. */
	private final @Nullable CallListener callListener;

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
		this.callListener = callListener;
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
			HikariDataSource pool = openPool();
			this.connected = new Connected(pool, new HealthProbe(this.config));
			logger.info("PostgresClient connected to {} as {} (pool {}..{}, statement timeout {})",
					this.config.describeTarget(), this.config.user(), this.config.minSize(), this.config.maxSize(),
					this.config.statementTimeout());
		}
	}

	private HikariDataSource openPool() {
		HikariConfig hikari = new HikariConfig();
		hikari.setPoolName("aluskort-postgres");
		hikari.setJdbcUrl(this.config.jdbcUrl());
		hikari.setUsername(this.config.user());
		hikari.setPassword(this.config.password());
		hikari.setDataSourceProperties(DriverProperties.of(this.config));
		hikari.setMinimumIdle(this.config.minSize());
		hikari.setMaximumPoolSize(this.config.maxSize());
		hikari.setConnectionTimeout(this.config.acquireTimeout().toMillis());
		hikari.setValidationTimeout(Math.min(5000, Math.max(250, this.config.acquireTimeout().toMillis() / 2)));
		hikari.setMaxLifetime(this.config.maxLifetime().toMillis());
		hikari.setIdleTimeout(this.config.idleTimeout().toMillis());
		// One attempt at startup: a service that cannot reach its database should say so at once.
		hikari.setInitializationFailTimeout(1);
		try {
			return new HikariDataSource(hikari);
		}
		catch (HikariPool.PoolInitializationException ex) {
			SQLException cause = (ex.getCause() instanceof SQLException sql) ? sql
					: new SQLException(String.valueOf(ex.getCause()), ex.getCause());
			String message = "Cannot connect to PostgreSQL at " + this.config.describeTarget() + " as user '"
					+ this.config.user() + "': " + cause.getMessage();
			logger.warn(message);
			throw new CannotGetJdbcConnectionException(message, cause);
		}
	}

	/**
	 * Runs one statement and returns the command tag the server sent, for example {@code INSERT 0 1}.
	 * @throws IllegalArgumentException when the number of arguments does not match the placeholders
	 */
	public CommandStatus execute(String sql, @Nullable Object... args) {
		return (CommandStatus) call(Operation.EXECUTE, sql, args);
	}

	/**
	 * The first row as an insertion-ordered column-to-value map, or empty when there is none. Asks the
	 * server for one row only.
	 */
	@SuppressWarnings("unchecked")
	public Optional<Map<String, Object>> fetchOne(String sql, @Nullable Object... args) {
		return (Optional<Map<String, Object>>) call(Operation.FETCH_ONE, sql, args);
	}

	/** All rows, each an insertion-ordered column-to-value map. */
	@SuppressWarnings("unchecked")
	public List<Map<String, Object>> fetchMany(String sql, @Nullable Object... args) {
		return (List<Map<String, Object>>) call(Operation.FETCH_MANY, sql, args);
	}

	/**
	 * Runs the callback in one transaction on one connection: commits when it returns, rolls back when
	 * it throws and rethrows the same exception. Called inside another transaction's callback, it opens
	 * a savepoint instead: its failure rolls back its own work only.
	 */
	public <T extends @Nullable Object> T transaction(TransactionCallback<T> callback) {
		Connected connected = admit();
		CallListener listener = this.callListener;
		long start = (listener != null) ? System.nanoTime() : 0L;
		Throwable failure = null;
		try {
			return connected.transactionTemplate.execute((status) -> {
				ScopedTransaction tx = new ScopedTransaction();
				try {
					return callback.doInTransaction(tx);
				}
				finally {
					tx.active = false;
				}
			});
		}
		catch (RuntimeException | Error ex) {
			failure = ex;
			throw ex;
		}
		finally {
			this.gate.exit();
			if (listener != null) {
				completed(listener, CallListener.TRANSACTION, start, failure);
			}
		}
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
	 * Refuses new calls at once, lets calls already running finish for up to the shutdown timeout, then
	 * closes the pool, aborting whatever still runs. Idempotent; does nothing before {@link #connect()}.
	 */
	@Override
	public void close() {
		synchronized (this.lifecycleMonitor) {
			Connected connected = this.connected;
			if (connected == null || this.gate.isClosed()) {
				return;
			}
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

	private Object call(Operation operation, String sql, @Nullable Object @Nullable [] args) {
		Connected connected = admit();
		CallListener listener = this.callListener;
		if (listener == null) {
			try {
				return run(connected, operation, sql, args);
			}
			finally {
				this.gate.exit();
			}
		}
		long start = System.nanoTime();
		Throwable failure = null;
		try {
			return run(connected, operation, sql, args);
		}
		catch (RuntimeException | Error ex) {
			failure = ex;
			throw ex;
		}
		finally {
			this.gate.exit();
			completed(listener, operation.task, start, failure);
		}
	}

	/** Tells the listener; a listener's failure must never become the call's. */
	private static void completed(CallListener listener, String operation, long start, @Nullable Throwable failure) {
		try {
			listener.callCompleted(operation, System.nanoTime() - start, failure);
		}
		catch (RuntimeException ex) {
			logger.warn("CallListener {} failed", listener.getClass().getName(), ex);
		}
	}

	/** One statement on the connection of the current transaction, or on one borrowed for it. */
	private Object run(Connected connected, Operation operation, String sql, @Nullable Object @Nullable [] args) {
		ParsedSql parsed = this.sqlCache.get(sql);
		@Nullable Object[] arguments = (args != null) ? args : NO_ARGS;
		parsed.checkArgumentCount(arguments);
		Connection connection = DataSourceUtils.getConnection(connected.pool);
		try {
			return switch (operation) {
				case EXECUTE -> StatementRunner.execute(connection, parsed, arguments);
				case FETCH_ONE -> {
					List<Map<String, @Nullable Object>> rows = StatementRunner.fetch(connection, parsed, arguments, 1);
					yield rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
				}
				case FETCH_MANY -> StatementRunner.fetch(connection, parsed, arguments, 0);
			};
		}
		catch (SQLException ex) {
			throw translate(operation, sql, ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, connected.pool);
		}
	}

	private DataAccessException translate(Operation operation, String sql, SQLException ex) {
		if (logger.isDebugEnabled()) {
			logger.debug("{} failed with SQLState {} ({})", operation.task, ex.getSQLState(),
					ex.getClass().getSimpleName());
		}
		DataAccessException translated = this.translator.translate(operation.task, sql, ex);
		return (translated != null) ? translated : new UncategorizedSQLException(operation.task, sql, ex);
	}

	private enum Operation {

		EXECUTE(CallListener.EXECUTE), FETCH_ONE(CallListener.FETCH_ONE), FETCH_MANY(CallListener.FETCH_MANY);

		final String task;

		Operation(String task) {
			this.task = task;
		}

	}

	/** What exists between {@link #connect()} and {@link #close()}. */
	private static final class Connected {

		final HikariDataSource pool;

		final TransactionTemplate transactionTemplate;

		final HealthProbe healthProbe;

		Connected(HikariDataSource pool, HealthProbe healthProbe) {
			this.pool = pool;
			this.healthProbe = healthProbe;
			this.transactionTemplate = new TransactionTemplate(new DataSourceTransactionManager(pool));
			// Outside a transaction NESTED starts one; inside one it sets a savepoint.
			this.transactionTemplate.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		}

	}

	/** The statements of one {@link #transaction} call; usable only while its callback runs. */
	private final class ScopedTransaction implements Transaction {

		volatile boolean active = true;

		@Override
		public CommandStatus execute(String sql, @Nullable Object... args) {
			return (CommandStatus) runInTransaction(Operation.EXECUTE, sql, args);
		}

		@Override
		@SuppressWarnings("unchecked")
		public Optional<Map<String, Object>> fetchOne(String sql, @Nullable Object... args) {
			return (Optional<Map<String, Object>>) runInTransaction(Operation.FETCH_ONE, sql, args);
		}

		@Override
		@SuppressWarnings("unchecked")
		public List<Map<String, Object>> fetchMany(String sql, @Nullable Object... args) {
			return (List<Map<String, Object>>) runInTransaction(Operation.FETCH_MANY, sql, args);
		}

		private Object runInTransaction(Operation operation, String sql, @Nullable Object @Nullable [] args) {
			if (!this.active) {
				throw new IllegalStateException("This transaction has ended; use the Transaction only inside its callback");
			}
			CallListener listener = PostgresClient.this.callListener;
			if (listener == null) {
				return run(requireConnected(), operation, sql, args);
			}
			long start = System.nanoTime();
			Throwable failure = null;
			try {
				return run(requireConnected(), operation, sql, args);
			}
			catch (RuntimeException | Error ex) {
				failure = ex;
				throw ex;
			}
			finally {
				completed(listener, operation.task, start, failure);
			}
		}

	}

}
