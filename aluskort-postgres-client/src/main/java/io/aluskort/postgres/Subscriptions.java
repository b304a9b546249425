package io.aluskort.postgres;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * The handlers subscribed to each channel, and the handshake that lets {@code listen()} return once
 * the server listens on the channel.
 *
 * <p>Each change of the subscriptions is a new version. The listener thread asks for the newest one
 * ({@link #next}), brings the server in step with it and says so ({@link #listened}), or says why it
 * could not ({@link #failed}); a caller of {@link #subscribe} waits for one of the two for its version.
 */
final class Subscriptions {

	private final PostgresClientConfig config;

	private final ClientCore core;

	/** Guards the fields below it; the thread and the callers of listen() wait on it for each other. */
	private final Object monitor = new Object();

	/** Changed under the monitor, read by the thread without it: each list is replaced, never changed. */
	private final Map<String, List<Registration>> subscriptions = new ConcurrentHashMap<>();

	/** The channels the server listens on for this client, as far as the thread knows. */
	private Set<String> listening = Set.of();

	/** Counts changes of the subscriptions. */
	private long version;

	/** The newest version the server's channels match. */
	private long applied;

	/** The newest version a caller of listen() waits for. */
	private long requested;

	/** The newest version an attempt to open the connection failed for, and why. */
	private long failed;

	private @Nullable SQLException failure;

	private boolean failedToConnect;

	/** Whether the thread is opening a connection: the one wait of it that an interrupt ends. */
	private boolean connecting;

	private volatile boolean stopped;

	Subscriptions(PostgresClientConfig config, ClientCore core) {
		this.config = config;
		this.core = core;
	}

	/**
	 * Adds a handler, and waits until the server listens on its channel: a notification sent after this
	 * returns reaches the handler.
	 * @param startThread starts the listener thread unless it runs
	 * @param fromHandler whether the caller is a handler, which runs on the listener thread and so
	 * cannot wait for it: the thread listens as soon as the handler returns
	 */
	Subscription subscribe(String channel, Consumer<Notification> handler, Runnable startThread,
			boolean fromHandler) {
		Registration registration = new Registration(channel, handler);
		long deadline = System.nanoTime() + listenTimeout().toNanos();
		synchronized (this.monitor) {
			if (this.stopped) {
				throw closed();
			}
			this.subscriptions.merge(channel, List.of(registration), Subscriptions::concat);
			if (this.listening.contains(channel) && this.applied == this.version) {
				// Already listening, and no UNLISTEN of it under way.
				return registration;
			}
			long target = ++this.version;
			this.requested = target;
			startThread.run();
			this.monitor.notifyAll();
			if (fromHandler) {
				return registration;
			}
			boolean listened = false;
			try {
				while (this.applied < target) {
					if (this.stopped) {
						throw closed();
					}
					if (this.failed >= target) {
						throw cannotListen(channel);
					}
					long remaining = deadline - System.nanoTime();
					if (remaining <= 0) {
						throw new DataAccessResourceFailureException("Not listening on channel '" + channel + "' after "
								+ listenTimeout() + ": the listener of " + this.config.describeTarget()
								+ " is busy or cannot reach the server");
					}
					TimeUnit.NANOSECONDS.timedWait(this.monitor, remaining);
				}
				listened = true;
				return registration;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new DataAccessResourceFailureException(
						"Interrupted while waiting to listen on channel '" + channel + "'");
			}
			finally {
				if (!listened) {
					unsubscribe(registration);
				}
			}
		}
	}

	/** Long enough for an attempt already under way to fail and one for this call to run. */
	private Duration listenTimeout() {
		return this.config.connectTimeout().multipliedBy(2).plus(this.config.healthTimeout()).plusSeconds(1);
	}

	private RuntimeException cannotListen(String channel) {
		SQLException cause = Objects.requireNonNull(this.failure);
		if (this.failedToConnect) {
			return new CannotGetJdbcConnectionException("Cannot listen on channel '" + channel + "': cannot connect to "
					+ this.config.describeTarget() + " as user '" + this.config.user() + "': " + cause.getMessage(), cause);
		}
		return this.core.translate(Operation.LISTEN.tagValue(), "LISTEN " + Channels.quote(channel), cause);
	}

	private IllegalStateException closed() {
		return new IllegalStateException("PostgresClient for " + this.config.describeTarget() + " is closed");
	}

	private void unsubscribe(Registration registration) {
		synchronized (this.monitor) {
			if (!registration.active) {
				return;
			}
			registration.active = false;
			List<Registration> others = new ArrayList<>(this.subscriptions.getOrDefault(registration.channel, List.of()));
			others.remove(registration);
			if (others.isEmpty()) {
				this.subscriptions.remove(registration.channel);
			}
			else {
				this.subscriptions.put(registration.channel, List.copyOf(others));
			}
			// The thread UNLISTENs on its next round; nobody needs to wait for it.
			this.version++;
		}
	}

	private static List<Registration> concat(List<Registration> first, List<Registration> second) {
		List<Registration> all = new ArrayList<>(first);
		all.addAll(second);
		return List.copyOf(all);
	}

	/** The handlers of a channel, in the order they subscribed, or null; reads no lock. */
	@Nullable List<Registration> handlers(String channel) {
		return this.subscriptions.get(channel);
	}

	/**
	 * For the listener thread: waits until there is something to do, channels to listen on or a
	 * connection to serve, and tells what the server should listen on.
	 * @param connected whether the thread has a connection open
	 * @return the newest version, or null once stopped
	 */
	@Nullable Wanted next(boolean connected) throws InterruptedException {
		synchronized (this.monitor) {
			while (!this.stopped && !connected && this.subscriptions.isEmpty()) {
				this.applied = this.version;
				this.monitor.notifyAll();
				this.monitor.wait();
			}
			if (this.stopped) {
				return null;
			}
			this.connecting = !connected;
			return new Wanted(this.version, Set.copyOf(this.subscriptions.keySet()));
		}
	}

	/** The channels the server listens on for this client, as far as the thread knows. */
	Set<String> listening() {
		synchronized (this.monitor) {
			return this.listening;
		}
	}

	/** For the listener thread: the server listens on the channels of this version now. */
	void listened(Wanted wanted) {
		synchronized (this.monitor) {
			this.connecting = false;
			this.listening = wanted.channels();
			if (this.applied < wanted.version()) {
				this.applied = wanted.version();
				this.monitor.notifyAll();
			}
		}
	}

	/** For the listener thread: opening the connection, or listening on it, failed for this version. */
	void failed(long version, SQLException failure, boolean toConnect) {
		synchronized (this.monitor) {
			this.connecting = false;
			this.failed = version;
			this.failure = failure;
			this.failedToConnect = toConnect;
			this.monitor.notifyAll();
		}
	}

	/** Why the last attempt failed, or null. */
	@Nullable SQLException lastFailure() {
		synchronized (this.monitor) {
			return this.failure;
		}
	}

	/** For the listener thread: the connection is gone, and every LISTEN with it. */
	void lost() {
		synchronized (this.monitor) {
			this.listening = Set.of();
		}
	}

	/**
	 * For the listener thread: waits before the next attempt, unless a caller of listen() is waiting for
	 * a newer version than the last attempt failed for.
	 * @return false when stopped meanwhile
	 */
	boolean awaitRetry(Duration pause) throws InterruptedException {
		long deadline = System.nanoTime() + pause.toNanos();
		synchronized (this.monitor) {
			while (!this.stopped && (this.requested <= this.failed || this.requested <= this.applied)) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					break;
				}
				TimeUnit.NANOSECONDS.timedWait(this.monitor, remaining);
			}
			return !this.stopped;
		}
	}

	/** For the listener thread, when it ends: no attempt is under way any more. */
	void threadEnded() {
		synchronized (this.monitor) {
			this.connecting = false;
			this.monitor.notifyAll();
		}
	}

	boolean isStopped() {
		return this.stopped;
	}

	/**
	 * Refuses new subscriptions, and wakes the thread and every caller waiting.
	 * @return whether the thread is opening a connection, a wait that an interrupt ends
	 */
	boolean stop() {
		synchronized (this.monitor) {
			this.stopped = true;
			this.monitor.notifyAll();
			return this.connecting;
		}
	}

	/**
	 * One version of the subscriptions: the channels the server should listen on.
	 * @param version the count of changes it includes
	 * @param channels its channels
	 */
	record Wanted(long version, Set<String> channels) {

	}

	/** One handler on one channel, until closed. */
	final class Registration implements Subscription {

		final String channel;

		final Consumer<Notification> handler;

		volatile boolean active = true;

		Registration(String channel, Consumer<Notification> handler) {
			this.channel = channel;
			this.handler = handler;
		}

		@Override
		public String channel() {
			return this.channel;
		}

		@Override
		public void close() {
			unsubscribe(this);
		}

		@Override
		public String toString() {
			return "Subscription[" + this.channel + (this.active ? "" : ", closed") + "]";
		}

	}

}
