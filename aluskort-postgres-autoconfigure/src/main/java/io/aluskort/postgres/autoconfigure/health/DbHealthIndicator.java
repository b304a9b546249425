package io.aluskort.postgres.autoconfigure.health;

import io.aluskort.postgres.HealthStatus;
import io.aluskort.postgres.PostgresClient;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Spring Boot's {@code db} indicator, for the pool of a {@link PostgresClient} that serves as the
 * application's {@code DataSource}, bounded like {@link PostgresHealthIndicator}. Boot's own
 * {@code DataSourceHealthIndicator} borrows from the pool and, when the database vanishes or the pool
 * is exhausted, waits for the pool's acquire timeout (30 seconds by default), which holds up the whole
 * health endpoint. Same details as Boot's: the database product and the validation query.
 */
class DbHealthIndicator implements HealthIndicator {

	private final PostgresClient client;

	DbHealthIndicator(PostgresClient client) {
		this.client = client;
	}

	@Override
	public Health health() {
		HealthStatus status = this.client.probeHealth();
		Health.Builder builder = status.up() ? Health.up() : Health.down();
		builder.withDetail("database", "PostgreSQL").withDetail("validationQuery", "SELECT 1");
		if (!status.up()) {
			builder.withDetail("error", PostgresHealthIndicator.error(status));
		}
		return builder.build();
	}

}
