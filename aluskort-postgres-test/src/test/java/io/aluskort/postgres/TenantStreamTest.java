package io.aluskort.postgres;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.dao.InvalidDataAccessApiUsageException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A tenant's stream yields that tenant's rows only, until it ends. Inside a transaction the binding is
 * the transaction's, and row-level security reads it at each fetch of the cursor (with a sequential
 * scan, at each row): a call for another tenant while the stream is open is refused, and the stream goes
 * on with its own tenant's rows. 6,000 rows, every other one for each of two tenants; the server sends
 * a stream {@value PostgresOperations#STREAM_FETCH_SIZE} rows at a time.
 */
@PostgresTest
class TenantStreamTest {

	private static final String ROLE = "tenant_stream_app";

	/** Tenant ids no error message would contain by chance. */
	private static final String ACME = "acme-7f1";

	private static final String BOLT = "bolt-3c9";

	private static final int ROWS_PER_TENANT = 3000;

	/** Read before the other tenant's call: the first fetch, exactly. */
	private static final int READ_FIRST = PostgresOperations.STREAM_FETCH_SIZE;

	/** No ORDER BY: the cursor reads the table as the stream is read, not all of it at once to sort it. */
	private static final String STREAM = "SELECT id, tenant_id, payload FROM readings";

	record Reading(long id, String tenantId, String payload) {
	}

	/** How the server reads the table for the stream. */
	enum Plan {

		INDEX_SCAN("Index", "SET LOCAL enable_seqscan = off"),

		SEQUENTIAL_SCAN("Seq Scan", "SET LOCAL enable_indexscan = off", "SET LOCAL enable_bitmapscan = off");

		final String node;

		final List<String> settings;

		Plan(String node, String... settings) {
			this.node = node;
			this.settings = List.of(settings);
		}

		/**
		 * The stream's statement, a text of its own for each plan: the server plans a prepared statement
		 * once, with the settings of that moment, and pgjdbc prepares a statement it has run a few times.
		 */
		String stream() {
			return STREAM + " /* " + name() + " */";
		}

	}

	/** The other tenant's call while the stream is open. */
	enum OtherCall {

		FETCH_MANY {
			@Override
			void run(TenantClient other) {
				other.fetchMany("SELECT id, tenant_id FROM readings WHERE id <= $1", 10L);
			}
		},

		EXECUTE {
			@Override
			void run(TenantClient other) {
				other.execute("UPDATE readings SET payload = payload WHERE id <= $1", 10L);
			}
		};

		abstract void run(TenantClient other);

	}

	private static PostgresClient app;

	@BeforeAll
	static void rowsAndClient(PostgresClient admin, PostgresDatabase database) throws IOException {
		RowLevelSecurity.createRole(admin, ROLE);
		admin.execute("CREATE TABLE readings (id bigint PRIMARY KEY, tenant_id text NOT NULL, payload text NOT NULL)");
		admin.execute("CREATE INDEX readings_tenant ON readings (tenant_id)");
		RowLevelSecurity.protect(admin, "readings", ROLE);
		admin.execute("INSERT INTO readings SELECT i, CASE WHEN i % 2 = 1 THEN '" + ACME + "' ELSE '" + BOLT
				+ "' END, 'r' || i FROM generate_series(1, " + (2 * ROWS_PER_TENANT) + ") i");
		admin.execute("ANALYZE readings");
		app = new PostgresClient(RowLevelSecurity.connectAs(database, ROLE).minSize(1).maxSize(2).build());
		app.connect();
	}

	@AfterAll
	static void closeClient() {
		if (app != null) {
			app.close();
		}
	}

	static Stream<Arguments> interleavings() {
		List<Arguments> cases = new ArrayList<>();
		for (List<String> order : List.of(List.of(ACME, BOLT), List.of(BOLT, ACME))) {
			for (Plan plan : Plan.values()) {
				for (OtherCall call : OtherCall.values()) {
					cases.add(Arguments.of(order.get(0), order.get(1), call, plan));
				}
			}
		}
		return cases.stream();
	}

	@ParameterizedTest(name = "{0} streams, {1} calls {2}, {3}")
	@MethodSource("interleavings")
	void inATransactionAnotherTenantsCallWhileAStreamIsOpenIsRefusedAndTheStreamKeepsItsTenant(String streaming,
			String other, OtherCall call, Plan plan) {
		SoftAssertions softly = new SoftAssertions();
		List<String> tenantsRead = new ArrayList<>();
		app.transaction((tx) -> {
			plan.settings.forEach(tx::execute);
			softly.assertThat(String.join("\n", app.forTenant(streaming).fetchMany(String.class, "EXPLAIN " + plan.stream())))
				.as("the plan")
				.contains(plan.node);
			try (Stream<Reading> readings = app.forTenant(streaming).stream(Reading.class, plan.stream())) {
				Iterator<Reading> rows = readings.iterator();
				for (int i = 0; i < READ_FIRST; i++) {
					tenantsRead.add(rows.next().tenantId());
				}
				Throwable refused = catchThrowable(() -> call.run(app.forTenant(other)));
				softly.assertThat(refused).as("the other tenant's call").isInstanceOf(InvalidDataAccessApiUsageException.class);
				if (refused != null) {
					softly.assertThat(refused.getMessage()).as("its message").doesNotContain(ACME).doesNotContain(BOLT);
				}
				rows.forEachRemaining((reading) -> tenantsRead.add(reading.tenantId()));
			}
			softly.assertThat(app.forTenant(other).fetchValue(Long.class,
					"SELECT count(*) FROM readings WHERE current_setting('aluskort.tenant_id', true) = $1", other))
				.as("the other tenant's call once the stream is closed")
				.contains((long) ROWS_PER_TENANT);
			return null;
		});
		softly.assertThat(countByTenant(tenantsRead)).as("rows the stream yielded, by tenant")
			.isEqualTo(Map.of(streaming, (long) ROWS_PER_TENANT));
		softly.assertAll();
	}

	@Test
	void outsideATransactionAStreamIsUnaffectedByAnotherTenantsCallsOnTheSameThread() {
		List<String> tenantsRead = new ArrayList<>();
		try (Stream<Map<String, Object>> readings = app.forTenant(ACME).stream(STREAM)) {
			Iterator<Map<String, Object>> rows = readings.iterator();
			for (int i = 0; i < READ_FIRST; i++) {
				tenantsRead.add((String) rows.next().get("tenant_id"));
			}
			// On the pool's other connection, in a transaction of its own.
			assertThat(app.forTenant(BOLT).fetchMany(String.class, "SELECT tenant_id FROM readings WHERE id > $1", 0L))
				.hasSize(ROWS_PER_TENANT)
				.containsOnly(BOLT);
			assertThat(app.forTenant(BOLT).execute("UPDATE readings SET payload = payload WHERE id <= $1", 10L).tag())
				.isEqualTo("UPDATE 5");
			rows.forEachRemaining((row) -> tenantsRead.add((String) row.get("tenant_id")));
		}
		assertThat(countByTenant(tenantsRead)).isEqualTo(Map.of(ACME, (long) ROWS_PER_TENANT));
	}

	private static Map<String, Long> countByTenant(List<String> tenants) {
		return tenants.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
	}

}
