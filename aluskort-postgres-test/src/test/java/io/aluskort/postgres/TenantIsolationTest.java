package io.aluskort.postgres;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.InvalidDataAccessApiUsageException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tenant-scoped calls against row-level security, as the application role a service connects as: no
 * superuser, no BYPASSRLS, owner of nothing. The table is partitioned by tenant (LIST) and month
 * (RANGE); its policies are those of the starter's {@code tenant-isolation.sql}, applied as written.
 */
@PostgresTest
class TenantIsolationTest {

	static final String ROLE = "tenant_isolation_app";

	static final String PASSWORD = "tenant-isolation-app";

	static final OffsetDateTime JANUARY = OffsetDateTime.of(2025, 1, 15, 12, 0, 0, 0, ZoneOffset.UTC);

	static final OffsetDateTime FEBRUARY = OffsetDateTime.of(2025, 2, 15, 12, 0, 0, 0, ZoneOffset.UTC);

	static final List<String> COLUMNS = List.of("tenant_id", "at", "id", "payload");

	/** Ids of t1's and t2's rows, and of the rows of fifty more tenants (three each, from 1000). */
	static final Map<String, List<Long>> IDS = Map.of("t1", List.of(1L, 2L, 3L, 4L, 5L, 6L), "t2",
			List.of(101L, 102L, 103L, 104L));

	static final List<String> MANY = IntStream.range(0, 50).mapToObj((i) -> String.format("tenant-%02d", i)).toList();

	record Event(String tenantId, OffsetDateTime at, long id, String payload) {
	}

	private static PostgresClient app;

	private final PostgresClient db;

	private final PostgresDatabase database;

	TenantIsolationTest(PostgresClient db, PostgresDatabase database) {
		this.db = db;
		this.database = database;
	}

	@BeforeAll
	static void schemaAndRole(PostgresClient db, PostgresDatabase database) throws IOException {
		db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ROLE + "') THEN CREATE ROLE "
				+ ROLE + " LOGIN PASSWORD '" + PASSWORD + "'; END IF; END $$");
		db.execute("""
				CREATE TABLE events (tenant_id text NOT NULL, at timestamptz NOT NULL, id bigint NOT NULL, payload text,
				  PRIMARY KEY (tenant_id, at, id)) PARTITION BY LIST (tenant_id);
				CREATE TABLE events_t1 PARTITION OF events FOR VALUES IN ('t1') PARTITION BY RANGE (at);
				CREATE TABLE events_t2 PARTITION OF events FOR VALUES IN ('t2') PARTITION BY RANGE (at);
				CREATE TABLE events_other PARTITION OF events DEFAULT PARTITION BY RANGE (at);
				CREATE TABLE events_t1_2025_01 PARTITION OF events_t1 FOR VALUES FROM ('2025-01-01') TO ('2025-02-01');
				CREATE TABLE events_t1_2025_02 PARTITION OF events_t1 FOR VALUES FROM ('2025-02-01') TO ('2025-03-01');
				CREATE TABLE events_t2_2025_01 PARTITION OF events_t2 FOR VALUES FROM ('2025-01-01') TO ('2025-02-01');
				CREATE TABLE events_t2_2025_02 PARTITION OF events_t2 FOR VALUES FROM ('2025-02-01') TO ('2025-03-01');
				CREATE TABLE events_other_2025_01 PARTITION OF events_other FOR VALUES FROM ('2025-01-01') TO ('2025-02-01');
				CREATE TABLE events_other_2025_02 PARTITION OF events_other FOR VALUES FROM ('2025-02-01') TO ('2025-03-01');
				CREATE TABLE plain (id bigint PRIMARY KEY, tenant_id text NOT NULL, payload text)""");
		db.execute(snippet().replace("alerts", "events").replace("aluskort_app", ROLE));
		db.execute("INSERT INTO plain SELECT i, 't1', 'p' || i FROM generate_series(1, 100) i");
		db.execute("GRANT SELECT ON plain TO " + ROLE);
		app = new PostgresClient(appConfig(database).build());
		app.connect();
	}

	/** The starter's snippet, as a service would apply it. */
	static String snippet() throws IOException {
		try (InputStream in = TenantIsolationTest.class.getClassLoader()
			.getResourceAsStream("io/aluskort/postgres/tenant-isolation.sql")) {
			return new String(Objects.requireNonNull(in, "tenant-isolation.sql").readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	static PostgresClientConfig.Builder appConfig(PostgresDatabase database) {
		return database.clientConfig().user(ROLE).password(PASSWORD).minSize(1).maxSize(4);
	}

	@AfterAll
	static void closeApp() {
		if (app != null) {
			app.close();
		}
	}

	@BeforeEach
	void rows() {
		this.db.execute("TRUNCATE events");
		List<Object[]> rows = new ArrayList<>();
		IDS.forEach((tenant, ids) -> ids
			.forEach((id) -> rows.add(new Object[] { tenant, (id % 2 == 0) ? FEBRUARY : JANUARY, id, "p" + id })));
		for (int t = 0; t < MANY.size(); t++) {
			for (int i = 0; i < 3; i++) {
				long id = 1000 + t * 3 + i;
				rows.add(new Object[] { MANY.get(t), (i == 0) ? FEBRUARY : JANUARY, id, "p" + id });
			}
		}
		this.db.copyIn("events", COLUMNS, rows);
	}

	@ParameterizedTest
	@ValueSource(strings = { "t1", "t2" })
	void eachTenantSeesOnlyItsRowsThroughEveryCall(String tenantId) {
		TenantClient tenant = app.forTenant(tenantId);
		List<Long> ids = IDS.get(tenantId);
		long otherTenantsId = tenantId.equals("t1") ? 101L : 1L;

		assertThat(tenant.fetchMany("SELECT * FROM events ORDER BY id")).extracting((row) -> row.get("id"))
			.containsExactlyElementsOf(ids);
		assertThat(tenant.fetchMany(Event.class, "SELECT * FROM events ORDER BY id")).extracting(Event::tenantId)
			.hasSize(ids.size())
			.containsOnly(tenantId);
		assertThat(tenant.fetchOne("SELECT * FROM events ORDER BY id DESC")).get()
			.extracting((row) -> row.get("tenant_id"))
			.isEqualTo(tenantId);
		assertThat(tenant.fetchOne(Event.class, "SELECT * FROM events WHERE id = $1", otherTenantsId)).isEmpty();
		assertThat(tenant.fetchValue(Long.class, "SELECT count(*) FROM events")).contains((long) ids.size());
		assertThat(tenant.fetchValue(String.class, "SELECT current_setting('aluskort.tenant_id')")).contains(tenantId);
		try (Stream<Event> events = tenant.stream(Event.class, "SELECT * FROM events")) {
			assertThat(events.map(Event::tenantId)).hasSize(ids.size()).containsOnly(tenantId);
		}
		try (Stream<Map<String, Object>> events = tenant.stream("SELECT tenant_id FROM events")) {
			assertThat(events.map((row) -> row.get("tenant_id"))).hasSize(ids.size()).containsOnly(tenantId);
		}
		ByteArrayOutputStream csv = new ByteArrayOutputStream();
		assertThat(tenant.copyOut("SELECT tenant_id, id FROM events ORDER BY id", csv)).isEqualTo(ids.size());
		assertThat(csv.toString(StandardCharsets.UTF_8).lines().skip(1)).hasSize(ids.size())
			.allMatch((line) -> line.startsWith(tenantId + ","));

		assertThat(tenant.execute("UPDATE events SET payload = 'seen by ' || current_setting('aluskort.tenant_id')")
			.rows()).isEqualTo(ids.size());
		assertThat(this.db.fetchMany("SELECT DISTINCT tenant_id FROM events WHERE payload LIKE 'seen by%'"))
			.containsExactly(Map.of("tenant_id", tenantId));
		List<Object[]> everyId = LongStream.concat(IDS.get("t1").stream().mapToLong(Long::longValue),
				IDS.get("t2").stream().mapToLong(Long::longValue))
			.mapToObj((id) -> new Object[] { "batch", id })
			.toList();
		long[] updated = tenant.executeBatch("UPDATE events SET payload = $1 WHERE id = $2", everyId);
		assertThat(Arrays.stream(updated).sum()).isEqualTo(ids.size());
		assertThat(this.db.fetchValue(Long.class, "SELECT count(*) FROM events WHERE payload = 'batch' AND tenant_id <> $1",
				tenantId)).contains(0L);

		assertThat(tenant.copyIn("events", COLUMNS, List.<Object[]>of(new Object[] { tenantId, FEBRUARY, 900L, "copied" },
				new Object[] { tenantId, JANUARY, 901L, "copied" }))).isEqualTo(2);
		assertThat(tenant.copyIn("events", Event.class, List.of(new Event(tenantId, JANUARY, 902L, "record")))).isEqualTo(1);
		assertThat(this.db.fetchValue(Long.class, "SELECT count(*) FROM events WHERE tenant_id = $1", tenantId))
			.contains(ids.size() + 3L);

		List<String> seenInTransaction = tenant.transaction((tx) -> {
			List<String> seen = new ArrayList<>();
			tx.fetchMany("SELECT tenant_id FROM events").forEach((row) -> seen.add((String) row.get("tenant_id")));
			try (Stream<Event> events = tx.stream(Event.class, "SELECT * FROM events")) {
				events.forEach((event) -> seen.add(event.tenantId()));
			}
			assertThat(tx.copyOut("SELECT tenant_id FROM events", new ByteArrayOutputStream())).isEqualTo(ids.size() + 3);
			assertThat(tx.executeBatch("DELETE FROM events WHERE id = $1",
					List.<Object[]>of(new Object[] { 900L }, new Object[] { otherTenantsId }))).containsExactly(1, 0);
			assertThat(tx.copyIn("events", COLUMNS, List.<Object[]>of(new Object[] { tenantId, JANUARY, 903L, "tx" })))
				.isEqualTo(1);
			assertThat(tx.execute("DELETE FROM events WHERE id IN (901, 902, 903, $1)", otherTenantsId).rows())
				.isEqualTo(3);
			return seen;
		});
		assertThat(seenInTransaction).hasSize(2 * (ids.size() + 3)).containsOnly(tenantId);
		assertThat(this.db.fetchValue(Long.class, "SELECT count(*) FROM events")).contains(10L + 150L);
	}

	@Test
	void aWriteWithAnotherTenantsIdIsRefused() {
		TenantClient t1 = app.forTenant("t1");
		String insert = "INSERT INTO events (tenant_id, at, id, payload) VALUES ($1, $2, $3, 'x')";
		assertRefused(() -> t1.execute(insert, "t2", JANUARY, 999L));
		assertRefused(() -> t1.fetchOne(insert + " RETURNING id", "t2", JANUARY, 999L));
		assertRefused(() -> t1.execute("UPDATE events SET tenant_id = 't2' WHERE id = 1"));
		assertRefused(() -> t1.executeBatch(insert,
				List.<Object[]>of(new Object[] { "t1", JANUARY, 998L }, new Object[] { "t2", JANUARY, 997L })));
		assertRefused(() -> t1.copyIn("events", COLUMNS, List.<Object[]>of(new Object[] { "t1", JANUARY, 996L, "x" },
				new Object[] { "t2", JANUARY, 995L, "x" })));
		assertRefused(() -> t1.transaction((tx) -> {
			tx.execute(insert, "t1", JANUARY, 994L);
			return tx.execute(insert, "t2", JANUARY, 993L);
		}));
		assertThat(this.db.fetchValue(Long.class, "SELECT count(*) FROM events WHERE id >= 990 AND id < 1000"))
			.contains(0L);
		assertThat(this.db.fetchValue(String.class, "SELECT tenant_id FROM events WHERE id = 1")).contains("t1");
	}

	@Test
	void unscopedCallsSeeAndChangeNothing() {
		assertThat(app.fetchMany("SELECT * FROM events")).isEmpty();
		assertThat(app.fetchValue(Long.class, "SELECT count(*) FROM events")).contains(0L);
		try (Stream<Map<String, Object>> rows = app.stream("SELECT * FROM events")) {
			assertThat(rows).isEmpty();
		}
		assertThat(app.copyOut("SELECT * FROM events", new ByteArrayOutputStream())).isZero();
		assertThat(app.execute("UPDATE events SET payload = 'x'").rows()).isZero();
		assertThat(app.execute("DELETE FROM events").rows()).isZero();
		assertRefused(() -> app.execute("INSERT INTO events VALUES ('t1', $1, 990, 'x')", JANUARY));
		// The partitions have no grant: they cannot be read around the parent's policy.
		assertRefused(() -> app.fetchMany("SELECT * FROM events_t1_2025_01"));
		assertThat(this.db.fetchValue(Long.class, "SELECT count(*) FROM events")).contains(160L);
	}

	@Test
	void aScopedCallReturnsItsOwnStatementsTagRowsAndArguments() {
		TenantClient t1 = app.forTenant("t1");
		assertThat(t1.execute("UPDATE events SET payload = $1 WHERE id = $2 OR id = $3", "p", 1L, 2L).tag())
			.isEqualTo("UPDATE 2");
		assertThat(t1.execute("SELECT * FROM events").tag()).isEqualTo("SELECT 6");
		assertThat(t1.fetchMany("UPDATE events SET payload = $1 WHERE id = $2", "q", 1L)).isEmpty();
		assertThat(t1.fetchOne("INSERT INTO events VALUES ('t1', $1, 50, 'new') RETURNING id, tenant_id", JANUARY))
			.contains(Map.of("id", 50L, "tenant_id", "t1"));
		assertThat(t1.fetchValue(String.class, "SELECT $1::text || $1 || $2", "a", "b")).contains("aab");
		assertThatIllegalArgumentException().isThrownBy(() -> t1.fetchMany("SELECT $1", 1, 2))
			.withMessage("Statement expects 1 argument ($1..$1) but got 2");
		// The same rule for the unscoped client: the last statement's rows, none when it returned none.
		assertThat(this.db.fetchMany("SELECT 1 AS one; UPDATE events SET payload = payload WHERE false")).isEmpty();
		assertThat(this.db.fetchMany("UPDATE events SET payload = payload WHERE false; SELECT 1 AS one"))
			.containsExactly(Map.of("one", 1));
	}

	@Test
	void tenThousandInterleavedCallsForFiftyTenantsNeverCrossATenant() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(16);
		AtomicLong rowsChecked = new AtomicLong();
		try {
			List<Future<?>> calls = new ArrayList<>();
			for (int call = 0; call < 10_000; call++) {
				int kind = call % 9;
				calls.add(threads.submit(() -> {
					String tenant = MANY.get(ThreadLocalRandom.current().nextInt(MANY.size()));
					List<String> seen = oneCall(kind, tenant);
					if (kind == 8) {
						assertThat(seen).as("unscoped call").containsOnly("");
					}
					else {
						assertThat(seen).as("call %d for %s", kind, tenant).isNotEmpty().containsOnly(tenant);
					}
					rowsChecked.addAndGet(seen.size());
				}));
			}
			for (Future<?> call : calls) {
				call.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(rowsChecked.get()).isGreaterThan(15_000);
	}

	/** The tenant of every row one call returned. */
	private static List<String> oneCall(int kind, String tenantId) {
		TenantClient tenant = app.forTenant(tenantId);
		return switch (kind) {
			case 0 -> tenant.fetchMany("SELECT tenant_id FROM events")
				.stream()
				.map((row) -> (String) row.get("tenant_id"))
				.toList();
			case 1 -> tenant.fetchMany(Event.class, "SELECT * FROM events WHERE at > $1", JANUARY.minusMonths(1))
				.stream()
				.map(Event::tenantId)
				.toList();
			case 2 -> List.of((String) tenant.fetchOne("SELECT tenant_id FROM events ORDER BY id DESC")
				.orElseThrow()
				.get("tenant_id"));
			case 3 -> List.of(tenant.fetchValue(String.class, "SELECT current_setting('aluskort.tenant_id')").orElseThrow());
			case 4 -> {
				try (Stream<Event> events = tenant.stream(Event.class, "SELECT * FROM events")) {
					yield events.map(Event::tenantId).toList();
				}
			}
			case 5 -> tenant.transaction((tx) -> {
				List<String> seen = new ArrayList<>(tx.fetchMany(String.class, "SELECT tenant_id FROM events"));
				seen.add(tx.fetchValue(String.class, "SELECT current_setting('aluskort.tenant_id')").orElseThrow());
				return seen;
			});
			case 6 -> {
				ByteArrayOutputStream csv = new ByteArrayOutputStream();
				tenant.copyOut("SELECT tenant_id FROM events", csv);
				yield csv.toString(StandardCharsets.UTF_8).lines().skip(1).toList();
			}
			case 7 -> Arrays.asList(tenant.fetchValue(String.class, "SELECT string_agg(DISTINCT tenant_id, ',') FROM events")
				.orElseThrow()
				.split(","));
			default -> {
				// Unscoped, on a connection another tenant's call may just have used: no tenant, no rows.
				List<String> seen = new ArrayList<>(app.fetchMany(String.class, "SELECT tenant_id FROM events"));
				seen.add(Objects.requireNonNullElse(
						app.fetchValue(String.class, "SELECT current_setting('aluskort.tenant_id', true)").orElse(null), ""));
				yield seen;
			}
		};
	}

	@Test
	void afterAScopedCallFailsTheNextBorrowerHasNoTenant() {
		try (PostgresClient single = new PostgresClient(appConfig(this.database).maxSize(1).build())) {
			single.connect();
			int pid = single.fetchValue(Integer.class, "SELECT pg_backend_pid()").orElseThrow();
			TenantClient t1 = single.forTenant("t1");

			assertThat(t1.fetchMany("SELECT * FROM events")).hasSize(6);
			assertNoTenant(single, pid);
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> t1.fetchMany("SELECT id / (count(*) OVER () - 6) FROM events"));
			assertNoTenant(single, pid);
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> t1.transaction((tx) -> {
				tx.execute("UPDATE events SET payload = 'lost' WHERE id = 1");
				return tx.fetchMany("SELECT 1 / 0");
			}));
			assertNoTenant(single, pid);
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> t1.transaction((tx) -> {
				tx.fetchMany("SELECT * FROM events");
				throw new IllegalStateException("the callback fails");
			}));
			assertNoTenant(single, pid);
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> {
				try (Stream<Map<String, Object>> rows = t1.stream("SELECT 1 / (x - 1500) FROM generate_series(1, 3000) x")) {
					rows.forEach((row) -> {
					});
				}
			});
			assertNoTenant(single, pid);
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> t1.copyIn("events", COLUMNS,
					List.<Object[]>of(new Object[] { "t1", JANUARY, 1L, "duplicate key" })));
			assertNoTenant(single, pid);
			assertThat(this.db.fetchValue(Long.class, "SELECT count(*) FROM events WHERE payload = 'lost'")).contains(0L);
		}
	}

	private static void assertNoTenant(PostgresClient client, int pid) {
		Map<String, Object> session = client
			.fetchOne("SELECT pg_backend_pid() AS pid, current_setting('aluskort.tenant_id', true) AS tenant")
			.orElseThrow();
		assertThat(session.get("pid")).as("the same connection").isEqualTo(pid);
		assertThat((String) session.get("tenant")).isNullOrEmpty();
		assertThat(client.fetchMany("SELECT * FROM events")).isEmpty();
		assertThat(client.fetchMany("SELECT relname FROM pg_class WHERE relnamespace = pg_my_temp_schema()")).isEmpty();
	}

	@Test
	void aRequiredTenantMakesUnscopedStatementsOnTenantTablesAnError() {
		TenantPolicy policy = TenantPolicy.builder().required(true).tables(List.of("public.events")).build();
		try (PostgresClient required = new PostgresClient(appConfig(this.database).tenantPolicy(policy).build())) {
			required.connect();
			assertUnscopedRefused(() -> required.fetchMany("SELECT * FROM events"));
			assertUnscopedRefused(() -> required.fetchOne("select * from PUBLIC.Events where id = $1", 1L));
			assertUnscopedRefused(() -> required.fetchValue(Long.class, "SELECT count(*) FROM \"events\""));
			assertUnscopedRefused(() -> required.execute("DELETE FROM events"));
			assertUnscopedRefused(() -> required.executeBatch("DELETE FROM events WHERE id = $1",
					List.<Object[]>of(new Object[] { 1L })));
			assertUnscopedRefused(() -> required.stream("SELECT * FROM (SELECT * FROM events) e"));
			assertUnscopedRefused(() -> required.copyOut("SELECT * FROM events", new ByteArrayOutputStream()));
			assertUnscopedRefused(() -> required.copyIn("events", COLUMNS, List.of()));
			assertUnscopedRefused(() -> required.transaction((tx) -> tx.fetchMany("SELECT * FROM events")));
			assertUnscopedRefused(
					() -> required.forTenant("t1").transaction((tx) -> required.fetchMany("SELECT * FROM events")));
			assertUnscopedRefused(() -> required.withStatementTimeout(java.time.Duration.ofSeconds(5))
				.fetchMany("SELECT * FROM events"));

			assertThat(required.fetchValue(String.class, "SELECT 'events' -- FROM events")).contains("events");
			assertThat(required.fetchValue(Long.class, "SELECT count(*) FROM plain")).contains(100L);
			assertThat(required.forTenant("t1").fetchMany("SELECT * FROM events")).hasSize(6);
		}
	}

	private static void assertUnscopedRefused(ThrowingCallable call) {
		assertThatExceptionOfType(InvalidDataAccessApiUsageException.class).isThrownBy(call)
			.withMessageContaining("tenant table 'events'")
			.withMessageContaining("forTenant");
	}

	private static void assertRefused(ThrowingCallable call) {
		assertThatExceptionOfType(DataAccessException.class).isThrownBy(call)
			.satisfies((ex) -> assertThat(ex.getMostSpecificCause()).isInstanceOf(SQLException.class)
				.extracting((cause) -> ((SQLException) cause).getSQLState())
				.isEqualTo("42501"));
	}

	/**
	 * What binding a tenant costs a point select: the same statement on the same connections, with and
	 * without the binding, interleaved. Prints the medians; asserts nothing about them.
	 */
	@Test
	void costOfScoping() {
		TenantClient t1 = app.forTenant("t1");
		String pointSelect = "SELECT id, tenant_id, payload FROM plain WHERE id = $1";
		String rlsPointSelect = "SELECT * FROM events WHERE id = $1";
		for (int i = 0; i < 500; i++) {
			app.fetchOne(pointSelect, (long) (i % 100 + 1));
			t1.fetchOne(pointSelect, (long) (i % 100 + 1));
			t1.fetchOne(rlsPointSelect, (long) (i % 6 + 1));
			this.db.fetchOne(rlsPointSelect, (long) (i % 6 + 1));
		}
		int n = 2000;
		long[] unscoped = new long[n];
		long[] scoped = new long[n];
		long[] superuser = new long[n];
		long[] underRls = new long[n];
		for (int i = 0; i < n; i++) {
			long id = i % 100 + 1;
			long start = System.nanoTime();
			app.fetchOne(pointSelect, id).orElseThrow();
			long middle = System.nanoTime();
			t1.fetchOne(pointSelect, id).orElseThrow();
			long end = System.nanoTime();
			unscoped[i] = middle - start;
			scoped[i] = end - middle;
			long eventId = i % 6 + 1;
			start = System.nanoTime();
			this.db.fetchOne(rlsPointSelect, eventId).orElseThrow();
			middle = System.nanoTime();
			t1.fetchOne(rlsPointSelect, eventId).orElseThrow();
			end = System.nanoTime();
			superuser[i] = middle - start;
			underRls[i] = end - middle;
		}
		System.out.printf("Cost of scoping, %d point selects each, interleaved, medians:%n", n);
		System.out.printf("  binding only (table without RLS): unscoped %.1f us, forTenant %.1f us, ratio %.2f%n",
				median(unscoped) / 1000.0, median(scoped) / 1000.0, (double) median(scoped) / median(unscoped));
		System.out.printf("  with the RLS policy (partitioned table): superuser %.1f us, forTenant %.1f us, ratio %.2f%n",
				median(superuser) / 1000.0, median(underRls) / 1000.0, (double) median(underRls) / median(superuser));
	}

	private static long median(long[] values) {
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

}
