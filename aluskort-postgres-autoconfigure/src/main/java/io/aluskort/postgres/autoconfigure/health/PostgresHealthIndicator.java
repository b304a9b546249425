package io.aluskort.postgres.autoconfigure.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.aluskort.postgres.HealthStatus;
import io.aluskort.postgres.PoolStats;
import io.aluskort.postgres.PostgresClient;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of a {@link PostgresClient}'s server, from {@link PostgresClient#probeHealth()}: a
 * {@code SELECT 1} on a connection of the probe's own, answered within the client's health timeout
 * even when every pooled connection is busy.
 *
 * <p>Details when up: the server's version, the database, the pool's connections (active, idle,
 * total, pending, max) and the response time. When down: the error's type and message instead of the
 * version. Never credentials.
 */
public class PostgresHealthIndicator implements HealthIndicator {

	private final PostgresClient client;

	/**
	 * An indicator for the client.
	 * @param client the client whose server to probe
	 */
	public PostgresHealthIndicator(PostgresClient client) {
		this.client = client;
	}

	@Override
	public Health health() {
		HealthStatus status = this.client.probeHealth();
		Health.Builder builder = status.up() ? Health.up() : Health.down();
		if (status.up() && status.serverVersion() != null) {
			builder.withDetail("version", status.serverVersion());
		}
		builder.withDetail("database", this.client.config().database());
		if (!status.up()) {
			builder.withDetail("error", error(status));
		}
		Map<String, Integer> pool = pool();
		if (pool != null) {
			builder.withDetail("pool", pool);
		}
		builder.withDetail("responseTime", format(status.responseTime()));
		return builder.build();
	}

	static String error(HealthStatus status) {
		String type = (status.errorType() != null) ? status.errorType() : "Unknown";
		return (status.errorMessage() != null) ? type + ": " + status.errorMessage() : type;
	}

	private @Nullable Map<String, Integer> pool() {
		try {
			PoolStats stats = this.client.poolStats();
			Map<String, Integer> pool = new LinkedHashMap<>();
			pool.put("active", stats.active());
			pool.put("idle", stats.idle());
			pool.put("total", stats.total());
			pool.put("pending", stats.pending());
			pool.put("max", stats.max());
			return pool;
		}
		catch (IllegalStateException ex) {
			// Not connected, or closed: there is no pool to describe.
			return null;
		}
	}

	/** Milliseconds with one decimal, for example {@code 0.4ms}: a local probe often takes less than one. */
	static String format(Duration duration) {
		long tenths = (duration.toNanos() + 50_000) / 100_000;
		return (tenths / 10) + "." + (tenths % 10) + "ms";
	}

}
