package io.aluskort.postgres;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every call of {@link PostgresOperations} through {@link PostgresClient#forTenant}, in the shapes users
 * send (String, null, enum and jsonb parameters; text, varchar(n), numeric, jsonb and array results), on a
 * pool of one connection as the application role, against a table under the starter's row-level security
 * policy. Each call runs twelve times for each of two tenants, the tenants taking turns on the one
 * connection: pgjdbc server-prepares a statement from its sixth execution on a connection, and describes
 * it when a parameter is untyped. Every statement reads {@code current_setting('aluskort.tenant_id', true)}
 * itself, so a statement that ran without its tenant says so in its own result.
 */
@PostgresTest
class TenantCallShapesTest {

	private static final String ROLE = "tenant_call_shapes_app";

	private static final List<String> TENANTS = List.of("t1", "t2");

	/** More than twice pgjdbc's {@code prepareThreshold} of 5. */
	private static final int CALLS_PER_TENANT = 12;

	private static final List<String> COLUMNS = List.of("id", "tenant_id", "payload", "code", "amount", "details",
			"tags", "severity");

	/** Every column, and the tenant bound while the statement ran. */
	private static final String SELECT_ALERTS = "SELECT " + String.join(", ", COLUMNS)
			+ ", current_setting('aluskort.tenant_id', true) AS bound FROM alerts";

	/** A new row whose payload is the tenant bound while the INSERT ran. */
	private static final String INSERT = "INSERT INTO alerts (" + String.join(", ", COLUMNS) + ") VALUES "
			+ "($1, $2, current_setting('aluskort.tenant_id', true), $3, $4, $5::jsonb, $6, $7::severity)";

	enum Severity {

		LOW, HIGH, CRITICAL

	}

	/** A row as stored. */
	record Alert(long id, String tenantId, @Nullable String payload, String code, BigDecimal amount, String details,
			List<String> tags, Severity severity) {

		/** This row as a typed read for the tenant returns it. */
		Seen readFor(String tenant) {
			return new Seen(this.id, this.tenantId, this.payload, this.code, this.amount, this.details, this.tags,
					this.severity, tenant);
		}

		/** This row as a read of maps for the tenant returns it. */
		Map<String, @Nullable Object> readAsMapFor(String tenant) {
			Map<String, @Nullable Object> row = new LinkedHashMap<>();
			row.put("id", this.id);
			row.put("tenant_id", this.tenantId);
			row.put("payload", this.payload);
			row.put("code", this.code);
			row.put("amount", this.amount);
			row.put("details", this.details);
			row.put("tags", this.tags);
			row.put("severity", this.severity.name());
			row.put("bound", tenant);
			return row;
		}

	}

	/** A row as a statement read it, with the tenant bound while the statement ran. */
	record Seen(long id, String tenantId, @Nullable String payload, String code, BigDecimal amount, String details,
			List<String> tags, Severity severity, @Nullable String bound) {
	}

	/** The rows every test starts from; jsonb in the server's own text form. Each tenant has one 'p1' and one HIGH. */
	private static final List<Alert> ROWS = List.of(
			new Alert(1, "t1", "p1", "A-1", new BigDecimal("10.5000"), "{\"n\": 1, \"source\": \"probe\"}",
					List.of("red", "blue"), Severity.LOW),
			new Alert(2, "t1", null, "A-2", new BigDecimal("2.2500"), "{\"n\": 2, \"source\": \"user\"}", List.of(),
					Severity.HIGH),
			new Alert(3, "t1", "p3", "A-3", new BigDecimal("0.0001"), "{\"n\": 3, \"source\": \"probe\"}",
					List.of("green"), Severity.CRITICAL),
			new Alert(11, "t2", "p1", "B-11", new BigDecimal("100.0000"), "{\"n\": 11, \"source\": \"probe\"}",
					List.of("red"), Severity.HIGH),
			new Alert(12, "t2", "q12", "B-12", new BigDecimal("7.0000"), "{\"n\": 12, \"source\": \"user\"}",
					List.of("blue", "with space"), Severity.LOW));

	/** The client under test: the application role, one connection. */
	private static PostgresClient app;

	@BeforeAll
	static void schemaAndClient(PostgresClient admin, PostgresDatabase database) throws IOException {
		RowLevelSecurity.createRole(admin, ROLE);
		admin.execute("CREATE TYPE severity AS ENUM ('LOW', 'HIGH', 'CRITICAL')");
		admin.execute("CREATE TABLE alerts (id bigint PRIMARY KEY, tenant_id text NOT NULL, payload text, "
				+ "code varchar(20) NOT NULL, amount numeric(12,4) NOT NULL, details jsonb NOT NULL, tags text[] NOT NULL, "
				+ "severity severity NOT NULL)");
		RowLevelSecurity.protect(admin, "alerts", ROLE);
		app = new PostgresClient(RowLevelSecurity.connectAs(database, ROLE).minSize(1).maxSize(1).build());
		app.connect();
	}

	@AfterAll
	static void closeClient() {
		if (app != null) {
			app.close();
		}
	}

	@BeforeEach
	void rows(PostgresClient admin) {
		admin.execute("DELETE FROM alerts");
		admin.copyIn("alerts", Alert.class, ROWS);
	}

	/** Where a call runs. */
	enum Placement {

		/** {@code db.forTenant(t).call(...)}. */
		ALONE,

		/** {@code db.forTenant(t).transaction(tx -> tx.call(...))}, a transaction per call. */
		TENANT_TRANSACTION,

		/** {@code db.transaction(tx -> db.forTenant(t).call(...))}, a transaction per call. */
		CLIENT_TRANSACTION,

		/** {@code db.transaction(tx -> ...)} around all the calls of both tenants, which take turns in it. */
		ONE_CLIENT_TRANSACTION_FOR_ALL

	}

	/** One call through a view of the client for a tenant, checking everything it returned. */
	@FunctionalInterface
	interface TenantCall {

		void run(PostgresOperations view, String tenant);

	}

	record Shape(String name, TenantCall call) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	static List<Shape> shapes() {
		return List.of(new Shape("execute INSERT then DELETE", TenantCallShapesTest::insertThenDelete),
				new Shape("execute UPDATE ... RETURNING varchar", TenantCallShapesTest::updateReturning),
				new Shape("fetchOne map, enum parameter", TenantCallShapesTest::fetchOneByEnum),
				new Shape("fetchOne record, String parameter", TenantCallShapesTest::fetchOneRecordByString),
				new Shape("fetchMany maps, null parameter", TenantCallShapesTest::fetchManyByNull),
				new Shape("fetchMany records, jsonb parameter", TenantCallShapesTest::fetchManyRecordsByJsonb),
				new Shape("fetchValue text", TenantCallShapesTest::fetchValueText),
				new Shape("fetchValue numeric", TenantCallShapesTest::fetchValueNumeric),
				new Shape("fetchValue jsonb", TenantCallShapesTest::fetchValueJsonb),
				new Shape("fetchValue text[]", TenantCallShapesTest::fetchValueArray),
				new Shape("executeBatch UPDATE", TenantCallShapesTest::batchUpdate),
				new Shape("executeBatch INSERT", TenantCallShapesTest::batchInsert),
				new Shape("copyIn rows and records", TenantCallShapesTest::copyIn),
				new Shape("copyOut", TenantCallShapesTest::copyOut),
				new Shape("stream maps, String parameter", TenantCallShapesTest::streamMaps),
				new Shape("stream records, enum parameter", TenantCallShapesTest::streamRecords));
	}

	static Stream<Arguments> shapesAndPlacements() {
		return shapes().stream()
			.flatMap((shape) -> Stream.of(Placement.values()).map((placement) -> Arguments.of(shape, placement)));
	}

	@ParameterizedTest(name = "{0}, {1}")
	@MethodSource("shapesAndPlacements")
	void everyCallSeesAllItsTenantsRowsAndNoOthersAndLeavesNoBinding(Shape shape, Placement placement) {
		TenantCall call = shape.call();
		switch (placement) {
			case ALONE -> alternating(shape, (tenant) -> {
				call.run(app.forTenant(tenant), tenant);
				assertNoTenantBound();
			});
			case TENANT_TRANSACTION -> alternating(shape, (tenant) -> {
				app.forTenant(tenant).transaction((tx) -> {
					call.run(tx, tenant);
					return null;
				});
				assertNoTenantBound();
			});
			case CLIENT_TRANSACTION -> alternating(shape, (tenant) -> {
				app.transaction((tx) -> {
					call.run(app.forTenant(tenant), tenant);
					return null;
				});
				assertNoTenantBound();
			});
			case ONE_CLIENT_TRANSACTION_FOR_ALL -> {
				app.transaction((tx) -> {
					alternating(shape, (tenant) -> call.run(app.forTenant(tenant), tenant));
					return null;
				});
				assertNoTenantBound();
			}
		}
	}

	/**
	 * Guards against pgjdbc's {@code Sync} ({@code QueryExecutorImpl.flushIfDeadlockRisk}, 42.7.x): once a
	 * statement with an untyped parameter is server-prepared and described, pgjdbc sends a Sync before it
	 * when its result row has no bounded size ({@code text}). A Sync between the binding and the statement
	 * ends the implicit transaction that held them together, and from the sixth call on the statement
	 * runs with no tenant: no rows under row-level security.
	 */
	@Test
	void pgjdbcSyncBeforeAStatementWithAnUnboundedResultNeverSeparatesItFromItsTenant() {
		TenantClient t1 = app.forTenant("t1");
		List<List<Map<String, Object>>> answers = new ArrayList<>();
		for (int call = 1; call <= CALLS_PER_TENANT; call++) {
			answers.add(t1.fetchMany(
					"SELECT payload, current_setting('aluskort.tenant_id', true) AS bound FROM alerts WHERE payload = $1",
					"p1"));
		}
		assertThat(answers).as("the answer of each call, in order")
			.containsExactlyElementsOf(
					Collections.nCopies(CALLS_PER_TENANT, List.of(Map.of("payload", "p1", "bound", "t1"))));
	}

	/** Runs the call for each tenant {@value #CALLS_PER_TENANT} times, the tenants taking turns. */
	private static void alternating(Shape shape, Consumer<String> call) {
		for (int n = 1; n <= CALLS_PER_TENANT * TENANTS.size(); n++) {
			String tenant = TENANTS.get((n - 1) % TENANTS.size());
			try {
				call.accept(tenant);
			}
			catch (AssertionError | RuntimeException ex) {
				throw new AssertionError("Call " + n + " (" + shape + " for " + tenant + ") failed: " + ex, ex);
			}
		}
	}

	/** The binding never outlives its call: an unscoped statement on the same, only connection has no tenant. */
	private static void assertNoTenantBound() {
		assertThat(app.fetchValue(String.class, "SELECT current_setting('aluskort.tenant_id', true)").orElse(""))
			.as("tenant bound on the connection after the call")
			.isEmpty();
	}

	private static List<Alert> rowsOf(String tenant) {
		return rowsOf(tenant, (row) -> true);
	}

	private static List<Alert> rowsOf(String tenant, Predicate<Alert> filter) {
		return ROWS.stream().filter((row) -> row.tenantId().equals(tenant)).filter(filter).toList();
	}

	private static List<Map<String, @Nullable Object>> mapsFor(String tenant, List<Alert> rows) {
		return rows.stream().map((row) -> row.readAsMapFor(tenant)).toList();
	}

	private static List<Seen> recordsFor(String tenant, List<Alert> rows) {
		return rows.stream().map((row) -> row.readFor(tenant)).toList();
	}

	/** Ids for rows a call adds: above any stored row, apart for each tenant. */
	private static long newId(String tenant, int n) {
		return 1000L * (TENANTS.indexOf(tenant) + 1) + n;
	}

	private static void insertThenDelete(PostgresOperations view, String tenant) {
		long id = newId(tenant, 1);
		assertThat(view.execute(INSERT, id, tenant, "N-" + id, new BigDecimal("1.5000"), "{\"new\": true}",
				List.of("new"), Severity.LOW)
			.tag()).isEqualTo("INSERT 0 1");
		// The row's payload is the tenant its INSERT ran for.
		assertThat(view.execute("DELETE FROM alerts WHERE id = $1 AND payload = $2", id, tenant).tag())
			.isEqualTo("DELETE 1");
	}

	private static void updateReturning(PostgresOperations view, String tenant) {
		assertThat(view.execute("UPDATE alerts SET code = code WHERE code LIKE $1 "
				+ "AND current_setting('aluskort.tenant_id', true) = $2 RETURNING code", "%-%", tenant).tag())
			.isEqualTo("UPDATE " + rowsOf(tenant).size());
	}

	private static void fetchOneByEnum(PostgresOperations view, String tenant) {
		assertThat(view.fetchOne(SELECT_ALERTS + " WHERE severity = $1::severity", Severity.HIGH))
			.contains(mapsFor(tenant, rowsOf(tenant, (row) -> row.severity() == Severity.HIGH)).get(0));
	}

	private static void fetchOneRecordByString(PostgresOperations view, String tenant) {
		assertThat(view.fetchOne(Seen.class, SELECT_ALERTS + " WHERE payload = $1", "p1"))
			.contains(recordsFor(tenant, rowsOf(tenant, (row) -> "p1".equals(row.payload()))).get(0));
	}

	private static void fetchManyByNull(PostgresOperations view, String tenant) {
		assertThat(view.fetchMany(SELECT_ALERTS + " WHERE $1::text IS NULL OR payload = $1 ORDER BY id", (Object) null))
			.containsExactlyElementsOf(mapsFor(tenant, rowsOf(tenant)));
	}

	private static void fetchManyRecordsByJsonb(PostgresOperations view, String tenant) {
		assertThat(view.fetchMany(Seen.class, SELECT_ALERTS + " WHERE details @> $1::jsonb ORDER BY id",
				"{\"source\": \"probe\"}"))
			.containsExactlyElementsOf(
					recordsFor(tenant, rowsOf(tenant, (row) -> row.details().contains("\"source\": \"probe\""))));
	}

	private static void fetchValueText(PostgresOperations view, String tenant) {
		assertThat(view.fetchValue(String.class, "SELECT current_setting('aluskort.tenant_id', true) || ':' "
				+ "|| string_agg(code, ',' ORDER BY id) FROM alerts WHERE code <> $1", "none"))
			.contains(tenant + ":" + rowsOf(tenant).stream().map(Alert::code).collect(Collectors.joining(",")));
	}

	private static void fetchValueNumeric(PostgresOperations view, String tenant) {
		assertThat(view.fetchValue(BigDecimal.class,
				"SELECT sum(amount) FROM alerts WHERE current_setting('aluskort.tenant_id', true) = $1", tenant))
			.contains(rowsOf(tenant).stream().map(Alert::amount).reduce(BigDecimal::add).orElseThrow());
	}

	private static void fetchValueJsonb(PostgresOperations view, String tenant) {
		String codes = rowsOf(tenant, (row) -> row.severity() != Severity.CRITICAL).stream()
			.map((row) -> "\"" + row.code() + "\"")
			.collect(Collectors.joining(", "));
		assertThat(view.fetchValue(String.class,
				"SELECT jsonb_build_object('tenant', current_setting('aluskort.tenant_id', true), "
						+ "'codes', jsonb_agg(code ORDER BY id)) FROM alerts WHERE severity <> $1::severity",
				"CRITICAL"))
			.contains("{\"codes\": [" + codes + "], \"tenant\": \"" + tenant + "\"}");
	}

	@SuppressWarnings("rawtypes")
	private static void fetchValueArray(PostgresOperations view, String tenant) {
		List<String> tags = new ArrayList<>(
				rowsOf(tenant).stream().flatMap((row) -> row.tags().stream()).sorted().toList());
		tags.add(tenant);
		assertThat(view.fetchValue(List.class,
				"SELECT array_agg(tag ORDER BY tag) || current_setting('aluskort.tenant_id', true) "
						+ "FROM alerts, unnest(tags) AS tag WHERE payload IS DISTINCT FROM $1",
				"none"))
			.contains(tags);
	}

	private static void batchUpdate(PostgresOperations view, String tenant) {
		List<Object[]> everyRow = ROWS.stream().map((row) -> new Object[] { row.id(), tenant }).toList();
		long[] own = ROWS.stream().mapToLong((row) -> row.tenantId().equals(tenant) ? 1 : 0).toArray();
		assertThat(view.executeBatch("UPDATE alerts SET amount = amount WHERE id = $1 "
				+ "AND current_setting('aluskort.tenant_id', true) = $2", everyRow))
			.containsExactly(own);
	}

	private static void batchInsert(PostgresOperations view, String tenant) {
		List<Object[]> rows = List.of(
				new Object[] { newId(tenant, 1), tenant, "I-1", new BigDecimal("0.5000"), "{\"batch\": 1}",
						List.of("batch"), Severity.LOW },
				new Object[] { newId(tenant, 2), tenant, "I-2", new BigDecimal("0.2500"), "{\"batch\": 2}", List.of(),
						Severity.HIGH });
		assertThat(view.executeBatch(INSERT, rows)).containsExactly(1, 1);
		assertThat(view.execute("DELETE FROM alerts WHERE id > $1 AND payload = $2", newId(tenant, 0), tenant).tag())
			.isEqualTo("DELETE 2");
	}

	private static void copyIn(PostgresOperations view, String tenant) {
		long id = newId(tenant, 1);
		assertThat(view.copyIn("alerts", COLUMNS, List.<Object[]>of(new Object[] { id, tenant, "copied", "C-1",
				new BigDecimal("3.0000"), "{\"copied\": true}", List.of("copied", "with space"), Severity.LOW })))
			.isEqualTo(1);
		assertThat(view.copyIn("alerts", Alert.class, List.of(new Alert(id + 1, tenant, "copied", "C-2",
				new BigDecimal("4.0000"), "{}", List.of(), Severity.HIGH))))
			.isEqualTo(1);
		assertThat(view.execute("DELETE FROM alerts WHERE payload = $1 "
				+ "AND tenant_id = current_setting('aluskort.tenant_id', true)", "copied").tag())
			.isEqualTo("DELETE 2");
	}

	private static void copyOut(PostgresOperations view, String tenant) {
		ByteArrayOutputStream csv = new ByteArrayOutputStream();
		List<Alert> rows = rowsOf(tenant);
		assertThat(view.copyOut("SELECT id, code, amount, current_setting('aluskort.tenant_id', true) AS bound "
				+ "FROM alerts ORDER BY id", csv)).isEqualTo(rows.size());
		List<String> lines = new ArrayList<>(List.of("id,code,amount,bound"));
		rows.forEach((row) -> lines.add(row.id() + "," + row.code() + "," + row.amount().toPlainString() + "," + tenant));
		assertThat(csv.toString(StandardCharsets.UTF_8).lines()).containsExactlyElementsOf(lines);
	}

	private static void streamMaps(PostgresOperations view, String tenant) {
		try (Stream<Map<String, Object>> rows = view.stream(SELECT_ALERTS + " WHERE code <> $1 ORDER BY id", "none")) {
			assertThat(rows.toList()).containsExactlyElementsOf(mapsFor(tenant, rowsOf(tenant)));
		}
	}

	private static void streamRecords(PostgresOperations view, String tenant) {
		try (Stream<Seen> rows = view.stream(Seen.class, SELECT_ALERTS + " WHERE severity <> $1::severity ORDER BY id",
				Severity.CRITICAL)) {
			assertThat(rows.toList()).containsExactlyElementsOf(
					recordsFor(tenant, rowsOf(tenant, (row) -> row.severity() != Severity.CRITICAL)));
		}
	}

}
