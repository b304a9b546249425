package io.aluskort.postgres;

import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a whole transaction again when the server rolled it back because a concurrent one won: a
 * serialization failure ({@code 40001}) or a deadlock ({@code 40P01}). The server has undone all of
 * it then, so running the callback again is safe as long as the callback has no effects outside the
 * transaction. Nothing else is retried; a {@link TransactionOutcomeUnknownException} never is.
 *
 * <p>Between attempts the thread sleeps for a random time between zero and {@link #BASE_BACKOFF}
 * doubled per attempt, at most {@link #MAX_BACKOFF} ("full jitter"), so that transactions that
 * collided do not collide again in step.
 */
final class TransactionRetry {

	static final Duration BASE_BACKOFF = Duration.ofMillis(5);

	static final Duration MAX_BACKOFF = Duration.ofMillis(500);

	static final Backoff BACKOFF = Backoff.fullJitter(BASE_BACKOFF, MAX_BACKOFF);

	private static final Logger logger = LoggerFactory.getLogger(TransactionRetry.class);

	private TransactionRetry() {
	}

	/**
	 * @param retries how many times the transaction may run again after its first attempt
	 */
	static <T> T run(int retries, Supplier<T> transaction) {
		for (int attempt = 0;; attempt++) {
			try {
				return transaction.get();
			}
			catch (RuntimeException ex) {
				String sqlState = (attempt < retries) ? conflictState(ex) : null;
				if (sqlState == null) {
					throw ex;
				}
				long pause = BACKOFF.pauseMillis(attempt);
				logger.debug("Transaction rolled back with SQLState {}; running it again in {} ms (retry {} of {})",
						sqlState, pause, attempt + 1, retries);
				try {
					Thread.sleep(pause);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw ex;
				}
			}
		}
	}

	/** The SQLState when the failure is a conflict the server rolled back, else null. */
	static @Nullable String conflictState(Throwable failure) {
		if (failure instanceof TransactionOutcomeUnknownException) {
			return null;
		}
		for (@Nullable Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql) {
				String state = sql.getSQLState();
				if (SqlStates.isConflict(state)) {
					return state;
				}
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

}
