package io.aluskort.postgres.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.aluskort.postgres.PoolExhaustedException;
import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.ThreadPerTask;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every connection in use: a caller waits at most the acquire timeout and learns that the pool is
 * exhausted and how large it is, whichever call it made; the health check stays bounded and true.
 */
@PostgresTest
class PoolExhaustionTest {

	private static final String SCENARIO = "4. pool exhausted";

	private static final Duration ACQUIRE_TIMEOUT = Duration.ofMillis(500);

	@Test
	void callersWaitTheAcquireTimeoutAndLearnThePoolIsExhausted(PostgresDatabase database) throws Exception {
		try (PostgresClient client = new PostgresClient(database.clientConfig()
			.minSize(1)
			.maxSize(2)
			.acquireTimeout(ACQUIRE_TIMEOUT)
			.healthTimeout(Duration.ofSeconds(1))
			.build())) {
			client.connect();
			CountDownLatch holding = new CountDownLatch(2);
			CountDownLatch release = new CountDownLatch(1);
			List<CompletableFuture<Object>> holders = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				holders.add(CompletableFuture.supplyAsync(() -> client.transaction((tx) -> {
					tx.execute("SELECT 1");
					holding.countDown();
					return await(release);
				}), ThreadPerTask.INSTANCE));
			}
			assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

			Duration longest = Duration.ZERO;
			for (Supplier<Object> call : List.<Supplier<Object>>of(() -> client.execute("SELECT 1"),
					() -> client.transaction((tx) -> tx.execute("SELECT 1")),
					() -> client.stream("SELECT 1").count(), () -> client.executeBatch("SELECT $1::int",
							List.<Object[]>of(new Object[] { 1 })))) {
				long start = System.nanoTime();
				assertThatExceptionOfType(PoolExhaustedException.class).isThrownBy(call::get).satisfies((ex) -> {
					assertThat(ex).isInstanceOf(CannotGetJdbcConnectionException.class)
						.hasMessageContaining("pool exhausted")
						.hasMessageContaining("all 2 connections");
					assertThat(ex.maxSize()).isEqualTo(2);
					assertThat(ex.acquireTimeout()).isEqualTo(ACQUIRE_TIMEOUT);
				});
				Duration waited = Figures.since(start);
				assertThat(waited).isGreaterThanOrEqualTo(ACQUIRE_TIMEOUT.minusMillis(50))
					.isLessThan(ACQUIRE_TIMEOUT.plusSeconds(1));
				longest = (waited.compareTo(longest) > 0) ? waited : longest;
			}
			long start = System.nanoTime();
			assertThat(client.healthCheck()).isTrue();
			Duration health = Figures.since(start);
			assertThat(health).isLessThan(Duration.ofMillis(1500));

			release.countDown();
			for (CompletableFuture<Object> holder : holders) {
				holder.get(10, TimeUnit.SECONDS);
			}
			assertThat(client.fetchValue(Integer.class, "SELECT 1")).contains(1);
			Figures.record(SCENARIO, "longest wait for PoolExhaustedException (acquire timeout 500 ms)", longest);
			Figures.record(SCENARIO, "health check while exhausted", health);
		}
	}

	@Test
	void aServerThatLetsNoConnectionInIsNotAnExhaustedPool(PostgresDatabase database) {
		FaultProxy proxy = FaultProxy.to(database.host(), database.port());
		try (PostgresClient client = new PostgresClient(database.clientConfig()
			.host(proxy.host())
			.port(proxy.port())
			.minSize(0)
			.maxSize(2)
			.acquireTimeout(ACQUIRE_TIMEOUT)
			.build())) {
			client.connect();
			proxy.close();
			assertThatExceptionOfType(CannotGetJdbcConnectionException.class)
				.isThrownBy(() -> client.execute("SELECT pg_sleep(0.6)"))
				.isNotInstanceOf(PoolExhaustedException.class);
		}
	}

	private static Object await(CountDownLatch latch) {
		try {
			return latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
