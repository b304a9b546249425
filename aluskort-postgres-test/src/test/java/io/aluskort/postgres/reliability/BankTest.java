package io.aluskort.postgres.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.TransactionOptions;
import io.aluskort.postgres.TransactionOutcomeUnknownException;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Jepsen's bank test against the client: 16 threads move money between 100 accounts in 20,000
 * serializable transfers, with retries, through a network that the test breaks at random (backends
 * terminated, the server restarted, the network blackholed or cut). Every transfer carries an
 * idempotency key written in the same transaction, so a transfer whose outcome is unknown is
 * reconciled by running it again: if it had committed, the key is there and it does nothing.
 *
 * <p>At the end the total is unchanged, every transfer is applied exactly once (each account's balance is
 * what the 20,000 transfers add up to, and the transfers table holds exactly their keys), no concurrent
 * audit ever saw another total, and only transfers whose outcome was unknown were ever found applied
 * without an acknowledgement.
 */
@PostgresTest
@Tag("long")
class BankTest {

	private static final String SCENARIO = "9. bank invariant under faults";

	private static final int THREADS = 16;

	private static final int ACCOUNTS = 100;

	private static final int TRANSFERS = 20_000;

	private static final long INITIAL_BALANCE = 10_000;

	private static final Duration TIME_LIMIT = Duration.ofSeconds(110);

	private static final TransactionOptions TRANSFER = TransactionOptions.defaults()
		.isolation(TransactionOptions.Isolation.SERIALIZABLE)
		.retries(10);

	record Transfer(UUID key, int from, int to, int amount) {
	}

	private final AtomicInteger next = new AtomicInteger();

	private final AtomicLong attempts = new AtomicLong();

	private final AtomicLong definiteFailures = new AtomicLong();

	private final AtomicLong unknownOutcomes = new AtomicLong();

	/** Transfers that got at least one unknown outcome. */
	private final Set<UUID> unknown = ConcurrentHashMap.newKeySet();

	/** Transfers a later run found already applied: the earlier, unacknowledged run had committed. */
	private final Set<UUID> foundApplied = ConcurrentHashMap.newKeySet();

	private final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();

	private final Map<String, AtomicInteger> failureTypes = new ConcurrentHashMap<>();

	@Test
	void moneyIsNeitherCreatedNorDestroyedAndEveryTransferAppliesOnce(PostgresDatabase database, PostgresClient admin)
			throws Exception {
		assumeTrue(database.server().controllable(), "needs the embedded server");
		admin.execute("CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL)");
		admin.execute("CREATE TABLE transfers (key uuid PRIMARY KEY, source int NOT NULL, target int NOT NULL, "
				+ "amount int NOT NULL)");
		admin.execute("INSERT INTO accounts SELECT id, $1 FROM generate_series(0, $2) AS id", INITIAL_BALANCE,
				ACCOUNTS - 1);
		long total = INITIAL_BALANCE * ACCOUNTS;
		Random random = new Random(20_000);
		List<Transfer> transfers = new ArrayList<>();
		for (int i = 0; i < TRANSFERS; i++) {
			int from = random.nextInt(ACCOUNTS);
			int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
			transfers.add(new Transfer(new UUID(random.nextLong(), random.nextLong()), from, to, 1 + random.nextInt(100)));
		}

		long start = System.nanoTime();
		long deadline = start + TIME_LIMIT.toNanos();
		Faults faults = new Faults(database, new Random(6));
		AtomicLong audits = new AtomicLong();
		List<Long> wrongTotals = new ArrayList<>();
		try (FaultProxy proxy = FaultProxy.to(database.host(), database.port());
				PostgresClient client = new PostgresClient(database.clientConfig()
					.host(proxy.host())
					.port(proxy.port())
					.applicationName("bank")
					.minSize(4)
					.maxSize(THREADS)
					.statementTimeout(Duration.ofSeconds(2))
					.socketTimeout(Duration.ofSeconds(3))
					.acquireTimeout(Duration.ofSeconds(3))
					.connectTimeout(Duration.ofSeconds(2))
					.build())) {
			client.connect();
			faults.proxy = proxy;
			ExecutorService workers = Executors.newFixedThreadPool(THREADS + 2);
			List<Future<?>> running = new ArrayList<>();
			for (int i = 0; i < THREADS; i++) {
				running.add(workers.submit(() -> transferAll(client, transfers, deadline)));
			}
			Future<?> injector = workers.submit(() -> faults.injectUntil(this::done, deadline));
			Future<?> auditor = workers.submit(() -> {
				while (!done() && System.nanoTime() < deadline) {
					try {
						long seen = admin.fetchValue(Long.class, "SELECT sum(balance) FROM accounts").orElseThrow();
						audits.incrementAndGet();
						if (seen != total) {
							synchronized (wrongTotals) {
								wrongTotals.add(seen);
							}
						}
					}
					catch (DataAccessException ex) {
						// The server is restarting; audit again.
					}
					sleep(100);
				}
			});
			for (Future<?> worker : running) {
				worker.get(TIME_LIMIT.toSeconds() + 30, TimeUnit.SECONDS);
			}
			injector.get(30, TimeUnit.SECONDS);
			auditor.get(30, TimeUnit.SECONDS);
			workers.shutdown();
			proxy.heal();
		}
		finally {
			database.server().start();
		}
		Duration elapsed = Figures.since(start);

		assertThat(this.acknowledged).as("acknowledged transfers").hasSize(TRANSFERS);
		assertThat(admin.fetchValue(Long.class, "SELECT sum(balance) FROM accounts")).contains(total);
		Set<UUID> stored = new HashSet<>(admin.fetchMany(UUID.class, "SELECT key FROM transfers"));
		Set<UUID> expected = new HashSet<>();
		transfers.forEach((transfer) -> expected.add(transfer.key()));
		assertThat(stored).as("transfers recorded").hasSize(TRANSFERS).isEqualTo(expected);
		long[] balances = new long[ACCOUNTS];
		Arrays.fill(balances, INITIAL_BALANCE);
		for (Transfer transfer : transfers) {
			balances[transfer.from()] -= transfer.amount();
			balances[transfer.to()] += transfer.amount();
		}
		Map<Integer, Long> actual = new TreeMap<>();
		admin.fetchMany("SELECT id, balance FROM accounts")
			.forEach((row) -> actual.put((Integer) row.get("id"), (Long) row.get("balance")));
		for (int account = 0; account < ACCOUNTS; account++) {
			assertThat(actual.get(account)).as("balance of account %d", account).isEqualTo(balances[account]);
		}
		assertThat(wrongTotals).as("audits that saw another total").isEmpty();
		assertThat(this.unknown).as("transfers found applied had an unknown outcome").containsAll(this.foundApplied);
		assertThat(faults.injected()).as("faults of every kind").containsKeys("terminate", "restart", "blackhole", "cut");
		assertThat(elapsed).isLessThan(Duration.ofMinutes(2));

		Figures.record(SCENARIO, "load", THREADS + " threads, " + TRANSFERS + " serializable transfers (retries 10) "
				+ "between " + ACCOUNTS + " accounts in " + elapsed.toSeconds() + " s ("
				+ Math.round(TRANSFERS / (elapsed.toMillis() / 1000.0)) + " transfers/s)");
		Figures.record(SCENARIO, "faults injected", faults.injected());
		Figures.record(SCENARIO, "callback runs (first runs, serialization retries, runs after failures)",
				this.attempts.get());
		Figures.record(SCENARIO, "definite failures, each run again with its key",
				this.definiteFailures.get() + " " + new TreeMap<>(this.failureTypes));
		Figures.record(SCENARIO, "unknown outcomes (TransactionOutcomeUnknownException)", this.unknownOutcomes.get());
		Figures.record(SCENARIO, "unknown outcomes reconciled: had committed / had not",
				this.foundApplied.size() + " / " + (this.unknown.size() - this.foundApplied.size()));
		Figures.record(SCENARIO, "audits of the total, all equal", audits.get());
		Figures.record(SCENARIO, "transfers lost / applied twice / total changed by", "0 / 0 / 0");
	}

	private boolean done() {
		return this.acknowledged.size() == TRANSFERS;
	}

	private void transferAll(PostgresClient client, List<Transfer> transfers, long deadline) {
		for (int i = this.next.getAndIncrement(); i < transfers.size(); i = this.next.getAndIncrement()) {
			Transfer transfer = transfers.get(i);
			while (!this.acknowledged.contains(transfer.key())) {
				if (System.nanoTime() > deadline) {
					throw new AssertionError("transfers not done within " + TIME_LIMIT);
				}
				try {
					boolean applied = transfer(client, transfer);
					if (!applied) {
						this.foundApplied.add(transfer.key());
					}
					this.acknowledged.add(transfer.key());
				}
				catch (TransactionOutcomeUnknownException ex) {
					this.unknownOutcomes.incrementAndGet();
					this.unknown.add(transfer.key());
				}
				catch (DataAccessException ex) {
					this.definiteFailures.incrementAndGet();
					this.failureTypes.computeIfAbsent(ex.getClass().getSimpleName(), (name) -> new AtomicInteger())
						.incrementAndGet();
				}
			}
		}
	}

	/** Applies the transfer unless its key shows it applied already; says whether this run applied it. */
	private boolean transfer(PostgresClient client, Transfer transfer) {
		return client.transaction(TRANSFER, (tx) -> {
			this.attempts.incrementAndGet();
			if (tx.execute("INSERT INTO transfers VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING", transfer.key(),
					transfer.from(), transfer.to(), transfer.amount()).rows() == 0) {
				return false;
			}
			tx.execute("UPDATE accounts SET balance = balance - $1 WHERE id = $2", transfer.amount(), transfer.from());
			tx.execute("UPDATE accounts SET balance = balance + $1 WHERE id = $2", transfer.amount(), transfer.to());
			return true;
		});
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Breaks the network or the server at random moments, one fault at a time. */
	private static final class Faults {

		private static final List<String> KINDS = List.of("terminate", "blackhole", "restart", "cut");

		private final PostgresDatabase database;

		private final Random random;

		private final Map<String, Integer> injected = new ConcurrentHashMap<>();

		volatile FaultProxy proxy;

		Faults(PostgresDatabase database, Random random) {
			this.database = database;
			this.random = random;
		}

		Map<String, Integer> injected() {
			return new TreeMap<>(this.injected);
		}

		void injectUntil(BooleanSupplier done, long deadline) {
			int round = 0;
			while (!done.getAsBoolean() && System.nanoTime() < deadline) {
				sleep(800 + this.random.nextInt(1200));
				if (done.getAsBoolean()) {
					return;
				}
				// Every kind once first, then at random.
				String kind = (round < KINDS.size()) ? KINDS.get(round) : KINDS.get(this.random.nextInt(KINDS.size()));
				round++;
				switch (kind) {
					case "terminate" -> this.database.terminateBackends();
					case "restart" -> this.database.server().restart();
					case "cut" -> this.proxy.cut();
					default -> {
						this.proxy.blackhole();
						sleep(1000 + this.random.nextInt(1500));
						this.proxy.heal();
					}
				}
				this.injected.merge(kind, 1, Integer::sum);
			}
		}

	}

}
