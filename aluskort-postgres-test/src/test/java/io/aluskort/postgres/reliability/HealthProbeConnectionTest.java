package io.aluskort.postgres.reliability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.aluskort.postgres.HealthStatus;
import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The health probe's own connection, outside the pool: it names itself in {@code pg_stat_activity},
 * survives a server restart no probe saw, and never outlives the client.
 */
@PostgresTest
class HealthProbeConnectionTest {

	private final ExecutorService executor = Executors.newSingleThreadExecutor();

	@AfterEach
	void stopExecutor() {
		this.executor.shutdownNow();
	}

	@Test
	void theProbeConnectionHasAnApplicationNameOfItsOwn(PostgresDatabase database, PostgresClient observer) {
		try (PostgresClient client = new PostgresClient(
				database.clientConfig().applicationName("probe-name").minSize(1).maxSize(1).build())) {
			client.connect();
			assertThat(client.healthCheck()).isTrue();
			assertThat(backends(observer, "probe-name")).containsExactlyInAnyOrder("probe-name", "probe-name-health");
		}
	}

	@Test
	void theFirstProbeAfterAnUnseenRestartIsUp(PostgresDatabase database) {
		assumeTrue(database.server().controllable(), "needs the embedded server");
		try (PostgresClient client = new PostgresClient(
				database.clientConfig().applicationName("probe-restart").minSize(1).build())) {
			client.connect();
			assertThat(client.healthCheck()).isTrue();
			// The probe's connection is cached; the restart ends its backend without any probe seeing it.
			database.server().restart();
			HealthStatus status = client.probeHealth();
			assertThat(status.up()).as("%s", status).isTrue();
			assertThat(client.healthCheck()).isTrue();
		}
	}

	@Test
	void aProbeStuckOnTheNetworkWhenTheClientClosesLeavesNoBackend(PostgresDatabase database,
			PostgresClient observer) throws Exception {
		try (FaultProxy proxy = FaultProxy.to(database.host(), database.port())) {
			PostgresClient client = new PostgresClient(database.clientConfig()
				.host(proxy.host())
				.port(proxy.port())
				.applicationName("probe-leak")
				.minSize(1)
				.maxSize(1)
				.healthTimeout(Duration.ofSeconds(1))
				.shutdownTimeout(Duration.ofMillis(200))
				.build());
			client.connect();
			assertThat(client.healthCheck()).isTrue();
			proxy.blackhole();
			// The probe thread sends SELECT 1 into the blackhole and waits for its socket timeout (2 s);
			// the caller gives up after the health timeout (1 s).
			Future<HealthStatus> stuck = this.executor.submit(client::probeHealth);
			Thread.sleep(100);
			client.close();
			// The answer the blackhole held back arrives before the probe's socket timeout: a probe that
			// outlived close() would take it and keep its connection, and its backend, for good.
			proxy.heal();
			assertThat(stuck.get(5, TimeUnit.SECONDS).up()).isFalse();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(backends(observer, "probe-leak")).isEmpty();
				assertThat(proxy.openConnections()).isZero();
			});
		}
	}

	private static List<String> backends(PostgresClient observer, String applicationName) {
		return observer.fetchMany(String.class, "SELECT application_name FROM pg_stat_activity "
				+ "WHERE datname = current_database() AND application_name LIKE $1 || '%'", applicationName);
	}

}
