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

	/** {@link PostgresOperations#execute}. */
	String EXECUTE = "execute";

	/** {@link PostgresOperations#fetchOne}, both forms. */
	String FETCH_ONE = "fetchOne";

	/** {@link PostgresOperations#fetchMany}, both forms. */
	String FETCH_MANY = "fetchMany";

	/** {@link PostgresOperations#fetchValue}. */
	String FETCH_VALUE = "fetchValue";

	/** {@link PostgresOperations#executeBatch}. */
	String EXECUTE_BATCH = "executeBatch";

	/** {@link PostgresOperations#copyIn}, every form. */
	String COPY_IN = "copyIn";

	/** {@link PostgresOperations#copyOut}. */
	String COPY_OUT = "copyOut";

	/** {@link PostgresOperations#stream}, from opening to closing the stream. */
	String STREAM = "stream";

	/** {@link PostgresClient#transaction}, the whole callback, commit or rollback included. */
	String TRANSACTION = "transaction";

	/** {@link PostgresOperations#sendNotification}. */
	String NOTIFY = "notify";

	/** {@link PostgresClient#listen}, until the server listens on the channel. */
	String LISTEN = "listen";

	/**
	 * A call has ended.
	 * @param operation one of the constants of this interface
	 * @param durationNanos how long it took
	 * @param failure what it threw, or null when it returned normally
	 */
	void callCompleted(String operation, long durationNanos, @Nullable Throwable failure);

	/**
	 * A connection came back from a call while the server still had a transaction open or failed on
	 * it; the client rolled it back and reset the session before the pool got the connection.
	 * @param operation one of the constants of this interface
	 */
	default void transactionLeftOpen(String operation) {
	}

}
