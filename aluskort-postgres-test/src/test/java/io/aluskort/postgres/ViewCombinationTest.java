package io.aluskort.postgres;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The views of a client combined: a tenant with a statement timeout, each of them inside a transaction,
 * and both inside a transaction, in every order the API has. On a pool of one connection as the
 * application role, against a table under the starter's row-level security policy, each read takes a
 * String parameter and returns text columns, and runs eight times for each of two tenants taking turns on
 * the connection: pgjdbc server-prepares a statement from its sixth execution and then sends a Sync
 * between statements of one string. Each row says which tenant was bound and which statement timeout was
 * in force while the statement that read it ran.
 */
@PostgresTest
class ViewCombinationTest {

	private static final String ROLE = "view_combination_app";

	private static final List<String> TENANTS = List.of("t1", "t2");

	/** More than pgjdbc's {@code prepareThreshold} of 5. */
	private static final int RUNS = 8;

	private static final Duration TIMEOUT = Duration.ofMillis(4321);

	/** {@link #TIMEOUT} as {@code SHOW statement_timeout} gives it. */
	private static final String VIEW_TIMEOUT = "4321ms";

	/** Each row with the tenant bound and the statement timeout in force while the statement ran. */
	private static final String SELECT = "SELECT id, tenant_id, payload, current_setting('aluskort.tenant_id', true) "
			+ "AS bound, current_setting('statement_timeout') AS timeout FROM view_alerts WHERE payload <> $1 ORDER BY id";

	private static final String NO_PAYLOAD = "none";

	private static final Map<String, List<Row>> ROWS = Map.of("t1",
			List.of(new Row(1, "t1", "first of t1"), new Row(2, "t1", "second of t1")), "t2",
			List.of(new Row(11, "t2", "only one of t2")));

	record Row(long id, String tenantId, String payload) {

		Seen seen(String timeout) {
			return new Seen(this.id, this.tenantId, this.payload, this.tenantId, timeout);
		}

	}

	/** A row as a statement read it. */
	record Seen(long id, String tenantId, String payload, @Nullable String bound, String timeout) {
	}

	/** One combination of views, reading {@link #SELECT} for a tenant. */
	@FunctionalInterface
	interface Read {

		List<Seen> rows(String tenant);

	}

	/** The client under test: the application role, one connection. */
	private static PostgresClient app;

	/** The client's own statement timeout, as the server shows it. */
	private static String clientTimeout;

	@BeforeAll
	static void schemaAndClient(PostgresClient admin, PostgresDatabase database) throws IOException {
		RowLevelSecurity.createRole(admin, ROLE);
		admin.execute("CREATE TABLE view_alerts (id bigint PRIMARY KEY, tenant_id text NOT NULL, payload text NOT NULL)");
		RowLevelSecurity.protect(admin, "view_alerts", ROLE);
		admin.copyIn("view_alerts", Row.class, ROWS.values().stream().flatMap(List::stream).toList());
		app = new PostgresClient(RowLevelSecurity.connectAs(database, ROLE).minSize(1).maxSize(1).build());
		app.connect();
		clientTimeout = app.fetchValue(String.class, "SHOW statement_timeout").orElseThrow();
		assertThat(clientTimeout).isNotEqualTo(VIEW_TIMEOUT);
	}

	@AfterAll
	static void closeClient() {
		if (app != null) {
			app.close();
		}
	}

	/** Neither the tenant nor the timeout of a view outlives its call or its transaction. */
	@AfterEach
	void nothingLeftOnTheConnection() {
		assertThat(app.fetchOne("SELECT current_setting('aluskort.tenant_id', true) AS bound, "
				+ "current_setting('statement_timeout') AS timeout, (SELECT count(*) FROM view_alerts) AS visible"))
			.hasValueSatisfying((row) -> {
				assertThat(row.get("bound")).as("tenant bound afterwards").isIn(null, "");
				assertThat(row.get("timeout")).as("statement timeout afterwards").isEqualTo(clientTimeout);
				assertThat(row.get("visible")).as("rows visible without a tenant").isEqualTo(0L);
			});
	}

	@Test
	void tenantWithStatementTimeout() {
		assertReads(VIEW_TIMEOUT, (tenant) -> app.forTenant(tenant).withStatementTimeout(TIMEOUT)
			.fetchMany(Seen.class, SELECT, NO_PAYLOAD));
	}

	@Test
	void statementTimeoutWithTenant() {
		assertReads(VIEW_TIMEOUT, (tenant) -> app.withStatementTimeout(TIMEOUT).forTenant(tenant)
			.fetchMany(Seen.class, SELECT, NO_PAYLOAD));
	}

	@Test
	void aTenantsViewForAnotherTenantBindsTheOther() {
		assertReads(clientTimeout, (tenant) -> app.forTenant("t1").forTenant(tenant)
			.fetchMany(Seen.class, SELECT, NO_PAYLOAD));
	}

	@Test
	void tenantWithStatementTimeoutStreams() {
		assertReads(VIEW_TIMEOUT, (tenant) -> {
			try (Stream<Seen> rows = app.forTenant(tenant).withStatementTimeout(TIMEOUT).stream(Seen.class, SELECT,
					NO_PAYLOAD)) {
				return rows.toList();
			}
		});
	}

	@Test
	void tenantInsideTransaction() {
		assertReads(clientTimeout,
				(tenant) -> app.transaction((tx) -> tx.forTenant(tenant).fetchMany(Seen.class, SELECT, NO_PAYLOAD)));
		assertReads(clientTimeout, (tenant) -> app
			.transaction((tx) -> app.forTenant(tenant).fetchMany(Seen.class, SELECT, NO_PAYLOAD)));
	}

	@Test
	void statementTimeoutInsideTransaction() {
		assertReads(VIEW_TIMEOUT, (tenant) -> app.forTenant(tenant)
			.transaction((tx) -> tx.withStatementTimeout(TIMEOUT).fetchMany(Seen.class, SELECT, NO_PAYLOAD)));
	}

	@Test
	void tenantWithStatementTimeoutInsideTransaction() {
		assertReads(VIEW_TIMEOUT, (tenant) -> app.transaction(
				(tx) -> tx.forTenant(tenant).withStatementTimeout(TIMEOUT).fetchMany(Seen.class, SELECT, NO_PAYLOAD)));
		assertReads(VIEW_TIMEOUT, (tenant) -> app.transaction(
				(tx) -> tx.withStatementTimeout(TIMEOUT).forTenant(tenant).fetchMany(Seen.class, SELECT, NO_PAYLOAD)));
		assertReads(VIEW_TIMEOUT, (tenant) -> app.transaction((tx) -> app.forTenant(tenant)
			.withStatementTimeout(TIMEOUT)
			.fetchMany(Seen.class, SELECT, NO_PAYLOAD)));
	}

	@Test
	void combinedTimeoutLimitsTheStatement() {
		Duration brief = Duration.ofMillis(100);
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> app.forTenant("t1").withStatementTimeout(brief).execute("SELECT pg_sleep(3)"));
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> app.withStatementTimeout(brief).forTenant("t1").execute("SELECT pg_sleep(3)"));
		assertThatExceptionOfType(QueryTimeoutException.class).isThrownBy(() -> app
			.transaction((tx) -> tx.withStatementTimeout(brief).forTenant("t1").execute("SELECT pg_sleep(3)")));
	}

	@Test
	void viewsOfATransactionEndWithIt() {
		Transaction[] kept = new Transaction[1];
		app.transaction((tx) -> kept[0] = tx.forTenant("t1").withStatementTimeout(TIMEOUT));
		assertThatIllegalStateException().isThrownBy(() -> kept[0].fetchMany(Seen.class, SELECT, NO_PAYLOAD))
			.withMessageContaining("transaction has ended");
	}

	private static void assertReads(String timeout, Read read) {
		for (int run = 1; run <= RUNS; run++) {
			for (String tenant : TENANTS) {
				assertThat(read.rows(tenant)).as("run %d for %s", run, tenant)
					.containsExactlyElementsOf(ROWS.get(tenant).stream().map((row) -> row.seen(timeout)).toList());
			}
		}
	}

}
