package io.aluskort.postgres.reliability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.ThreadPerTask;
import io.aluskort.postgres.TransactionOptions;
import io.aluskort.postgres.TransactionOutcomeUnknownException;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DuplicateKeyException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Retries that are safe: a transaction the server rolled back for a serialization failure or a
 * deadlock runs again, whole; one whose COMMIT was lost on the way never does, and says so.
 */
@PostgresTest
class SafeRetryTest {

	private static final String SCENARIO = "8. transaction retries";

	private static final TransactionOptions SERIALIZABLE = TransactionOptions.defaults()
		.isolation(TransactionOptions.Isolation.SERIALIZABLE);

	private final PostgresClient client;

	SafeRetryTest(PostgresClient client) {
		this.client = client;
	}

	@BeforeEach
	void accounts() {
		this.client.execute("DROP TABLE IF EXISTS counter, ledger");
		this.client.execute("CREATE TABLE counter (id int PRIMARY KEY, v bigint NOT NULL)");
		this.client.execute("INSERT INTO counter VALUES (1, 0), (2, 0)");
		this.client.execute("CREATE TABLE ledger (id text PRIMARY KEY)");
	}

	@Test
	void aSerializationFailureRunsTheWholeCallbackAgain() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		CyclicBarrier bothRead = new CyclicBarrier(2);
		CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> increment(SERIALIZABLE.retries(3),
				attempts, bothRead), ThreadPerTask.INSTANCE);
		CompletableFuture<Object> second = CompletableFuture.supplyAsync(() -> increment(SERIALIZABLE.retries(3),
				attempts, bothRead), ThreadPerTask.INSTANCE);
		first.get(30, TimeUnit.SECONDS);
		second.get(30, TimeUnit.SECONDS);
		// Both read 0; the loser saw 40001, ran again, read 1 and wrote 2: nothing lost.
		assertThat(attempts).hasValue(3);
		assertThat(this.client.fetchValue(Long.class, "SELECT v FROM counter WHERE id = 1")).contains(2L);
		Figures.record(SCENARIO, "40001: attempts for 2 conflicting increments, final value", "3 attempts, 2");
	}

	@Test
	void withoutRetriesTheConflictReachesTheCaller() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		CyclicBarrier bothRead = new CyclicBarrier(2);
		CompletableFuture<Object> first = CompletableFuture
			.supplyAsync(() -> increment(SERIALIZABLE, attempts, bothRead), ThreadPerTask.INSTANCE);
		CompletableFuture<Object> second = CompletableFuture
			.supplyAsync(() -> increment(SERIALIZABLE, attempts, bothRead), ThreadPerTask.INSTANCE);
		int failed = 0;
		for (CompletableFuture<Object> call : List.of(first, second)) {
			try {
				call.get(30, TimeUnit.SECONDS);
			}
			catch (ExecutionException ex) {
				assertThat(ex.getCause()).isInstanceOf(CannotAcquireLockException.class);
				failed++;
			}
		}
		assertThat(failed).isEqualTo(1);
		assertThat(attempts).hasValue(2);
	}

	@Test
	void aDeadlockRunsTheVictimAgain() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		CyclicBarrier bothLocked = new CyclicBarrier(2);
		TransactionOptions retried = TransactionOptions.defaults().retries(3);
		CompletableFuture<Object> first = CompletableFuture
			.supplyAsync(() -> lockBoth(retried, 1, 2, attempts, bothLocked), ThreadPerTask.INSTANCE);
		CompletableFuture<Object> second = CompletableFuture
			.supplyAsync(() -> lockBoth(retried, 2, 1, attempts, bothLocked), ThreadPerTask.INSTANCE);
		first.get(30, TimeUnit.SECONDS);
		second.get(30, TimeUnit.SECONDS);
		// The victim runs again; its new run may take the row back first and deadlock once more.
		assertThat(attempts.get()).isBetween(3, 5);
		// Each transaction added 2 exactly once: the runs that failed left nothing behind.
		assertThat(this.client.fetchValue(Long.class, "SELECT sum(v) FROM counter")).contains(4L);
		Figures.record(SCENARIO, "40P01: 2 deadlocking transactions", attempts.get() + " attempts, both applied once");
	}

	@Test
	void aServerAnswerToCommitIsTheServersError() {
		this.client.execute("CREATE TABLE deferred (id int UNIQUE DEFERRABLE INITIALLY DEFERRED)");
		AtomicInteger attempts = new AtomicInteger();
		assertThatExceptionOfType(DuplicateKeyException.class)
			.isThrownBy(() -> this.client.transaction(SERIALIZABLE.retries(3), (tx) -> {
				attempts.incrementAndGet();
				tx.execute("INSERT INTO deferred VALUES (1), (1)");
				return null;
			}));
		assertThat(attempts).hasValue(1);
	}

	@Test
	void aCommitLostOnTheWayIsAnUnknownOutcomeAndNeverRetried(PostgresDatabase database) {
		try (FaultProxy proxy = FaultProxy.to(database.host(), database.port());
				PostgresClient remote = throughProxy(database, proxy)) {
			remote.connect();
			AtomicInteger attempts = new AtomicInteger();
			long start = System.nanoTime();
			assertThatExceptionOfType(TransactionOutcomeUnknownException.class)
				.isThrownBy(() -> remote.transaction(SERIALIZABLE.retries(5), (tx) -> {
					attempts.incrementAndGet();
					tx.execute("INSERT INTO ledger VALUES ($1)", "committed-after-all");
					// The callback is done: COMMIT goes out next, into a network that carries nothing.
					proxy.blackhole();
					return null;
				}))
				.satisfies((ex) -> assertThat(ex.getSQLException().getSQLState()).startsWith("08"));
			Duration unknownAfter = Figures.since(start);
			assertThat(attempts).hasValue(1);
			// The network heals and the COMMIT the client gave up on arrives: it did commit. A retry would
			// have applied it twice.
			proxy.heal();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.client.fetchValue(Long.class,
						"SELECT count(*) FROM ledger WHERE id = 'committed-after-all'")).contains(1L));
			Figures.record(SCENARIO, "COMMIT into a blackhole: TransactionOutcomeUnknownException after", unknownAfter);
		}
	}

	@Test
	void aCommitCutOffIsAnUnknownOutcomeToo(PostgresDatabase database) {
		try (FaultProxy proxy = FaultProxy.to(database.host(), database.port());
				PostgresClient remote = throughProxy(database, proxy)) {
			remote.connect();
			AtomicInteger attempts = new AtomicInteger();
			assertThatExceptionOfType(TransactionOutcomeUnknownException.class)
				.isThrownBy(() -> remote.transaction(SERIALIZABLE.retries(5), (tx) -> {
					attempts.incrementAndGet();
					tx.execute("INSERT INTO ledger VALUES ($1)", "never-committed");
					proxy.blackhole();
					CompletableFuture.runAsync(() -> {
						sleep(Duration.ofMillis(300));
						proxy.cut();
						proxy.heal();
					}, ThreadPerTask.INSTANCE);
					return null;
				}));
			assertThat(attempts).hasValue(1);
			// This time the COMMIT was lost with the connection: the server rolled back.
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(this.client.fetchValue(Long.class,
						"SELECT count(*) FROM ledger WHERE id = 'never-committed'")).contains(0L));
			assertThat(remote.fetchValue(Integer.class, "SELECT 1")).contains(1);
		}
	}

	private static PostgresClient throughProxy(PostgresDatabase database, FaultProxy proxy) {
		return new PostgresClient(database.clientConfig()
			.host(proxy.host())
			.port(proxy.port())
			.minSize(1)
			.maxSize(2)
			.statementTimeout(Duration.ofSeconds(1))
			.socketTimeout(Duration.ofSeconds(2))
			.acquireTimeout(Duration.ofSeconds(2))
			.build());
	}

	private Object increment(TransactionOptions options, AtomicInteger attempts, CyclicBarrier bothRead) {
		return this.client.transaction(options, (tx) -> {
			boolean first = attempts.incrementAndGet() <= 2;
			long value = tx.fetchValue(Long.class, "SELECT v FROM counter WHERE id = 1").orElseThrow();
			if (first) {
				arrive(bothRead);
			}
			return tx.execute("UPDATE counter SET v = $1 WHERE id = 1", value + 1);
		});
	}

	private Object lockBoth(TransactionOptions options, int firstId, int secondId, AtomicInteger attempts,
			CyclicBarrier bothLocked) {
		return this.client.transaction(options, (tx) -> {
			boolean first = attempts.incrementAndGet() <= 2;
			tx.execute("UPDATE counter SET v = v + 1 WHERE id = $1", firstId);
			if (first) {
				arrive(bothLocked);
			}
			return tx.execute("UPDATE counter SET v = v + 1 WHERE id = $1", secondId);
		});
	}

	private static void arrive(CyclicBarrier barrier) {
		try {
			barrier.await(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
