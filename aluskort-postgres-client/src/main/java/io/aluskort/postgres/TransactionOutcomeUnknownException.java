package io.aluskort.postgres;

import java.sql.SQLException;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * The connection failed while {@code COMMIT} was on its way, so the client cannot know whether the
 * transaction committed: the server may have committed it and lost only the answer. The client never
 * runs such a transaction again by itself, retries or not, since that could apply it twice.
 *
 * <p>Reconcile instead: look for the transaction's effects (an idempotency key written in the same
 * transaction makes that one query) and run it again only if they are not there. A
 * {@link DataAccessResourceFailureException}, so code that treats every lost connection alike still
 * catches it; a non-transient one, so generic retry policies leave it alone.
 */
public class TransactionOutcomeUnknownException extends DataAccessResourceFailureException {

	public TransactionOutcomeUnknownException(String message, SQLException cause) {
		super(message, cause);
	}

	/** The driver's exception, with the SQLState of the failure ({@code 08006} for a lost connection). */
	@SuppressWarnings("NullAway") // The constructor sets the cause, and a cause once set stays.
	public SQLException getSQLException() {
		return (SQLException) getCause();
	}

}
