package io.aluskort.postgres;

/**
 * The kinds of call a {@link PostgresClient} tells its {@link CallListener} about, each with the
 * name that metrics tag it with.
 */
public enum Operation {

	/** {@link PostgresOperations#execute}. */
	EXECUTE("execute"),

	/** {@link PostgresOperations#fetchOne}, both forms. */
	FETCH_ONE("fetchOne"),

	/** {@link PostgresOperations#fetchMany}, both forms. */
	FETCH_MANY("fetchMany"),

	/** {@link PostgresOperations#fetchValue}. */
	FETCH_VALUE("fetchValue"),

	/** {@link PostgresOperations#executeBatch}. */
	EXECUTE_BATCH("executeBatch"),

	/** {@link PostgresOperations#copyIn}, every form. */
	COPY_IN("copyIn"),

	/** {@link PostgresOperations#copyOut}. */
	COPY_OUT("copyOut"),

	/** {@link PostgresOperations#stream}, from opening to closing the stream. */
	STREAM("stream"),

	/** {@link PostgresClient#transaction}, the whole callback, commit or rollback included. */
	TRANSACTION("transaction"),

	/** {@link PostgresOperations#sendNotification}. */
	NOTIFY("notify"),

	/** {@link PostgresClient#listen}, until the server listens on the channel. */
	LISTEN("listen");

	private final String tagValue;

	Operation(String tagValue) {
		this.tagValue = tagValue;
	}

	/**
	 * The operation's name in metric tags and log messages, which stays as it is when a constant is
	 * renamed: {@code execute}, {@code fetchOne}, ...
	 * @return the tag value
	 */
	public String tagValue() {
		return this.tagValue;
	}

}
