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

	/** {@link PostgresClient#execute} and {@link Transaction#execute}. */
	String EXECUTE = "execute";

	/** {@link PostgresClient#fetchOne} and {@link Transaction#fetchOne}. */
	String FETCH_ONE = "fetchOne";

	/** {@link PostgresClient#fetchMany} and {@link Transaction#fetchMany}. */
	String FETCH_MANY = "fetchMany";

	/** {@link PostgresClient#transaction}, the whole callback, commit or rollback included. */
	String TRANSACTION = "transaction";

	/**
	 * A call has ended.
	 * @param operation one of {@link #EXECUTE}, {@link #FETCH_ONE}, {@link #FETCH_MANY} and
	 * {@link #TRANSACTION}
	 * @param durationNanos how long it took
	 * @param failure what it threw, or null when it returned normally
	 */
	void callCompleted(String operation, long durationNanos, @Nullable Throwable failure);

}
