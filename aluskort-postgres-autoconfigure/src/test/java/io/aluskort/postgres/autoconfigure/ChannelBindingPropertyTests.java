package io.aluskort.postgres.autoconfigure;

import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.PostgresClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@code aluskort.postgres.channel-binding} reaches the driver as pgjdbc's {@code channelBinding}, also
 * when set through an environment variable, which a driver-properties map key is not: relaxed binding
 * lower-cases it, and pgjdbc's property names are case-sensitive.
 */
class ChannelBindingPropertyTests {

	private final HikariDataSource pool = new HikariDataSource();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AluskortPostgresAutoConfiguration.class))
		.withBean(PostgresClient.class, this::client);

	@AfterEach
	void closePool() {
		this.pool.close();
	}

	private PostgresClient client() {
		PostgresClient client = mock(PostgresClient.class);
		given(client.dataSource()).willReturn(this.pool);
		given(client.config()).willReturn(PostgresClientConfig.builder().build());
		return client;
	}

	@Test
	void channelBindingBecomesTheDriverProperty() {
		this.runner.withPropertyValues("aluskort.postgres.channel-binding=require", "aluskort.postgres.ssl-mode=verify-full")
			.run((context) -> assertThat(context.getBean(PostgresClientConfig.class).driverProperties())
				.containsEntry("channelBinding", "require"));
		this.runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("ALUSKORT_POSTGRES_CHANNELBINDING", "require"))))
			.run((context) -> assertThat(context.getBean(PostgresClientConfig.class).driverProperties())
				.containsEntry("channelBinding", "require"));
		this.runner.run((context) -> assertThat(context.getBean(PostgresClientConfig.class).driverProperties())
			.doesNotContainKey("channelBinding"));
	}

	@Test
	void anUnknownValueFailsStartup() {
		this.runner.withPropertyValues("aluskort.postgres.channel-binding=sometimes")
			.run((context) -> assertThat(context).hasFailed());
	}

}
