package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;
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
 */
final class HealthProbe implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(HealthProbe.class);

	private final PostgresClientConfig config;

	private final Properties properties;

	private final Duration timeout;

	private final ExecutorService executor;

	/** Confined to the probe thread. */
	private @Nullable Connection connection;

	/** Confined to the probe thread. */
	private @Nullable String serverVersion;

	private @Nullable CompletableFuture<HealthStatus> running;

	private boolean closed;

	HealthProbe(PostgresClientConfig config) {
		this.config = config;
		this.timeout = config.healthTimeout();
		this.properties = DriverProperties.of(config);
		long seconds = DriverProperties.ceilSeconds(this.timeout);
		// Backstops for the probe thread itself; the caller's own wait is bounded exactly below.
		this.properties.setProperty("connectTimeout", Long.toString(seconds));
		this.properties.setProperty("loginTimeout", Long.toString(seconds));
		this.properties.setProperty("socketTimeout", Long.toString(seconds + 1));
		this.properties.setProperty("user", config.user());
		this.properties.setProperty("password", config.password());
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
		long start = System.nanoTime();
		try {
			Connection connection = connection();
			try (Statement statement = connection.createStatement()) {
				statement.execute("SELECT 1");
			}
			return HealthStatus.up(since(start), this.serverVersion);
		}
		catch (SQLException | RuntimeException ex) {
			logger.debug("Health probe of {} failed: {}", this.config.describeTarget(), ex.toString());
			closeConnection();
			return HealthStatus.down(since(start), ex.getClass().getSimpleName(), ex.getMessage());
		}
	}

	private Connection connection() throws SQLException {
		Connection connection = this.connection;
		if (connection == null || connection.isClosed()) {
			connection = new Driver().connect(this.config.jdbcUrl(), this.properties);
			if (connection == null) {
				throw new SQLException("pgjdbc does not accept " + this.config.jdbcUrl());
			}
			this.serverVersion = connection.getMetaData().getDatabaseProductVersion();
			this.connection = connection;
		}
		return connection;
	}

	private void closeConnection() {
		Connection connection = this.connection;
		this.connection = null;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				logger.trace("Closing the health connection failed", ex);
			}
		}
	}

	private static Duration since(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

	@Override
	public void close() {
		synchronized (this) {
			this.closed = true;
		}
		this.executor.execute(this::closeConnection);
		this.executor.shutdown();
		try {
			if (!this.executor.awaitTermination(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.executor.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.executor.shutdownNow();
		}
	}

}
