package io.aluskort.postgres;

import org.jspecify.annotations.Nullable;

/**
 * Told about every call a {@link PostgresClient} has run, for metrics. Given to the client's
 * constructor; a client without one does no timing at all.
 *
 * <p>Called on the calling thread once the call has ended, with no SQL and no bound values. Keep it
 * cheap; an exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface CallListener {

	/**
	 * A call has ended.
	 * @param operation which kind of call it was
	 * @param durationNanos how long it took
	 * @param failure what it threw, or null when it returned normally
	 */
	void callCompleted(Operation operation, long durationNanos, @Nullable Throwable failure);

	/**
	 * A connection came back from a call while the server still had a transaction open or failed on
	 * it; the client rolled it back and reset the session before the pool got the connection.
	 * @param operation which kind of call gave it back
	 */
	default void transactionLeftOpen(Operation operation) {
	}

}
