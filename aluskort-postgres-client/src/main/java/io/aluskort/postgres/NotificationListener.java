package io.aluskort.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * The LISTEN side of a client: a connection of its own, outside the pool, opened on the first
 * subscription, and one daemon thread that owns it.
 *
 * <p>The thread does everything on the connection, because pgjdbc's
 * {@code getNotifications(timeout)} holds the connection's lock for as long as it waits: a LISTEN from
 * another thread would queue behind it. So the thread waits a short while at a time
 * ({@link #POLL_INTERVAL}), delivers what arrived, and in between brings the server's set of channels
 * in step with the subscriptions. {@link #listen} registers a handler and waits for the thread to have
 * done that, so a notification sent after it returns is delivered.
 *
 * <p>A dropped connection is replaced after a jittered backoff that doubles from
 * {@link #FIRST_BACKOFF} to at most {@link #MAX_BACKOFF} (the first retry after a connection that
 * lived long is immediate), and every channel is listened on again. Notifications sent in between are
 * lost: PostgreSQL keeps notifications only for sessions that are listening.
 */
final class NotificationListener {

	private static final Logger logger = LoggerFactory.getLogger(NotificationListener.class);

	/** How long the thread waits for notifications before it looks at subscriptions and close again. */
	static final Duration POLL_INTERVAL = Duration.ofMillis(200);

	/**
	 * How long the connection may stay silent before the thread checks it with {@code SELECT 1}: a
	 * connection whose server vanished without closing it otherwise looks merely quiet, for hours.
	 */
	static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(30);

	static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

	static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

	/** How long close() waits for the thread after aborting its connection. */
	private static final Duration ABORT_WAIT = Duration.ofSeconds(1);

	/** NAMEDATALEN - 1: the server truncates a longer identifier, and LISTEN would miss the channel. */
	private static final int MAX_CHANNEL_BYTES = 63;

	private static final AtomicInteger threadNumbers = new AtomicInteger();

	private final PostgresClientConfig config;

	private final ClientCore core;

	private final Properties properties;

	/** Guards the fields below it; the thread and the callers of listen() wait on it for each other. */
	private final Object monitor = new Object();

	/** Changed under the monitor, read by the thread without it: each list is replaced, never changed. */
	private final Map<String, List<Registration>> subscriptions = new ConcurrentHashMap<>();

	/** The channels the server listens on for this client, as far as the thread knows. */
	private final Set<String> listening = new HashSet<>();

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

	private @Nullable Thread thread;

	private boolean connecting;

	private volatile boolean stopped;

	/** Written by the thread only; read by close() to abort it. */
	private volatile @Nullable Connection connection;

	/** Confined to the thread. */
	private long lastTraffic;

	NotificationListener(PostgresClientConfig config, ClientCore core) {
		this.config = config;
		this.core = core;
		this.properties = DriverProperties.of(config);
		this.properties.setProperty("ApplicationName", this.properties.getProperty("ApplicationName") + "-listener");
		// Statements here are LISTENs and SELECT 1: one slower than a health check has lost its server.
		this.properties.setProperty("socketTimeout",
				Long.toString(DriverProperties.ceilSeconds(config.healthTimeout()) + 1));
		this.properties.setProperty("user", config.user());
		this.properties.setProperty("password", config.password());
	}

	/**
	 * Checks that a channel is an identifier: a letter or underscore, then letters, digits, underscores
	 * or dollar signs, at most 63 bytes. It is quoted, so its case is kept and a keyword is a name too.
	 */
	static String requireChannel(String channel) {
		Objects.requireNonNull(channel, "channel");
		if (!isIdentifier(channel)) {
			throw new IllegalArgumentException("Channel '" + channel
					+ "' is not an identifier: a letter or _, then letters, digits, _ or $");
		}
		int bytes = channel.getBytes(StandardCharsets.UTF_8).length;
		if (bytes > MAX_CHANNEL_BYTES) {
			throw new IllegalArgumentException("Channel '" + channel + "' is " + bytes
					+ " bytes long; PostgreSQL channel names have at most " + MAX_CHANNEL_BYTES);
		}
		return channel;
	}

	private static boolean isIdentifier(String name) {
		if (name.isEmpty()) {
			return false;
		}
		int first = name.codePointAt(0);
		if (!Character.isLetter(first) && first != '_') {
			return false;
		}
		return name.codePoints()
			.skip(1)
			.allMatch((c) -> Character.isLetterOrDigit(c) || c == '_' || c == '$');
	}

	/** LISTEN takes an identifier, not a parameter; the name was checked, and quoting keeps its case. */
	private static String quote(String channel) {
		return '"' + channel.replace("\"", "\"\"") + '"';
	}

	Subscription listen(String channel, Consumer<Notification> handler) {
		requireChannel(channel);
		Objects.requireNonNull(handler, "handler");
		long start = this.core.startTiming();
		Throwable failure = null;
		try {
			return subscribe(new Registration(channel, handler));
		}
		catch (RuntimeException ex) {
			failure = ex;
			throw ex;
		}
		finally {
			this.core.completed(CallListener.LISTEN, start, failure);
		}
	}

	private Registration subscribe(Registration registration) {
		long deadline = System.nanoTime() + listenTimeout().toNanos();
		synchronized (this.monitor) {
			if (this.stopped) {
				throw closed();
			}
			this.subscriptions.merge(registration.channel, List.of(registration), NotificationListener::concat);
			if (this.listening.contains(registration.channel) && this.applied == this.version) {
				// Already listening, and no UNLISTEN of it under way.
				return registration;
			}
			long target = ++this.version;
			this.requested = target;
			startThread();
			this.monitor.notifyAll();
			if (Thread.currentThread() == this.thread) {
				// Called from a handler: the thread listens as soon as the handler returns.
				return registration;
			}
			boolean listened = false;
			try {
				while (this.applied < target) {
					if (this.stopped) {
						throw closed();
					}
					if (this.failed >= target) {
						throw cannotListen(registration.channel);
					}
					long remaining = deadline - System.nanoTime();
					if (remaining <= 0) {
						throw new DataAccessResourceFailureException("Not listening on channel '" + registration.channel
								+ "' after " + listenTimeout() + ": the listener of " + this.config.describeTarget()
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
						"Interrupted while waiting to listen on channel '" + registration.channel + "'");
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
		return this.core.translate(CallListener.LISTEN, "LISTEN " + quote(channel), cause);
	}

	private IllegalStateException closed() {
		return new IllegalStateException("PostgresClient for " + this.config.describeTarget() + " is closed");
	}

	private void startThread() {
		Thread thread = this.thread;
		if (thread == null || !thread.isAlive()) {
			thread = new Thread(this::run, "aluskort-postgres-listener-" + threadNumbers.incrementAndGet());
			thread.setDaemon(true);
			this.thread = thread;
			thread.start();
		}
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

	private void run() {
		// Failed attempts, and connections lost soon after they opened, since the last stable connection.
		int setbacks = 0;
		int attempts = 0;
		long connectedAt = 0;
		long lostAt = 0;
		try {
			while (true) {
				long target;
				Set<String> wanted;
				synchronized (this.monitor) {
					while (!this.stopped && this.connection == null && this.subscriptions.isEmpty()) {
						this.applied = this.version;
						this.monitor.notifyAll();
						this.monitor.wait();
					}
					if (this.stopped) {
						return;
					}
					target = this.version;
					wanted = Set.copyOf(this.subscriptions.keySet());
					this.connecting = (this.connection == null);
				}
				Connection connection = this.connection;
				if (connection == null) {
					connection = connect(target, wanted);
					attempts++;
					if (connection == null) {
						if (this.stopped) {
							return;
						}
						setbacks++;
						logFailedAttempt(lostAt, attempts);
						if (!backOff(setbacks)) {
							return;
						}
						continue;
					}
					if (this.stopped) {
						return;
					}
					connectedAt = System.nanoTime();
					this.lastTraffic = connectedAt;
					logConnected(lostAt, attempts, wanted);
					lostAt = 0;
					attempts = 0;
				}
				try {
					serve(connection, target, wanted);
				}
				catch (SQLException | RuntimeException ex) {
					if (this.stopped) {
						return;
					}
					discardConnection();
					lostAt = System.nanoTime();
					setbacks = (lostAt - connectedAt < MAX_BACKOFF.toNanos()) ? setbacks + 1 : 0;
					logger.warn("Lost the LISTEN connection to {} ({}: {}); reconnecting", this.config.describeTarget(),
							sqlState(ex), ex.getMessage());
					if (!backOff(setbacks)) {
						return;
					}
				}
			}
		}
		catch (InterruptedException ex) {
			// Only stop() interrupts this thread.
		}
		finally {
			discardConnection();
			synchronized (this.monitor) {
				this.connecting = false;
				this.monitor.notifyAll();
			}
		}
	}

	/**
	 * Opens the connection and listens on every channel; when that fails, tells the callers waiting for
	 * this version why.
	 */
	private @Nullable Connection connect(long target, Set<String> wanted) {
		Connection connection = null;
		try {
			connection = new Driver().connect(this.config.jdbcUrl(), this.properties);
			if (connection == null) {
				throw new SQLException("pgjdbc does not accept " + this.config.jdbcUrl());
			}
			this.connection = connection;
			execute(connection, changes(wanted, Set.of()));
			synchronized (this.monitor) {
				this.connecting = false;
				this.listening.addAll(wanted);
				this.applied = Math.max(this.applied, target);
				this.monitor.notifyAll();
			}
			return connection;
		}
		catch (SQLException | RuntimeException ex) {
			discardConnection();
			synchronized (this.monitor) {
				this.connecting = false;
				this.failed = target;
				this.failure = (ex instanceof SQLException sql) ? sql : new SQLException(String.valueOf(ex), ex);
				this.failedToConnect = (connection == null);
				this.monitor.notifyAll();
			}
			return null;
		}
	}

	/**
	 * Brings the server's channels in step with the subscriptions, then waits for notifications and
	 * delivers them; checks a silent connection now and then.
	 */
	private void serve(Connection connection, long target, Set<String> wanted) throws SQLException {
		if (!wanted.equals(this.listening)) {
			execute(connection, changes(wanted, this.listening));
			this.lastTraffic = System.nanoTime();
		}
		synchronized (this.monitor) {
			if (this.applied < target) {
				this.listening.clear();
				this.listening.addAll(wanted);
				this.applied = Math.max(this.applied, target);
				this.monitor.notifyAll();
			}
		}
		PGNotification[] received = connection.unwrap(PGConnection.class)
			.getNotifications((int) POLL_INTERVAL.toMillis());
		if (received != null && received.length > 0) {
			this.lastTraffic = System.nanoTime();
			deliver(received);
		}
		else if (System.nanoTime() - this.lastTraffic >= KEEPALIVE_INTERVAL.toNanos()) {
			execute(connection, "SELECT 1");
			this.lastTraffic = System.nanoTime();
		}
	}

	private static String changes(Set<String> wanted, Set<String> current) {
		StringBuilder sql = new StringBuilder();
		for (String channel : current) {
			if (!wanted.contains(channel)) {
				sql.append("UNLISTEN ").append(quote(channel)).append(';');
			}
		}
		for (String channel : wanted) {
			if (!current.contains(channel)) {
				sql.append("LISTEN ").append(quote(channel)).append(';');
			}
		}
		return sql.toString();
	}

	private static void execute(Connection connection, String sql) throws SQLException {
		if (!sql.isEmpty()) {
			try (Statement statement = connection.createStatement()) {
				statement.execute(sql);
			}
		}
	}

	private void deliver(PGNotification[] received) {
		for (PGNotification each : received) {
			if (this.stopped) {
				return;
			}
			List<Registration> registrations = this.subscriptions.get(each.getName());
			if (registrations == null) {
				continue;
			}
			Notification notification = new Notification(each.getName(), each.getParameter(), each.getPID());
			for (Registration registration : registrations) {
				if (registration.active) {
					try {
						registration.handler.accept(notification);
					}
					catch (Throwable ex) {
						logger.warn("A handler of channel '{}' failed on a notification from backend {}; "
								+ "delivery goes on", notification.channel(), notification.pid(), ex);
					}
				}
			}
		}
	}

	/**
	 * Waits before the next attempt, unless a caller of listen() is waiting for a newer state than the
	 * last attempt failed for.
	 * @return false when stopped meanwhile
	 */
	private boolean backOff(int setbacks) throws InterruptedException {
		long deadline = System.nanoTime() + backoff(setbacks).toNanos();
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

	static Duration backoff(int setbacks) {
		if (setbacks <= 0) {
			return Duration.ZERO;
		}
		long delay = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(setbacks - 1, 20));
		// Jitter, so that the clients of many instances do not reconnect in step after a restart.
		return Duration.ofMillis(delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1));
	}

	private void logFailedAttempt(long lostAt, int attempts) {
		SQLException failure;
		synchronized (this.monitor) {
			failure = this.failure;
		}
		String reason = (failure != null) ? sqlState(failure) + ": " + failure.getMessage() : "unknown";
		if (lostAt != 0 && attempts == 1) {
			logger.warn("Cannot reconnect the LISTEN connection to {} yet ({}); retrying with a backoff of up to {}",
					this.config.describeTarget(), reason, MAX_BACKOFF);
		}
		else {
			logger.debug("Attempt {} to open the LISTEN connection to {} failed ({})", attempts,
					this.config.describeTarget(), reason);
		}
	}

	private void logConnected(long lostAt, int attempts, Set<String> channels) {
		if (lostAt == 0) {
			logger.info("PostgresClient for {} listens for notifications on a connection of its own",
					this.config.describeTarget());
		}
		else {
			logger.info("Reconnected the LISTEN connection to {} after {} attempt(s), {} ms after it was lost; "
					+ "listening again on {}", this.config.describeTarget(), attempts,
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostAt), new TreeSet<>(channels));
		}
	}

	private static @Nullable String sqlState(Throwable ex) {
		return (ex instanceof SQLException sql) ? sql.getSQLState() : ex.getClass().getSimpleName();
	}

	private void discardConnection() {
		Connection connection = this.connection;
		this.connection = null;
		synchronized (this.monitor) {
			this.listening.clear();
		}
		if (connection != null) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				logger.trace("Closing the LISTEN connection failed", ex);
			}
		}
	}

	/**
	 * Refuses new subscriptions and tells the thread to stop after the handler it may be running. Does
	 * not wait; {@link #awaitStopped} does.
	 */
	void stop() {
		synchronized (this.monitor) {
			this.stopped = true;
			this.monitor.notifyAll();
			Thread thread = this.thread;
			if (thread != null && this.connecting) {
				// pgjdbc stops waiting for a login when interrupted; nothing else on this thread is.
				thread.interrupt();
			}
		}
	}

	/**
	 * Waits for the thread to end, until the deadline (and at least two polls); then aborts its
	 * connection, which ends a wait on a server that stopped answering, and gives it a moment more.
	 * @param deadline a {@link System#nanoTime()} value
	 */
	void awaitStopped(long deadline) {
		Thread thread;
		synchronized (this.monitor) {
			thread = this.thread;
		}
		if (thread == null || thread == Thread.currentThread()) {
			return;
		}
		try {
			if (!joined(thread, Math.max(deadline, System.nanoTime() + 2 * POLL_INTERVAL.toNanos()))) {
				logger.warn("The listener of {} is still running a handler or waiting on the server; aborting its "
						+ "connection", this.config.describeTarget());
				abortConnection();
				thread.interrupt();
				if (!joined(thread, System.nanoTime() + ABORT_WAIT.toNanos())) {
					logger.warn("The listener thread {} of {} does not end: a handler does not return",
							thread.getName(), this.config.describeTarget());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			abortConnection();
		}
	}

	private static boolean joined(Thread thread, long deadline) throws InterruptedException {
		long remaining = deadline - System.nanoTime();
		if (remaining > 0) {
			thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
		}
		return !thread.isAlive();
	}

	private void abortConnection() {
		Connection connection = this.connection;
		if (connection != null) {
			try {
				connection.abort(Runnable::run);
			}
			catch (SQLException | RuntimeException ex) {
				logger.trace("Aborting the LISTEN connection failed", ex);
			}
		}
	}

	private final class Registration implements Subscription {

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
