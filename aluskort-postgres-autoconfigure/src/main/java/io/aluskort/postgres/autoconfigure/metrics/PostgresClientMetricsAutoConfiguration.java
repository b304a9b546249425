package io.aluskort.postgres.autoconfigure.metrics;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.autoconfigure.AluskortPostgresAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link PostgresClient}'s metrics, when Micrometer is present and a
 * {@link MeterRegistry} bean exists: a timer per call ({@value PostgresClientMetrics#METER_NAME}) and
 * HikariCP's pool meters ({@code hikaricp.connections.*}).
 */
@AutoConfiguration(after = AluskortPostgresAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({ PostgresClient.class, MeterRegistry.class })
@ConditionalOnBean({ PostgresClient.class, MeterRegistry.class })
public final class PostgresClientMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PostgresClientMetrics postgresClientMetrics(MeterRegistry meterRegistry) {
		return new PostgresClientMetrics(meterRegistry);
	}

	@Bean
	@ConditionalOnMissingBean
	PostgresPoolMeterBinder postgresPoolMeterBinder(ObjectProvider<PostgresClient> postgresClients) {
		return new PostgresPoolMeterBinder(postgresClients);
	}

}
