package io.aluskort.postgres.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.aluskort.postgres.PostgresClientConfig;
import io.aluskort.postgres.SessionReset;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code aluskort.postgres.socket-timeout}, {@code pool.leak-detection-threshold} and
 * {@code pool.session-reset}: bound into the client's config, checked like every other value.
 */
class ReliabilityPropertiesTests {

	@Test
	void defaultsAreTheClients() {
		PostgresClientConfig config = configOf(Map.of());
		assertThat(config.socketTimeout()).isEqualTo(config.statementTimeout().plus(
				PostgresClientConfig.DEFAULT_SOCKET_TIMEOUT_MARGIN));
		assertThat(config.leakDetectionThreshold()).isZero();
		assertThat(config.sessionReset()).isEqualTo(SessionReset.WHEN_CHANGED);
	}

	@Test
	void bindIntoTheConfig() {
		PostgresClientConfig config = configOf(Map.of("aluskort.postgres.socket-timeout", "45s",
				"aluskort.postgres.pool.leak-detection-threshold", "1m", "aluskort.postgres.pool.session-reset",
				"always"));
		assertThat(config.socketTimeout()).isEqualTo(Duration.ofSeconds(45));
		assertThat(config.leakDetectionThreshold()).isEqualTo(Duration.ofMinutes(1));
		assertThat(config.sessionReset()).isEqualTo(SessionReset.ALWAYS);
	}

	@Test
	void invalidValuesNameTheirProperty() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AluskortPostgresAutoConfiguration.class));
		runner.withPropertyValues("aluskort.postgres.socket-timeout=10s").run((context) -> {
			FailureAnalysis analysis = new InvalidPostgresPropertyFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'aluskort.postgres.socket-timeout'")
				.contains("must be longer than statement-timeout");
		});
		runner.withPropertyValues("aluskort.postgres.pool.leak-detection-threshold=500ms").run((context) -> {
			FailureAnalysis analysis = new InvalidPostgresPropertyFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'aluskort.postgres.pool.leak-detection-threshold'");
		});
	}

	private static PostgresClientConfig configOf(Map<String, String> values) {
		AluskortPostgresProperties properties = new Binder(new MapConfigurationPropertySource(values))
			.bindOrCreate("aluskort.postgres", AluskortPostgresProperties.class);
		return new PostgresClientConfigFactory(properties, new MockEnvironment(), null).create(List.of());
	}

}
