package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of the listener thread: keeps its connection open, listening on the subscribed channels,
 * and replaces it when it is lost.
 *
 * <p>The thread does everything on the connection, because pgjdbc's {@code getNotifications(timeout)}
 * holds the connection's lock for as long as it waits: a LISTEN from another thread would queue behind
 * it. So the thread waits a short while at a time ({@link #POLL_INTERVAL}), delivers what arrived, and
 * in between brings the server's set of channels in step with the subscriptions. A connection silent
 * for {@link #KEEPALIVE_INTERVAL} is checked with {@code SELECT 1}.
 *
 * <p>A dropped connection is replaced after a jittered backoff that doubles from {@link #FIRST_BACKOFF}
 * to at most {@link #MAX_BACKOFF} (the first retry after a connection that lived long is immediate), and
 * every channel is listened on again. Notifications sent in between are lost: PostgreSQL keeps
 * notifications only for sessions that are listening.
 */
final class ListenerLoop implements Runnable {

	/** The listener's own category, where its users look for its log. */
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

	/** Never an immediate retry after a setback: each waits at least half its ceiling. */
	private static final Backoff BACKOFF = Backoff.equalJitter(FIRST_BACKOFF, MAX_BACKOFF);

	private final PostgresClientConfig config;

	private final Subscriptions subscriptions;

	private final Delivery delivery;

	/** Opened, used and closed by the thread only; aborted from outside. */
	private final UnpooledConnection connection;

	/** Confined to the thread. */
	private long lastTraffic;

	ListenerLoop(PostgresClientConfig config, Subscriptions subscriptions, Delivery delivery) {
		this.config = config;
		this.subscriptions = subscriptions;
		this.delivery = delivery;
		this.connection = new UnpooledConnection(config, "listener", null);
	}

	@Override
	public void run() {
		// Failed attempts, and connections lost soon after they opened, since the last stable connection.
		int setbacks = 0;
		int attempts = 0;
		long connectedAt = 0;
		long lostAt = 0;
		try {
			while (true) {
				Subscriptions.Wanted wanted = this.subscriptions.next(this.connection.current() != null);
				if (wanted == null) {
					return;
				}
				Connection connection = this.connection.current();
				if (connection == null) {
					connection = connect(wanted);
					attempts++;
					if (connection == null) {
						if (this.subscriptions.isStopped()) {
							return;
						}
						setbacks++;
						logFailedAttempt(lostAt, attempts);
						if (!this.subscriptions.awaitRetry(backoff(setbacks))) {
							return;
						}
						continue;
					}
					if (this.subscriptions.isStopped()) {
						return;
					}
					connectedAt = System.nanoTime();
					this.lastTraffic = connectedAt;
					logConnected(lostAt, attempts, wanted.channels());
					lostAt = 0;
					attempts = 0;
				}
				try {
					serve(connection, wanted);
				}
				catch (SQLException | RuntimeException ex) {
					if (this.subscriptions.isStopped()) {
						return;
					}
					discardConnection();
					lostAt = System.nanoTime();
					setbacks = (lostAt - connectedAt < MAX_BACKOFF.toNanos()) ? setbacks + 1 : 0;
					logger.warn("Lost the LISTEN connection to {} ({}: {}); reconnecting", this.config.describeTarget(),
							sqlState(ex), ex.getMessage());
					if (!this.subscriptions.awaitRetry(backoff(setbacks))) {
						return;
					}
				}
			}
		}
		catch (InterruptedException ex) {
			// Only stopping the listener interrupts this thread.
		}
		finally {
			discardConnection();
			this.subscriptions.threadEnded();
		}
	}

	/** The pause after this many setbacks in a row: none after none. */
	static Duration backoff(int setbacks) {
		return (setbacks <= 0) ? Duration.ZERO : Duration.ofMillis(BACKOFF.pauseMillis(setbacks - 1));
	}

	/**
	 * Opens the connection and listens on every channel; when that fails, tells the callers waiting for
	 * this version why.
	 */
	private @Nullable Connection connect(Subscriptions.Wanted wanted) {
		Connection connection = null;
		try {
			connection = this.connection.open();
			execute(connection, Channels.changes(wanted.channels(), Set.of()));
			this.subscriptions.listened(wanted);
			return connection;
		}
		catch (SQLException | RuntimeException ex) {
			discardConnection();
			this.subscriptions.failed(wanted.version(),
					(ex instanceof SQLException sql) ? sql : new SQLException(String.valueOf(ex), ex), connection == null);
			return null;
		}
	}

	/**
	 * Brings the server's channels in step with the subscriptions, then waits for notifications and
	 * delivers them; checks a silent connection now and then.
	 */
	private void serve(Connection connection, Subscriptions.Wanted wanted) throws SQLException {
		Set<String> listening = this.subscriptions.listening();
		if (!wanted.channels().equals(listening)) {
			execute(connection, Channels.changes(wanted.channels(), listening));
			this.lastTraffic = System.nanoTime();
		}
		this.subscriptions.listened(wanted);
		PGNotification[] received = connection.unwrap(PGConnection.class)
			.getNotifications((int) POLL_INTERVAL.toMillis());
		if (received != null && received.length > 0) {
			this.lastTraffic = System.nanoTime();
			this.delivery.deliver(received);
		}
		else if (System.nanoTime() - this.lastTraffic >= KEEPALIVE_INTERVAL.toNanos()) {
			execute(connection, "SELECT 1");
			this.lastTraffic = System.nanoTime();
		}
	}

	private static void execute(Connection connection, String sql) throws SQLException {
		if (!sql.isEmpty()) {
			try (Statement statement = connection.createStatement()) {
				statement.execute(sql);
			}
		}
	}

	private void logFailedAttempt(long lostAt, int attempts) {
		SQLException failure = this.subscriptions.lastFailure();
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
		this.subscriptions.lost();
		this.connection.close();
	}

	/**
	 * Closes the connection's socket from another thread: a wait on a server that stopped answering
	 * ends at once.
	 */
	void abortConnection() {
		this.connection.abort();
	}

}
