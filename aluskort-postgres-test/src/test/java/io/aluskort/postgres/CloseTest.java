package io.aluskort.postgres;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

@PostgresTest
class CloseTest {

	private static long backendsNamed(PostgresClient observer, String applicationName) {
		return (Long) observer
			.fetchOne("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1", applicationName)
			.orElseThrow()
			.get("n");
	}

	@Test
	void runningCallsFinishNewCallsFailAtOnceAndEveryConnectionIsGone(PostgresDatabase database,
			PostgresClient observer) throws Exception {
		PostgresClient client = new PostgresClient(
				database.clientConfig().applicationName("drain").shutdownTimeout(Duration.ofSeconds(10)).build());
		client.connect();
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<CommandStatus> running = CompletableFuture.supplyAsync(() -> client.transaction((tx) -> {
			started.countDown();
			tx.execute("SELECT pg_sleep(1)");
			return tx.execute("SELECT 1");
		}), ThreadPerTask.INSTANCE);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Void> closing = CompletableFuture.runAsync(client::close, ThreadPerTask.INSTANCE);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatIllegalStateException()
			.isThrownBy(() -> client.execute("SELECT 1"))
			.withMessageContaining("is closed"));
		assertThat(running.get(10, TimeUnit.SECONDS).tag()).isEqualTo("SELECT 1");
		closing.get(10, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(5)).until(() -> backendsNamed(observer, "drain") == 0);
		client.close();
	}

	@Test
	void callsStillRunningAfterTheShutdownTimeoutAreAborted(PostgresDatabase database, PostgresClient observer)
			throws Exception {
		PostgresClient client = new PostgresClient(database.clientConfig()
			.applicationName("abort")
			.minSize(1)
			.shutdownTimeout(Duration.ofMillis(300))
			.build());
		client.connect();
		CompletableFuture<CommandStatus> running = CompletableFuture.supplyAsync(() -> client.execute("SELECT pg_sleep(20)"), ThreadPerTask.INSTANCE);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> !observer.fetchMany("SELECT 1 FROM pg_stat_activity WHERE application_name = 'abort' "
					+ "AND query = 'SELECT pg_sleep(20)' AND state = 'active'").isEmpty());
		long start = System.nanoTime();
		client.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(running).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withCauseInstanceOf(DataAccessException.class);
		// The server notices the dropped client within client_connection_check_interval.
		await().atMost(Duration.ofSeconds(10)).until(() -> backendsNamed(observer, "abort") == 0);
	}

}
