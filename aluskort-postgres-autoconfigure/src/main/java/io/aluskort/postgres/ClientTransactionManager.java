package io.aluskort.postgres;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * Spring's transaction manager for the client's transactions, with two differences for a connection
 * that fails: a failed {@code COMMIT} is marked as such, since whether the transaction committed is
 * then unknown, unlike after any other failure; and a rollback on a connection that is gone is not an
 * error, since the server rolls back what a lost connection left open, so the caller gets the failure
 * that ended the transaction rather than Spring's "rollback failed".
 */
final class ClientTransactionManager extends DataSourceTransactionManager {

	private static final Logger logger = LoggerFactory.getLogger(ClientTransactionManager.class);

	ClientTransactionManager(DataSource dataSource) {
		super(dataSource);
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
		if (!(failure instanceof SQLException sql) || sql.getSQLState() == null) {
			return false;
		}
		return sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P");
	}

	/** {@code COMMIT} failed; {@link ClientCore#transactionFailure} tells whether the outcome is known. */
	static final class CommitFailedException extends TransactionSystemException {

		CommitFailedException(SQLException cause) {
			super("JDBC commit failed", cause);
		}

		SQLException sqlException() {
			return (SQLException) getCause();
		}

	}

}
