package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
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
 * <p>HikariCP resets only what was changed through JDBC setters (autocommit, isolation, read-only,
 * schema, network timeout) and rolls back an open transaction; this covers what SQL changed.
 */
final class SessionCleaner {

	static final String RESET = "DISCARD ALL";

	private static final Logger logger = LoggerFactory.getLogger(SessionCleaner.class);

	private final SessionReset mode;

	private final SqlCache statements;

	/** Bound to the thread while its transaction has a reset registered for its end. */
	private final Object resetPending = new Object();

	SessionCleaner(SessionReset mode, SqlCache statements) {
		this.mode = mode;
		this.statements = statements;
	}

	/**
	 * Gives back a connection that ran the statement: to the pool, reset first if needed, or to the
	 * transaction that holds it, which resets it when it ends.
	 */
	void release(Connection connection, DataSource dataSource, String sql) {
		try {
			if (this.mode == SessionReset.ALWAYS || changesSession(sql)) {
				if (DataSourceUtils.isConnectionTransactional(connection, dataSource)) {
					resetAfterTransaction(connection, dataSource);
				}
				else {
					reset(connection, dataSource);
				}
			}
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
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

	private void resetAfterTransaction(Connection connection, DataSource dataSource) {
		if (TransactionSynchronizationManager.hasResource(this.resetPending)) {
			return;
		}
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			// Nothing would tell us when the transaction ends: the pool closes the connection when it comes back.
			evict(connection, dataSource);
			return;
		}
		TransactionSynchronizationManager.bindResource(this.resetPending, Boolean.TRUE);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCompletion(int status) {
				TransactionSynchronizationManager.unbindResourceIfPossible(SessionCleaner.this.resetPending);
				resetEnded(connection, dataSource);
			}

		});
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

}
