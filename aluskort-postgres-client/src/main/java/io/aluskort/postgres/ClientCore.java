package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * What every view of one client shares: the translated statements, the JSON codec, the tenant policy,
 * exception translation and the call listener; and the one way a call gets its connection and gives
 * it back.
 */
final class ClientCore {

	private static final Logger logger = LoggerFactory.getLogger(PostgresClient.class);

	final SqlCache sqlCache = new SqlCache(SqlCache.DEFAULT_CAPACITY);

	final @Nullable JsonCodec jsonCodec;

	private final SQLExceptionTranslator translator = new SQLExceptionSubclassTranslator();

	private final @Nullable CallListener callListener;

	final Tenancy tenancy;

	private final SessionCleaner sessions;

	/** How much longer than a statement may run the socket timeout waits; null when it is off. */
	private final @Nullable Duration socketTimeoutMargin;

	ClientCore(PostgresClientConfig config, @Nullable CallListener callListener) {
		this.jsonCodec = (config.jsonCodec() != null) ? config.jsonCodec() : JsonCodec.detect();
		this.callListener = callListener;
		this.tenancy = new Tenancy(config.tenantPolicy(), this.sqlCache);
		this.sessions = new SessionCleaner(config.sessionReset(), this.sqlCache);
		this.socketTimeoutMargin = config.socketTimeout().isZero() ? null
				: config.socketTimeout().minus(config.statementTimeout());
	}

	/**
	 * Runs the work on the connection of the current transaction, or on one borrowed for it, and
	 * translates what the driver throws.
	 */
	<R> R run(DataSource dataSource, Operation operation, String sql, ConnectionWork<R> work) {
		Connection connection = borrow(dataSource);
		try {
			return work.doWith(connection);
		}
		catch (SQLException ex) {
			throw translate(operation.tagValue(), sql, ex);
		}
		finally {
			release(connection, dataSource, operation, sql);
		}
	}

	/**
	 * The connection of the current transaction, or one from the pool.
	 * @throws PoolExhaustedException when every connection stayed in use for the acquire timeout
	 * @throws CannotGetJdbcConnectionException when no connection could be had for another reason
	 */
	Connection borrow(DataSource dataSource) {
		try {
			return DataSourceUtils.getConnection(dataSource);
		}
		catch (CannotGetJdbcConnectionException ex) {
			throw acquireFailure(dataSource, ex);
		}
	}

	/**
	 * Gives back a connection that ran the operation's statement, resetting its session first when
	 * needed, and rolling back a server transaction the call left open (the listener is told).
	 */
	void release(Connection connection, DataSource dataSource, Operation operation, String sql) {
		if (this.sessions.release(connection, dataSource, operation, sql) && this.callListener != null) {
			try {
				this.callListener.transactionLeftOpen(operation);
			}
			catch (RuntimeException ex) {
				logger.warn("CallListener {} failed", this.callListener.getClass().getName(), ex);
			}
		}
	}

	/**
	 * What a transaction's failure means to the caller: a pool that had no connection for it is reported
	 * as for any call; a failed COMMIT is the server's answer when it gave one, else an unknown outcome;
	 * a rollback that failed because the connection was lost gives way to the failure before it.
	 */
	RuntimeException transactionFailure(DataSource dataSource, RuntimeException ex) {
		if (ex instanceof ClientTransactionManager.CommitFailedException commit) {
			SQLException cause = commit.sqlException();
			if (isServerAnswer(cause)) {
				return translate("COMMIT", "COMMIT", cause);
			}
			if (logger.isDebugEnabled()) {
				logger.debug("COMMIT failed with SQLState {}: outcome unknown", cause.getSQLState());
			}
			return new TransactionOutcomeUnknownException("The connection failed while COMMIT was on its way (SQLState "
					+ cause.getSQLState() + "): the transaction may or may not have committed; check for its "
					+ "effects before running it again", ServerErrorMasking.mask(cause, null));
		}
		if (ex instanceof TransactionSystemException rollback
				&& rollback.getApplicationException() instanceof RuntimeException original
				&& ClientTransactionManager.isConnectionLost(rollback.getCause())) {
			// A savepoint could not be rolled back on a lost connection: what ended the work matters, not that.
			return original;
		}
		if (ex instanceof CannotCreateTransactionException && ex.getCause() instanceof SQLException cause) {
			return acquireFailure(dataSource, new CannotGetJdbcConnectionException(
					"Failed to obtain JDBC Connection for a transaction", cause));
		}
		return ex;
	}

	/**
	 * Whether a failure of COMMIT came from the server, which then rolled the transaction back (a
	 * serialization failure, a deferred constraint), rather than from a connection that failed while
	 * the server may have committed. {@code 08003} says the connection was closed before COMMIT was sent.
	 */
	private static boolean isServerAnswer(SQLException ex) {
		return SqlStates.isServerAnswer(ex.getSQLState());
	}

	private RuntimeException acquireFailure(DataSource dataSource, CannotGetJdbcConnectionException ex) {
		if (ex.getCause() instanceof SQLTransientConnectionException timeout
				&& dataSource instanceof HikariDataSource pool) {
			HikariPoolMXBean stats = pool.getHikariPoolMXBean();
			int maxSize = pool.getMaximumPoolSize();
			// The pool's timeout also covers a server that does not let new connections in; only this is exhaustion.
			if (stats != null && stats.getActiveConnections() >= maxSize) {
				return new PoolExhaustedException(maxSize, Duration.ofMillis(pool.getConnectionTimeout()), timeout);
			}
		}
		return ex;
	}

	/**
	 * Keeps the socket timeout, sized for the client's statement timeout, from cutting off a statement
	 * that may run longer: one of a call or transaction with a longer statement timeout of its own. The
	 * pool restores the connection's socket timeout when the connection comes back.
	 */
	void allowStatementTimeout(Connection connection, Duration statementTimeout) throws SQLException {
		Duration margin = this.socketTimeoutMargin;
		if (margin == null) {
			return;
		}
		long needed = Math.min(Integer.MAX_VALUE, statementTimeout.plus(margin).toMillis());
		int current = connection.getNetworkTimeout();
		if (current != 0 && needed > current) {
			connection.setNetworkTimeout(Runnable::run, (int) needed);
		}
	}

	/** {@link #allowStatementTimeout(Connection, Duration)} on the connection of the current transaction. */
	void allowStatementTimeout(DataSource dataSource, Duration statementTimeout) {
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try {
			allowStatementTimeout(connection, statementTimeout);
		}
		catch (SQLException ex) {
			throw translate("SET LOCAL statement_timeout", "SET LOCAL statement_timeout", ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

	/**
	 * The driver's exception as a Spring {@link DataAccessException}, by its SQLState, with any bound
	 * value the server's message quotes masked.
	 * @param task what failed, for the message: an {@link Operation#tagValue() operation's name} or
	 * the statement the client ran of its own
	 */
	DataAccessException translate(String task, String sql, SQLException ex) {
		if (logger.isDebugEnabled()) {
			logger.debug("{} failed with SQLState {} ({})", task, ex.getSQLState(), ex.getClass().getSimpleName());
		}
		SQLException masked = ServerErrorMasking.mask(ex, sql);
		DataAccessException translated = this.translator.translate(task, sql, masked);
		return (translated != null) ? translated : new UncategorizedSQLException(task, sql, masked);
	}

	/** A start time when a listener wants to know, else 0 with no clock read. */
	long startTiming() {
		return (this.callListener != null) ? System.nanoTime() : 0L;
	}

	/** Tells the listener; a listener's failure must never become the call's. */
	void completed(Operation operation, long start, @Nullable Throwable failure) {
		CallListener listener = this.callListener;
		if (listener == null) {
			return;
		}
		try {
			listener.callCompleted(operation, System.nanoTime() - start, failure);
		}
		catch (RuntimeException ex) {
			logger.warn("CallListener {} failed", listener.getClass().getName(), ex);
		}
	}

}
