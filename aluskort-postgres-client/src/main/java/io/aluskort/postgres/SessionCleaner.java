package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.core.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Gives connections back to the pool without the session state a caller left on them: a connection
 * that ran a statement which {@link ParsedSql#changesSession() changes the session} (or, with
 * {@link SessionReset#ALWAYS}, any connection) is reset with {@code DISCARD ALL} first. Inside a
 * transaction the reset waits until the transaction has ended, since {@code DISCARD ALL} cannot run in
 * one and a setting made in it lasts past it. A connection whose reset fails is evicted, never reused.
 *
 * <p>A connection that comes back outside a Spring transaction while the server still has a
 * transaction open or failed on it (the driver knows from the server's last ReadyForQuery, without a
 * round trip) is rolled back and reset, and the caller is told, since no call of the client should
 * leave one behind.
 *
 * <p>HikariCP resets only what was changed through JDBC setters (autocommit, isolation, read-only,
 * schema, network timeout) and rolls back an open transaction only when autocommit was turned off
 * through JDBC; this covers what SQL changed.
 */
final class SessionCleaner {

	static final String RESET = "DISCARD ALL";


	private static final Logger logger = LoggerFactory.getLogger(SessionCleaner.class);

	private final SessionReset mode;

	private final SqlCache statements;

	SessionCleaner(SessionReset mode, SqlCache statements) {
		this.mode = mode;
		this.statements = statements;
	}

	/**
	 * Gives back a connection that ran the statement: to the pool, reset first if needed, or to the
	 * transaction that holds it, which resets it when it ends.
	 * @return whether the connection came back with a server transaction left open, which was rolled back
	 */
	boolean release(Connection connection, DataSource dataSource, Operation operation, String sql) {
		try {
			boolean transactional = DataSourceUtils.isConnectionTransactional(connection, dataSource);
			if (!transactional && rolledBackLeftTransaction(connection, dataSource, operation)) {
				reset(connection, dataSource);
				return true;
			}
			if (this.mode == SessionReset.ALWAYS || changesSession(sql)) {
				if (transactional) {
					resetAfterTransaction(connection, dataSource);
				}
				else {
					reset(connection, dataSource);
				}
			}
			return false;
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

	/**
	 * Rolls back a server transaction a call left open or failed on a connection that no Spring
	 * transaction holds. What was bound or set in it (a tenant, {@code SET LOCAL}) goes with it.
	 * @return whether there was one
	 */
	private static boolean rolledBackLeftTransaction(Connection connection, DataSource dataSource,
			Operation operation) {
		@Nullable TransactionState state;
		try {
			state = ServerTransaction.on(connection);
		}
		catch (SQLException ex) {
			return false;
		}
		if (state == null) {
			return false;
		}
		logger.warn("{} left a {} transaction on its connection; rolling it back and resetting the session",
				operation.tagValue(), (state == TransactionState.FAILED) ? "failed" : "open");
		try {
			ServerTransaction.rollBack(connection);
		}
		catch (SQLException ex) {
			logger.debug("Rolling back a left transaction failed (SQLState {}); evicting the connection",
					ex.getSQLState());
			evict(connection, dataSource);
		}
		return true;
	}

	/** Whether the statement marks its connection; one the lexer refuses is taken to. */
	private boolean changesSession(String sql) {
		try {
			return this.statements.get(sql).changesSession();
		}
		catch (IllegalArgumentException ex) {
			return true;
		}
	}

	/**
	 * Registers the reset with the transaction that holds the connection, once per transaction. The
	 * synchronizations are the transaction's own: one suspended for {@code REQUIRES_NEW} keeps its
	 * reset, and the inner transaction registers one for its own connection.
	 */
	private void resetAfterTransaction(Connection connection, DataSource dataSource) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			// Nothing would tell us when the transaction ends: the pool closes the connection when it comes back.
			evict(connection, dataSource);
			return;
		}
		for (TransactionSynchronization registered : TransactionSynchronizationManager.getSynchronizations()) {
			if (registered instanceof ResetAfterTransaction reset && reset.connection == connection) {
				return;
			}
		}
		TransactionSynchronizationManager.registerSynchronization(new ResetAfterTransaction(connection, dataSource));
	}

	/** After the transaction, before the transaction manager hands the connection back to the pool. */
	private void resetEnded(Connection connection, DataSource dataSource) {
		try {
			if (connection.isClosed()) {
				evict(connection, dataSource);
				return;
			}
			if (!connection.getAutoCommit()) {
				// The transaction is over; DISCARD ALL refuses to run in the one the driver would begin.
				connection.setAutoCommit(true);
			}
		}
		catch (SQLException ex) {
			logger.debug("Could not prepare a connection for its reset (SQLState {}); evicting it", ex.getSQLState());
			evict(connection, dataSource);
			return;
		}
		reset(connection, dataSource);
	}

	private void reset(Connection connection, DataSource dataSource) {
		try (Statement statement = connection.createStatement()) {
			statement.execute(RESET);
		}
		catch (SQLException ex) {
			logger.debug("Resetting a connection's session failed (SQLState {}); evicting it", ex.getSQLState());
			evict(connection, dataSource);
		}
	}

	private static void evict(Connection connection, DataSource dataSource) {
		if (dataSource instanceof HikariDataSource pool) {
			pool.evictConnection(connection);
		}
	}

	/** Resets a connection once the transaction that held it has ended. */
	private final class ResetAfterTransaction implements TransactionSynchronization {

		final Connection connection;

		private final DataSource dataSource;

		ResetAfterTransaction(Connection connection, DataSource dataSource) {
			this.connection = connection;
			this.dataSource = dataSource;
		}

		@Override
		public void afterCompletion(int status) {
			resetEnded(this.connection, this.dataSource);
		}

	}

}
