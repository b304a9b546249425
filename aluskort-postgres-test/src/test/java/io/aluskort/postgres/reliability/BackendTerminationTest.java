package io.aluskort.postgres.reliability;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.ThreadPerTask;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A backend killed with {@code pg_terminate_backend}: when it was idle, the pool notices on the next
 * borrow and replaces it, so no call fails; when it was busy, only the call it ran fails, typed.
 */
@PostgresTest
class BackendTerminationTest {

	private static final String SCENARIO = "1. backend terminated";

	@Test
	void idleBackendsKilledAreReplacedBeforeTheNextCallUsesThem(PostgresDatabase database, PostgresClient observer)
			throws Exception {
		try (PostgresClient client = new PostgresClient(
				database.clientConfig().applicationName("idle-kill").minSize(3).maxSize(3).build())) {
			client.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> client.poolStats().total() == 3);
			List<Integer> before = pids(observer, "idle-kill");
			assertThat(before).hasSize(3);
			assertThat(terminate(observer, "idle-kill")).isEqualTo(3);
			// Idle for a second: the pool validates a connection idle for more than 500 ms before handing it out.
			Thread.sleep(1100);
			long start = System.nanoTime();
			List<CompletableFuture<Object>> calls = List.of(call(client), call(client), call(client));
			for (CompletableFuture<Object> call : calls) {
				assertThat(call.get()).isEqualTo(1);
			}
			Duration firstCalls = Figures.since(start);
			for (int i = 0; i < 20; i++) {
				assertThat(client.fetchValue(Integer.class, "SELECT 1")).contains(1);
			}
			assertThat(pids(observer, "idle-kill")).doesNotContainAnyElementsOf(before);
			Figures.record(SCENARIO, "idle: calls failed", 0);
			Figures.record(SCENARIO, "idle: 3 concurrent calls on 3 killed connections took", firstCalls);
		}
	}

	@Test
	void aBusyBackendKilledFailsOnlyItsOwnCall(PostgresDatabase database, PostgresClient observer) throws Exception {
		try (PostgresClient client = new PostgresClient(
				database.clientConfig().applicationName("busy-kill").minSize(2).maxSize(2).build())) {
			client.connect();
			CompletableFuture<Object> busy = CompletableFuture.supplyAsync(() -> client.execute("SELECT pg_sleep(30)"), ThreadPerTask.INSTANCE);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !observer.fetchMany("SELECT pid FROM pg_stat_activity WHERE application_name = 'busy-kill' "
						+ "AND state = 'active' AND query = 'SELECT pg_sleep(30)'").isEmpty());
			long start = System.nanoTime();
			observer.execute("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
					+ "WHERE application_name = 'busy-kill' AND state = 'active' AND query = 'SELECT pg_sleep(30)'");
			ExecutionException failure = assertThrows(ExecutionException.class, busy::get);
			Duration failedAfter = Figures.since(start);
			// 57P01 when the termination notice is read, 08006 when only the closed socket is.
			assertThat(failure.getCause()).isInstanceOf(DataAccessResourceFailureException.class)
				.satisfies((ex) -> assertThat(((SQLException) ex.getCause()).getSQLState())
					.matches("57P01|08\\d{3}"));
			assertThat(failedAfter).isLessThan(Duration.ofSeconds(5));
			for (int i = 0; i < 20; i++) {
				assertThat(client.fetchValue(Integer.class, "SELECT 1")).contains(1);
			}
			Figures.record(SCENARIO, "busy: the killed call failed after", failedAfter);
			Figures.record(SCENARIO, "busy: later calls failed", 0);
		}
	}

	private static CompletableFuture<Object> call(PostgresClient client) {
		return CompletableFuture
			.supplyAsync(() -> client.fetchOne("SELECT 1 AS one, pg_sleep(0.2)").orElseThrow().get("one"), ThreadPerTask.INSTANCE);
	}

	private static List<Integer> pids(PostgresClient observer, String applicationName) {
		return observer.fetchMany(Integer.class, "SELECT pid FROM pg_stat_activity WHERE application_name = $1",
				applicationName);
	}

	private static long terminate(PostgresClient observer, String applicationName) {
		return observer.fetchValue(Long.class, "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) "
				+ "FROM pg_stat_activity WHERE application_name = $1", applicationName).orElseThrow();
	}

}
