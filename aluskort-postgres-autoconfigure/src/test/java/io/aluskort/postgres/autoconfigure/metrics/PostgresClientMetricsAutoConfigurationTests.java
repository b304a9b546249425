package io.aluskort.postgres.autoconfigure.metrics;

import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.aluskort.postgres.CallListener;
import io.aluskort.postgres.Operation;
import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.PostgresClientConfig;
import io.aluskort.postgres.autoconfigure.AluskortPostgresAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link PostgresClientMetricsAutoConfiguration} and {@link PostgresClientMetrics}.
 */
class PostgresClientMetricsAutoConfigurationTests {

	private final HikariDataSource pool = new HikariDataSource();

	private final PostgresClient client = mock(PostgresClient.class);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AluskortPostgresAutoConfiguration.class,
				PostgresClientMetricsAutoConfiguration.class))
		.withBean(PostgresClient.class, () -> this.client);

	PostgresClientMetricsAutoConfigurationTests() {
		given(this.client.dataSource()).willReturn(this.pool);
		given(this.client.config()).willReturn(PostgresClientConfig.builder().build());
	}

	@AfterEach
	void closePool() {
		this.pool.close();
	}

	@Test
	void registersTheTimersAndThePoolBinderWithAMeterRegistry() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(PostgresClientMetrics.class);
			assertThat(context).hasSingleBean(CallListener.class);
			assertThat(context).hasSingleBean(PostgresPoolMeterBinder.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find(PostgresClientMetrics.METER_NAME).timers())
				.hasSize(3 * Operation.values().length);
			context.getBean(PostgresPoolMeterBinder.class).bindTo(registry);
			assertThat(this.pool.getMetricsTrackerFactory()).isNotNull();
		});
	}

	@Test
	void nothingWithoutAMeterRegistry() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(PostgresClientMetrics.class));
	}

	@Test
	void nothingWithoutMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(PostgresClientMetrics.class);
			});
	}

	@Test
	void tagsOperationAndOutcome() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		PostgresClientMetrics metrics = new PostgresClientMetrics(registry);
		metrics.callCompleted(Operation.EXECUTE, TimeUnit.MILLISECONDS.toNanos(5), null);
		metrics.callCompleted(Operation.FETCH_ONE, 1, new QueryTimeoutException("cancelled"));
		metrics.callCompleted(Operation.FETCH_MANY, 1, new CannotGetJdbcConnectionException("no connection",
				new SQLTransientConnectionException("request timed out")));
		metrics.callCompleted(Operation.TRANSACTION, 1, new DuplicateKeyException("dup"));
		assertThat(timer(registry, "execute", "success").count()).isEqualTo(1);
		assertThat(timer(registry, "execute", "success").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5.0);
		assertThat(timer(registry, "fetchOne", "timeout").count()).isEqualTo(1);
		assertThat(timer(registry, "fetchMany", "timeout").count()).isEqualTo(1);
		assertThat(timer(registry, "transaction", "error").count()).isEqualTo(1);
		assertThat(registry.find(PostgresClientMetrics.METER_NAME).timers().stream().mapToLong(Timer::count).sum())
			.isEqualTo(4);
	}

	@Test
	void registersTheTimersOfEveryOperationUnderItsTagValue() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new PostgresClientMetrics(registry);
		assertThat(Operation.values()).extracting(Operation::tagValue)
			.containsExactly("execute", "fetchOne", "fetchMany", "fetchValue", "executeBatch", "copyIn", "copyOut",
					"stream", "transaction", "notify", "listen");
		for (Operation operation : Operation.values()) {
			for (String outcome : PostgresClientMetrics.OUTCOMES) {
				assertThat(timer(registry, operation.tagValue(), outcome).count()).isZero();
			}
		}
	}

	private static Timer timer(MeterRegistry registry, String operation, String outcome) {
		return registry.get(PostgresClientMetrics.METER_NAME).tag("operation", operation).tag("outcome", outcome).timer();
	}

}
