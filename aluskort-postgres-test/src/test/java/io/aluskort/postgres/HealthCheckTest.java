package io.aluskort.postgres;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@PostgresTest
class HealthCheckTest {

	@Test
	void upWithVersionAndTiming(PostgresClient db) {
		HealthStatus status = db.probeHealth();
		assertThat(status.up()).isTrue();
		assertThat(status.serverVersion()).matches("1[6-9].*|[2-9][0-9].*");
		assertThat(status.responseTime()).isPositive();
		assertThat(db.healthCheck()).isTrue();
	}

	@Test
	void boundedAndTrueWhileThePoolIsExhausted(PostgresDatabase database) throws Exception {
		try (PostgresClient client = new PostgresClient(database.clientConfig()
			.minSize(1)
			.maxSize(1)
			.healthTimeout(Duration.ofSeconds(1))
			.build())) {
			client.connect();
			CountDownLatch holding = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<Object> holder = CompletableFuture.supplyAsync(() -> client.transaction((tx) -> {
				holding.countDown();
				try {
					return release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			}), ThreadPerTask.INSTANCE);
			assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(client.poolStats().active()).isEqualTo(1);
			long start = System.nanoTime();
			assertThat(client.healthCheck()).isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
			release.countDown();
			holder.get(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void falseWithinItsTimeoutWhileTheServerIsDownThenTrueAgain(PostgresDatabase database) {
		Assumptions.assumeTrue(database.server().controllable(), "needs the embedded server");
		try (PostgresClient client = new PostgresClient(
				database.clientConfig().minSize(1).healthTimeout(Duration.ofSeconds(1)).build())) {
			client.connect();
			assertThat(client.healthCheck()).isTrue();
			database.server().stop();
			try {
				for (int i = 0; i < 3; i++) {
					long start = System.nanoTime();
					HealthStatus status = client.probeHealth();
					assertThat(status.up()).isFalse();
					assertThat(status.errorType()).isNotBlank();
					assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
				}
			}
			finally {
				database.server().start();
			}
			await().atMost(Duration.ofSeconds(10)).until(client::healthCheck);
		}
	}

	@Test
	void falseWhenClosed(PostgresDatabase database) {
		PostgresClient client = new PostgresClient(database.clientConfig().minSize(1).build());
		client.connect();
		assertThat(client.healthCheck()).isTrue();
		client.close();
		assertThat(client.healthCheck()).isFalse();
		assertThat(client.probeHealth().errorMessage()).contains("closed");
	}

}
