package io.aluskort.postgres.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.PostgresClientConfig;
import io.aluskort.postgres.ThreadPerTask;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A network that stops carrying anything (the proxy accepts, but forwards nothing): no call blocks past
 * its bound, no thread is left hanging, and the pool recovers by itself once the network heals, also
 * when the blackhole hits while it is opening connections.
 *
 * <p>The bounds: a call on a connection in use waits for the socket timeout ({@code 3 s} here, which
 * outlasts the statement timeout of {@code 1 s} the server would have answered within); a call that needs
 * a connection waits for the acquire timeout plus one validation ({@code 1 s + 0.5 s}).
 */
@PostgresTest
class BlackholeTest {

	private static final String SCENARIO = "3. blackholed network";

	private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(3);

	private static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(1);

	/** HikariCP validates a connection idle for more than 500 ms, for at most half the acquire timeout. */
	private static final Duration VALIDATION = Duration.ofMillis(500);

	/** Scheduling slack on a loaded two-core machine. */
	private static final Duration SLACK = Duration.ofMillis(1500);

	private FaultProxy proxy;

	private PostgresClient client;

	@BeforeEach
	void connectThroughTheProxy(PostgresDatabase database) {
		this.proxy = FaultProxy.to(database.host(), database.port());
		this.client = new PostgresClient(config(database, 2));
		this.client.connect();
	}

	private PostgresClientConfig config(PostgresDatabase database, int minSize) {
		return database.clientConfig()
			.host(this.proxy.host())
			.port(this.proxy.port())
			.applicationName("blackhole")
			.minSize(minSize)
			.maxSize(4)
			.statementTimeout(Duration.ofSeconds(1))
			.socketTimeout(SOCKET_TIMEOUT)
			.acquireTimeout(ACQUIRE_TIMEOUT)
			.connectTimeout(Duration.ofSeconds(2))
			.healthTimeout(Duration.ofSeconds(1))
			.shutdownTimeout(Duration.ofSeconds(1))
			.build();
	}

	@AfterEach
	void close() {
		this.proxy.heal();
		this.client.close();
		this.proxy.close();
	}

	@Test
	void aCallInFlightEndsAtTheSocketTimeoutAndLaterCallsAtTheAcquireTimeout() throws Exception {
		assertThat(this.client.fetchValue(Integer.class, "SELECT 1")).contains(1);
		this.proxy.blackhole();
		// The connection was just used, so the pool hands it out unchecked: the statement goes into the void.
		long start = System.nanoTime();
		assertThatExceptionOfType(DataAccessResourceFailureException.class)
			.isThrownBy(() -> this.client.fetchValue(Integer.class, "SELECT 1"));
		Duration inFlight = Figures.since(start);
		assertThat(inFlight).isBetween(SOCKET_TIMEOUT.minusMillis(500), SOCKET_TIMEOUT.plus(SLACK));
		Figures.record(SCENARIO, "call in flight failed after (socket timeout 3 s)", inFlight);

		Thread.sleep(600);
		Duration acquireBound = ACQUIRE_TIMEOUT.plus(VALIDATION);
		List<CompletableFuture<Duration>> callers = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			callers.add(CompletableFuture.supplyAsync(() -> timedFailure(() -> this.client.execute("SELECT 1")), ThreadPerTask.INSTANCE));
		}
		long healthStart = System.nanoTime();
		assertThat(this.client.healthCheck()).isFalse();
		assertThat(Figures.since(healthStart)).isLessThan(Duration.ofSeconds(1).plus(SLACK));
		Duration longest = Duration.ZERO;
		for (CompletableFuture<Duration> caller : callers) {
			Duration took = caller.get(30, TimeUnit.SECONDS);
			longest = (took.compareTo(longest) > 0) ? took : longest;
		}
		assertThat(longest).isLessThan(acquireBound.plus(SLACK));
		Figures.record(SCENARIO, "8 new calls during the blackhole, longest (acquire 1 s + validation 0.5 s)",
				longest);

		Duration recovery = healAndAwaitRecovery();
		Figures.record(SCENARIO, "recovery after heal", recovery);
	}

	@Test
	void aTransactionInFlightEndsAtTheSocketTimeoutRolledBack(PostgresClient admin) {
		admin.execute("CREATE TABLE IF NOT EXISTS dark (id int)");
		long start = System.nanoTime();
		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(() -> this.client.transaction((tx) -> {
			tx.execute("INSERT INTO dark VALUES (1)");
			this.proxy.blackhole();
			return tx.execute("INSERT INTO dark VALUES (2)");
		}));
		assertThat(Figures.since(start)).isLessThan(SOCKET_TIMEOUT.plus(SLACK));
		healAndAwaitRecovery();
		// COMMIT was never sent: the server rolls the transaction back when the connection goes.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(admin.fetchValue(Long.class, "SELECT count(*) FROM dark")).contains(0L));
	}

	@Test
	void theBlackholeHitsWhileConnectionsAreBeingOpened(PostgresDatabase database) throws Exception {
		this.client.close();
		this.client = new PostgresClient(config(database, 0));
		this.client.connect();
		this.proxy.blackhole();
		// Four callers at once need four new connections, which the pool opens into the blackhole.
		List<CompletableFuture<Duration>> callers = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			callers.add(CompletableFuture
				.supplyAsync(() -> timedFailure(() -> this.client.execute("SELECT pg_sleep(0.1)")), ThreadPerTask.INSTANCE));
		}
		Duration longest = Duration.ZERO;
		for (CompletableFuture<Duration> caller : callers) {
			Duration took = caller.get(30, TimeUnit.SECONDS);
			longest = (took.compareTo(longest) > 0) ? took : longest;
		}
		assertThat(longest).isLessThan(SOCKET_TIMEOUT.plus(SLACK));
		Figures.record(SCENARIO, "4 calls while new connections open into the blackhole, longest", longest);
		Duration recovery = healAndAwaitRecovery();
		Figures.record(SCENARIO, "recovery after heal, connections being opened", recovery);
		for (int i = 0; i < 10; i++) {
			assertThat(this.client.fetchValue(Integer.class, "SELECT 1")).contains(1);
		}
		// The driver's login threads, left waiting on the blackhole, end by the socket timeout at the latest.
		await().atMost(SOCKET_TIMEOUT.plus(Duration.ofSeconds(5))).until(() -> loginThreads() == 0);
	}

	/** Heals, then calls until one succeeds; every call fails typed and within its bound meanwhile. */
	private Duration healAndAwaitRecovery() {
		this.proxy.heal();
		long start = System.nanoTime();
		long deadline = start + Duration.ofSeconds(20).toNanos();
		while (true) {
			try {
				this.client.fetchValue(Integer.class, "SELECT 1");
				break;
			}
			catch (DataAccessException ex) {
				assertThat(System.nanoTime()).as("recovered within 20 s").isLessThan(deadline);
			}
		}
		Duration recovery = Figures.since(start);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.client.healthCheck());
		return recovery;
	}

	/** How long the call took to fail, typed. */
	private static Duration timedFailure(Runnable call) {
		long start = System.nanoTime();
		try {
			call.run();
		}
		catch (DataAccessResourceFailureException ex) {
			return Figures.since(start);
		}
		throw new AssertionError("expected the call to fail while the network is a blackhole");
	}

	private static long loginThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals("PostgreSQL JDBC driver connection thread"))
			.count();
	}

}
