package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers whether the server is there, within a bound of its own, even when every pooled connection
 * is busy.
 *
 * <p>The probe runs {@code SELECT 1} on a connection of its own, outside the pool: a probe that borrowed
 * from the pool would report an exhausted pool as a dead database, and a readiness check built on it
 * would take a busy but healthy instance out of service. Pool exhaustion shows in the pool's own figures
 * instead. The probe runs on a thread of its own and the caller waits at most the health timeout; probes
 * asked for while one is running share its answer, so a hung network never piles up threads.
 *
 * <p>The connection is kept from one probe to the next, and named {@code <applicationName>-health} in
 * {@code pg_stat_activity}. Kept, it may have died unseen (a server restart between two probes): a probe
 * whose kept connection fails tries once more on a new one before it reports the server down.
 */
final class HealthProbe implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(HealthProbe.class);

	private final PostgresClientConfig config;

	/** Opened, closed and used by the probe thread only; aborted by close(). */
	private final UnpooledConnection connection;

	private final Duration timeout;

	private final ExecutorService executor;

	/** Confined to the probe thread. */
	private @Nullable String serverVersion;

	private @Nullable CompletableFuture<HealthStatus> running;

	private boolean closed;

	HealthProbe(PostgresClientConfig config) {
		this.config = config;
		this.timeout = config.healthTimeout();
		// The health timeout bounds opening it too: a backstop for the probe thread itself, as the
		// caller's own wait is bounded exactly in check().
		this.connection = new UnpooledConnection(config, "health", this.timeout);
		this.executor = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "aluskort-postgres-health");
			thread.setDaemon(true);
			return thread;
		});
	}

	HealthStatus check() {
		long start = System.nanoTime();
		CompletableFuture<HealthStatus> probe;
		synchronized (this) {
			if (this.closed) {
				return HealthStatus.down(Duration.ZERO, "IllegalStateException", "PostgresClient is closed");
			}
			if (this.running == null || this.running.isDone()) {
				this.running = CompletableFuture.supplyAsync(this::probe, this.executor);
			}
			probe = this.running;
		}
		try {
			return probe.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			return HealthStatus.down(since(start), "TimeoutException",
					"No answer from " + this.config.describeTarget() + " within " + this.timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return HealthStatus.down(since(start), "InterruptedException", "Interrupted while probing");
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			return HealthStatus.down(since(start), cause.getClass().getSimpleName(), cause.getMessage());
		}
	}

	private HealthStatus probe() {
		try {
			return attempt(System.nanoTime(), this.connection.current() != null);
		}
		finally {
			// A probe that outlived close() must not keep its connection, and so a backend, open.
			if (isClosed()) {
				this.connection.close();
			}
		}
	}

	/**
	 * Runs {@code SELECT 1}, and once more on a new connection when the one kept from an earlier probe
	 * fails.
	 * @param kept whether the connection was kept from an earlier probe
	 */
	private HealthStatus attempt(long start, boolean kept) {
		try {
			selectOne();
			// connection() read the version when it connected.
			return HealthStatus.up(since(start), Objects.requireNonNull(this.serverVersion));
		}
		catch (SQLException | RuntimeException ex) {
			logger.debug("Health probe of {} failed: {}", this.config.describeTarget(), ex.toString());
			this.connection.close();
			if (kept && !isClosed()) {
				// It may have died unseen, with a server restart between two probes: once more, on a new one.
				return attempt(start, false);
			}
			return HealthStatus.down(since(start), ex.getClass().getSimpleName(), ex.getMessage());
		}
	}

	private void selectOne() throws SQLException {
		try (Statement statement = connection().createStatement()) {
			statement.execute("SELECT 1");
		}
	}

	private synchronized boolean isClosed() {
		return this.closed;
	}

	private Connection connection() throws SQLException {
		Connection connection = this.connection.current();
		if (connection == null || connection.isClosed()) {
			connection = this.connection.open();
			this.serverVersion = connection.getMetaData().getDatabaseProductVersion();
		}
		return connection;
	}

	private static Duration since(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

	@Override
	public void close() {
		synchronized (this) {
			this.closed = true;
		}
		this.executor.execute(this.connection::close);
		this.executor.shutdown();
		try {
			if (!this.executor.awaitTermination(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				// A probe still waiting on the server, which an interrupt would not end: it fails at once.
				this.connection.abort();
				this.executor.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.connection.abort();
			this.executor.shutdownNow();
		}
	}

}
