package io.aluskort.postgres;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.JdbcTransactionObjectSupport;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Spring's transaction manager for the client's transactions, with two differences for a connection
 * that fails: a failed {@code COMMIT} is marked as such, since whether the transaction committed is
 * then unknown, unlike after any other failure; and a rollback on a connection that is gone is not an
 * error, since the server rolls back what a lost connection left open, so the caller gets the failure
 * that ended the transaction rather than Spring's "rollback failed".
 *
 * <p>It also joins a transaction that another transaction manager runs on the same pool and exposes
 * for JDBC code, as {@code JpaTransactionManager} does: a nested transaction then is a savepoint on
 * that transaction's connection, which that manager commits or rolls back.
 */
final class ClientTransactionManager extends DataSourceTransactionManager {

	private static final Logger logger = LoggerFactory.getLogger(ClientTransactionManager.class);

	ClientTransactionManager(DataSource dataSource) {
		super(dataSource);
	}

	/**
	 * Whether a transaction runs on the connection the thread holds for the pool: this manager's own,
	 * or another one's. {@code JpaTransactionManager} binds its transaction's connection without marking
	 * it active, as only {@code DataSourceTransactionManager} does; taken for no transaction, that
	 * connection would get a second one begun, committed and rolled back on it, behind JPA's back.
	 */
	@Override
	protected boolean isExistingTransaction(Object transaction) {
		return super.isExistingTransaction(transaction) || (transaction instanceof JdbcTransactionObjectSupport object
				&& object.hasConnectionHolder() && isOtherManagersTransaction(object.getConnectionHolder()));
	}

	/** Whether a transaction begun now would join one already running on the thread: be a savepoint. */
	boolean isTransactionRunning() {
		return isExistingTransaction(doGetTransaction());
	}

	/**
	 * A holder of another transaction manager's transaction: one with a connection, in a transaction
	 * that is running, and not one that {@code DataSourceUtils} bound for a call outside a transaction
	 * (those are marked synchronized, and their connection is in autocommit).
	 */
	private static boolean isOtherManagersTransaction(ConnectionHolder holder) {
		return holder.getConnectionHandle() != null && !holder.isSynchronizedWithTransaction()
				&& TransactionSynchronizationManager.isActualTransactionActive();
	}

	@Override
	protected void doCommit(DefaultTransactionStatus status) {
		try {
			super.doCommit(status);
		}
		catch (TransactionSystemException ex) {
			if (ex.getCause() instanceof SQLException cause) {
				// Still a TransactionException: Spring then skips the rollback it would try on any other exception.
				throw new CommitFailedException(cause);
			}
			throw ex;
		}
	}

	@Override
	protected void doRollback(DefaultTransactionStatus status) {
		try {
			super.doRollback(status);
		}
		catch (TransactionSystemException ex) {
			if (!isConnectionLost(ex.getCause())) {
				throw ex;
			}
			logger.debug("Rollback on a lost connection skipped; the server rolls the transaction back");
		}
	}

	/**
	 * Whether the failure says the connection is gone: a connection failure ({@code 08}), or the server
	 * ending the session ({@code 57P01} to {@code 57P03}).
	 */
	static boolean isConnectionLost(@Nullable Throwable failure) {
		return failure instanceof SQLException sql && SqlStates.isConnectionLost(sql.getSQLState());
	}

	/** {@code COMMIT} failed; {@link ClientCore#transactionFailure} tells whether the outcome is known. */
	static final class CommitFailedException extends TransactionSystemException {

		CommitFailedException(SQLException cause) {
			super("JDBC commit failed", cause);
		}

		@SuppressWarnings("NullAway") // The constructor sets the cause, and a cause once set stays.
		SQLException sqlException() {
			return (SQLException) getCause();
		}

	}

}
