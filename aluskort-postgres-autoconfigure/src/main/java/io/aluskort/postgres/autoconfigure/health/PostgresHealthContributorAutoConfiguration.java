package io.aluskort.postgres.autoconfigure.health;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.autoconfigure.AluskortPostgresAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code postgres} health indicator, when Spring Boot's health support
 * (Actuator) is present and {@code management.health.postgres.enabled} is not false.
 *
 * <p>When the client's pool serves as the application's {@code DataSource} and Spring Boot's JDBC
 * module is present, Boot would also check that pool as {@code db}, borrowing a pooled connection and
 * waiting up to the pool's acquire timeout when the database is gone. For that pool, {@code db} is
 * replaced by an indicator bounded like {@code postgres} ({@code management.health.db.enabled=false}
 * still switches it off, and a {@code dbHealthIndicator} bean of your own still wins).
 */
@AutoConfiguration(after = AluskortPostgresAutoConfiguration.class,
		beforeName = "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration")
@ConditionalOnClass({ PostgresClient.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(PostgresClient.class)
public final class PostgresHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnEnabledHealthIndicator("postgres")
	@ConditionalOnMissingBean(name = { "postgresHealthIndicator", "postgresHealthContributor" })
	PostgresHealthIndicator postgresHealthIndicator(PostgresClient postgresClient) {
		return new PostgresHealthIndicator(postgresClient);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.jdbc.health.DataSourceHealthIndicator")
	@ConditionalOnBean(name = AluskortPostgresAutoConfiguration.DATA_SOURCE_BEAN_NAME)
	@ConditionalOnEnabledHealthIndicator("db")
	static class DbHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = { "dbHealthIndicator", "dbHealthContributor" })
		DbHealthIndicator dbHealthIndicator(PostgresClient postgresClient) {
			return new DbHealthIndicator(postgresClient);
		}

	}

}
