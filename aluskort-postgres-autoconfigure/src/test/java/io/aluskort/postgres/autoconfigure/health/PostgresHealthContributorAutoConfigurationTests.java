package io.aluskort.postgres.autoconfigure.health;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.aluskort.postgres.HealthStatus;
import io.aluskort.postgres.PoolStats;
import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.PostgresClientConfig;
import io.aluskort.postgres.autoconfigure.AluskortPostgresAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link PostgresHealthContributorAutoConfiguration} and the indicators, with a mock client.
 */
class PostgresHealthContributorAutoConfigurationTests {

	private final HikariDataSource pool = new HikariDataSource();

	private final PostgresClient client = mock(PostgresClient.class);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AluskortPostgresAutoConfiguration.class,
				PostgresHealthContributorAutoConfiguration.class, DataSourceAutoConfiguration.class,
				DataSourceHealthContributorAutoConfiguration.class))
		.withBean(PostgresClient.class, () -> this.client);

	PostgresHealthContributorAutoConfigurationTests() {
		given(this.client.dataSource()).willReturn(this.pool);
		given(this.client.config()).willReturn(PostgresClientConfig.builder().database("alerts").build());
		given(this.client.poolStats()).willReturn(new PoolStats(1, 4, 5, 0, 20));
	}

	@AfterEach
	void closePool() {
		this.pool.close();
	}

	@Test
	void registersPostgresAndABoundedDbForThePool() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(PostgresHealthIndicator.class);
			assertThat(context).hasBean("postgresHealthIndicator");
			assertThat(context.getBean("dbHealthIndicator")).isInstanceOf(DbHealthIndicator.class);
			assertThat(context).doesNotHaveBean("dbHealthContributor");
			assertThat(context).doesNotHaveBean(DataSourceHealthIndicator.class);
		});
	}

	@Test
	void postgresCanBeSwitchedOff() {
		this.runner.withPropertyValues("management.health.postgres.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PostgresHealthIndicator.class));
	}

	@Test
	void dbCanBeSwitchedOff() {
		this.runner.withPropertyValues("management.health.db.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(PostgresHealthIndicator.class);
			assertThat(context).doesNotHaveBean("dbHealthIndicator");
			assertThat(context).doesNotHaveBean("dbHealthContributor");
		});
	}

	@Test
	void ownDbIndicatorWins() {
		HealthIndicator own = () -> Health.up().build();
		this.runner.withBean("dbHealthIndicator", HealthIndicator.class, () -> own)
			.run((context) -> assertThat(context.getBean("dbHealthIndicator")).isSameAs(own));
	}

	@Test
	void ownPostgresIndicatorWins() {
		HealthIndicator own = () -> Health.up().build();
		this.runner.withBean("postgresHealthIndicator", HealthIndicator.class, () -> own).run((context) -> {
			assertThat(context.getBean("postgresHealthIndicator")).isSameAs(own);
			assertThat(context).doesNotHaveBean(PostgresHealthIndicator.class);
		});
	}

	@Test
	void bootsDbStaysForADataSourceOfTheApplication() {
		DataSource own = new DriverManagerDataSource("jdbc:postgresql://elsewhere/db");
		this.runner.withBean("dataSource", DataSource.class, () -> own).run((context) -> {
			assertThat(context).hasSingleBean(PostgresHealthIndicator.class);
			assertThat(context).doesNotHaveBean("dbHealthIndicator");
			assertThat(context.getBean("dbHealthContributor")).isInstanceOf(DataSourceHealthIndicator.class);
		});
	}

	@Test
	void noDbReplacementWithoutSpringBootsJdbcModule() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AluskortPostgresAutoConfiguration.class,
					PostgresHealthContributorAutoConfiguration.class))
			.withBean(PostgresClient.class, () -> this.client)
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.jdbc"))
			.run((context) -> {
				assertThat(context).hasSingleBean(PostgresHealthIndicator.class);
				assertThat(context).doesNotHaveBean("dbHealthIndicator");
			});
	}

	@Test
	void nothingWithoutSpringBootsHealthModule() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AluskortPostgresAutoConfiguration.class,
					PostgresHealthContributorAutoConfiguration.class))
			.withBean(PostgresClient.class, () -> this.client)
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(PostgresClient.class);
				assertThat(context).doesNotHaveBean(PostgresHealthIndicator.class);
				assertThat(context).doesNotHaveBean("dbHealthIndicator");
			});
	}

	@Test
	void upWithVersionDatabasePoolAndResponseTime() {
		given(this.client.probeHealth()).willReturn(new HealthStatus(true, Duration.ofMillis(3), "17.6", null, null));
		Health health = new PostgresHealthIndicator(this.client).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("version", "17.6")
			.containsEntry("database", "alerts")
			.containsEntry("responseTime", "3.0ms")
			.containsEntry("pool", Map.of("active", 1, "idle", 4, "total", 5, "pending", 0, "max", 20))
			.doesNotContainKey("error");
	}

	@Test
	void downWithTheErrorAndNoVersion() {
		given(this.client.probeHealth()).willReturn(
				new HealthStatus(false, Duration.ofMillis(2000), null, "TimeoutException", "No answer within PT2S"));
		Health health = new PostgresHealthIndicator(this.client).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("error", "TimeoutException: No answer within PT2S")
			.containsEntry("database", "alerts")
			.containsEntry("responseTime", "2000.0ms")
			.doesNotContainKey("version");
	}

	@Test
	void downWithoutAPoolWhenClosed() {
		given(this.client.probeHealth())
			.willReturn(new HealthStatus(false, Duration.ZERO, null, "IllegalStateException", "PostgresClient is closed"));
		given(this.client.poolStats()).willThrow(new IllegalStateException("closed"));
		Health health = new PostgresHealthIndicator(this.client).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).doesNotContainKey("pool");
	}

	@Test
	void dbLooksLikeBootsOwn() {
		given(this.client.probeHealth()).willReturn(new HealthStatus(true, Duration.ofMillis(3), "17.6", null, null));
		Health health = new DbHealthIndicator(this.client).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("database", "PostgreSQL").containsEntry("validationQuery", "SELECT 1");
	}

}
