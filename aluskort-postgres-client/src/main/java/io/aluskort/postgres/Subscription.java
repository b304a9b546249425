package io.aluskort.postgres;

/**
 * One handler's subscription to a channel, from {@link PostgresClient#listen}. Close it to
 * unsubscribe.
 */
public interface Subscription extends AutoCloseable {

	/** The channel the handler listens on. */
	String channel();

	/**
	 * Stops delivery to the handler: no call to it starts after this returns (one already running, on
	 * the listener thread, may finish). When it was the channel's last handler, the client stops
	 * listening on the channel ({@code UNLISTEN}) shortly after. Idempotent; never throws.
	 */
	@Override
	void close();

}
