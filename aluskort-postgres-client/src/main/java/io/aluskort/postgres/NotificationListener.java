package io.aluskort.postgres;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LISTEN side of a client: subscribes handlers, and starts and stops the one daemon thread that
 * listens for them on a connection of its own, outside the pool, opened on the first subscription.
 *
 * <p>{@link Subscriptions} keeps the handlers and the handshake that makes {@link #listen} return once
 * the server listens, {@link ListenerLoop} is what the thread runs, and {@link Delivery} calls the
 * handlers on it.
 */
final class NotificationListener {

	private static final Logger logger = LoggerFactory.getLogger(NotificationListener.class);

	/** How long awaitStopped() waits for the thread after aborting its connection. */
	private static final Duration ABORT_WAIT = Duration.ofSeconds(1);

	private static final AtomicInteger threadNumbers = new AtomicInteger();

	private final PostgresClientConfig config;

	private final ClientCore core;

	private final Subscriptions subscriptions;

	private final ListenerLoop loop;

	/** Started by the first subscription, and again if it died. */
	private volatile @Nullable Thread thread;

	NotificationListener(PostgresClientConfig config, ClientCore core) {
		this.config = config;
		this.core = core;
		this.subscriptions = new Subscriptions(config, core);
		this.loop = new ListenerLoop(config, this.subscriptions, new Delivery(this.subscriptions));
	}

	Subscription listen(String channel, Consumer<Notification> handler) {
		Channels.require(channel);
		Objects.requireNonNull(handler, "handler");
		long start = this.core.startTiming();
		Throwable failure = null;
		try {
			return this.subscriptions.subscribe(channel, handler, this::startThread,
					Thread.currentThread() == this.thread);
		}
		catch (RuntimeException ex) {
			failure = ex;
			throw ex;
		}
		finally {
			this.core.completed(Operation.LISTEN, start, failure);
		}
	}

	private synchronized void startThread() {
		Thread thread = this.thread;
		if (thread == null || !thread.isAlive()) {
			thread = new Thread(this.loop, "aluskort-postgres-listener-" + threadNumbers.incrementAndGet());
			thread.setDaemon(true);
			this.thread = thread;
			thread.start();
		}
	}

	/**
	 * Refuses new subscriptions and tells the thread to stop after the handler it may be running. Does
	 * not wait; {@link #awaitStopped} does.
	 */
	void stop() {
		boolean connecting = this.subscriptions.stop();
		Thread thread = this.thread;
		if (thread != null && connecting) {
			// pgjdbc stops waiting for a login when interrupted; nothing else on this thread is.
			thread.interrupt();
		}
	}

	/**
	 * Waits for the thread to end, until the deadline (and at least two polls); then aborts its
	 * connection, which ends a wait on a server that stopped answering, and gives it a moment more.
	 * @param deadline a {@link System#nanoTime()} value
	 */
	void awaitStopped(long deadline) {
		Thread thread = this.thread;
		if (thread == null || thread == Thread.currentThread()) {
			return;
		}
		try {
			if (!joined(thread, Math.max(deadline, System.nanoTime() + 2 * ListenerLoop.POLL_INTERVAL.toNanos()))) {
				logger.warn("The listener of {} is still running a handler or waiting on the server; aborting its "
						+ "connection", this.config.describeTarget());
				this.loop.abortConnection();
				thread.interrupt();
				if (!joined(thread, System.nanoTime() + ABORT_WAIT.toNanos())) {
					logger.warn("The listener thread {} of {} does not end: a handler does not return",
							thread.getName(), this.config.describeTarget());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.loop.abortConnection();
		}
	}

	private static boolean joined(Thread thread, long deadline) throws InterruptedException {
		long remaining = deadline - System.nanoTime();
		if (remaining > 0) {
			thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
		}
		return !thread.isAlive();
	}

}
