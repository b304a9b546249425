package io.aluskort.postgres.reliability;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.SessionReset;
import io.aluskort.postgres.TransactionOptions;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session state a caller leaves on a connection never reaches the next borrower of that physical
 * connection. With one connection in the pool every call gets the same backend, so whatever the
 * first call left behind, the second would see.
 */
@PostgresTest
class SessionStateTest {

	private static final String SCENARIO = "6. session state between borrowers";

	private PostgresClient client;

	private int pid;

	@BeforeAll
	static void createObjects(PostgresClient admin) {
		admin.execute("DROP ROLE IF EXISTS session_leaker");
		admin.execute("CREATE ROLE session_leaker NOLOGIN");
		admin.execute("CREATE SCHEMA IF NOT EXISTS leaked");
		admin.execute("CREATE OR REPLACE FUNCTION set_inside() RETURNS text LANGUAGE sql "
				+ "AS $$ SELECT set_config('aluskort.leak', 'inside', false) $$");
	}

	@BeforeEach
	void connect(PostgresDatabase database) {
		this.client = connect(database, SessionReset.WHEN_CHANGED);
		this.pid = backend(this.client);
	}

	private static PostgresClient connect(PostgresDatabase database, SessionReset mode) {
		PostgresClient client = new PostgresClient(database.clientConfig()
			.minSize(1)
			.maxSize(1)
			.statementTimeout(Duration.ofSeconds(7))
			.sessionReset(mode)
			.build());
		client.connect();
		return client;
	}

	@AfterEach
	void close() {
		this.client.close();
	}

	static Stream<Arguments> changes() {
		return Stream.of(
				change("SET", (db) -> db.execute("SET search_path TO leaked"),
						"SELECT current_setting('search_path') = '\"$user\", public'"),
				change("SET ROLE", (db) -> db.execute("SET ROLE session_leaker"), "SELECT current_user = session_user"),
				change("SET SESSION AUTHORIZATION", (db) -> db.execute("SET SESSION AUTHORIZATION session_leaker"),
						"SELECT session_user = 'postgres'"),
				change("SET SESSION CHARACTERISTICS",
						(db) -> db.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE"),
						"SELECT current_setting('default_transaction_isolation') = 'read committed'"),
				change("set_config(..., false)", (db) -> db.execute("SELECT set_config('aluskort.leak', 'x', false)"),
						"SELECT coalesce(current_setting('aluskort.leak', true), '') = ''"),
				change("temporary table", (db) -> db.execute("CREATE TEMP TABLE scratch AS SELECT 1 AS n"),
						"SELECT to_regclass('pg_temp.scratch') IS NULL"),
				change("advisory lock", (db) -> db.execute("SELECT pg_advisory_lock(4242)"),
						"SELECT NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())"),
				change("LISTEN", (db) -> db.execute("LISTEN leaked_channel"),
						"SELECT NOT EXISTS (SELECT 1 FROM pg_listening_channels())"),
				change("PREPARE", (db) -> db.execute("PREPARE leaked_statement AS SELECT 1"),
						"SELECT NOT EXISTS (SELECT 1 FROM pg_prepared_statements WHERE name = 'leaked_statement')"),
				change("DECLARE ... WITH HOLD", (db) -> db.transaction((tx) -> tx.execute(
						"DECLARE leaked_cursor CURSOR WITH HOLD FOR SELECT 1")),
						"SELECT NOT EXISTS (SELECT 1 FROM pg_cursors WHERE name = 'leaked_cursor')"),
				change("SET in a transaction", (db) -> db.transaction((tx) -> tx.execute("SET search_path TO leaked")),
						"SELECT current_setting('search_path') = '\"$user\", public'"),
				change("advisory lock in a serializable transaction",
						(db) -> db.transaction(TransactionOptions.defaults().isolation(TransactionOptions.Isolation.SERIALIZABLE),
								(tx) -> tx.execute("SELECT pg_advisory_lock(4343)")),
						"SELECT NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())"),
				change("advisory lock through a stream", (db) -> {
					try (Stream<?> rows = db.stream("SELECT pg_advisory_lock(4444)")) {
						rows.count();
					}
				}, "SELECT NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())"),
				change("quoted set_config", (db) -> db.execute("SELECT \"set_config\"('aluskort.leak', 'x', false)"),
						"SELECT coalesce(current_setting('aluskort.leak', true), '') = ''"),
				change("set_config written with Unicode escapes",
						(db) -> db.execute("SELECT U&\"\\0073et_config\"('aluskort.leak', 'x', false)"),
						"SELECT coalesce(current_setting('aluskort.leak', true), '') = ''"),
				change("quoted advisory lock", (db) -> db.execute("SELECT pg_catalog.\"pg_advisory_lock\"(4242)"),
						"SELECT NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
								+ "AND pid = pg_backend_pid())"),
				change("SELECT INTO LOCAL TEMP", (db) -> db.execute("SELECT 1 AS n INTO LOCAL TEMP scratch"),
						"SELECT to_regclass('pg_temp.scratch') IS NULL"),
				change("CREATE LOCAL TEMP", (db) -> db.execute("CREATE LOCAL TEMPORARY TABLE scratch (n int)"),
						"SELECT to_regclass('pg_temp.scratch') IS NULL"),
				change("EXPLAIN ANALYZE CREATE TEMP TABLE AS",
						(db) -> db.execute("EXPLAIN ANALYZE CREATE TEMP TABLE scratch AS SELECT 1 AS n"),
						"SELECT to_regclass('pg_temp.scratch') IS NULL"),
				change("EXPLAIN (options) SELECT INTO TEMP",
						(db) -> db.execute("EXPLAIN (ANALYZE, COSTS OFF, FORMAT JSON) SELECT 1 AS n INTO TEMP scratch"),
						"SELECT to_regclass('pg_temp.scratch') IS NULL"),
				change("UPDATE pg_settings",
						(db) -> db.execute("UPDATE pg_settings SET setting = 'leaked' WHERE name = 'search_path'"),
						"SELECT current_setting('search_path') = '\"$user\", public'"),
				change("the temporary schema by its own name", (db) -> {
					// The backend's temporary schema, pg_temp_N, stays its own after the reset the first table causes.
					db.execute("CREATE TEMP TABLE probe (n int)");
					String schema = db.fetchValue(String.class,
							"SELECT nspname::text FROM pg_namespace WHERE oid = pg_my_temp_schema()").orElseThrow();
					assertThat(schema).startsWith("pg_temp_");
					db.execute("CREATE TABLE " + schema + ".scratch AS SELECT 1 AS n");
				}, "SELECT to_regclass('pg_temp.scratch') IS NULL"),
				change("PREPARE of a statement named transaction",
						(db) -> db.execute("PREPARE transaction AS SELECT 1"),
						"SELECT NOT EXISTS (SELECT 1 FROM pg_prepared_statements WHERE name = 'transaction')"),
				change("SET after a comment ended by a bare carriage return",
						(db) -> db.execute("SELECT 1; -- then\rSET search_path TO leaked"),
						"SELECT current_setting('search_path') = '\"$user\", public'"));
	}

	private static Arguments change(String name, Consumer<PostgresClient> change, String cleanCheck) {
		return Arguments.of(name, change, cleanCheck);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("changes")
	void theNextBorrowerSeesNoneOfIt(String name, Consumer<PostgresClient> change, String cleanCheck,
			PostgresClient admin) {
		assertThat(this.client.fetchValue(Boolean.class, cleanCheck)).as("clean before").contains(true);
		change.accept(this.client);
		assertThat(backend(this.client)).as("same backend").isEqualTo(this.pid);
		assertThat(this.client.fetchValue(Boolean.class, cleanCheck)).as("clean after " + name).contains(true);
		// The session keeps what the client set when it connected.
		assertThat(this.client.fetchValue(String.class, "SHOW statement_timeout")).contains("7s");
		assertThat(admin.fetchValue(String.class, "SELECT application_name FROM pg_stat_activity WHERE pid = $1",
				this.pid))
			.contains(this.client.config().applicationName());
		assertThat(admin.fetchValue(Boolean.class, "SELECT pg_try_advisory_lock(4242) AND pg_advisory_unlock(4242)"))
			.contains(true);
	}

	@Test
	void onlyConnectionsThatChangedTheirSessionAreReset(PostgresClient admin) {
		this.client.execute("SELECT 1 AS plain");
		assertThat(lastStatement(admin)).isEqualTo("SELECT 1 AS plain");
		this.client.execute("SET work_mem = '8MB'");
		assertThat(lastStatement(admin)).isEqualTo("DISCARD ALL");
		this.client.transaction((tx) -> tx.execute("SET LOCAL work_mem = '8MB'"));
		assertThat(lastStatement(admin)).isEqualTo("COMMIT");
		Figures.record(SCENARIO, "statements that reset their connection", "only session-changing ones");
	}

	@Test
	void theDriversPreparedStatementsSurviveAReset() {
		// Past pgjdbc's prepareThreshold (5) the statement is prepared on the server under a name.
		for (int i = 0; i < 8; i++) {
			assertThat(this.client.fetchValue(Integer.class, "SELECT $1::int + 1", i)).contains(i + 1);
		}
		this.client.execute("SET work_mem = '8MB'");
		for (int i = 0; i < 8; i++) {
			assertThat(this.client.fetchValue(Integer.class, "SELECT $1::int + 1", i)).contains(i + 1);
		}
	}

	@Test
	void stateChangedInsideAFunctionNeedsTheResetAlwaysMode(PostgresDatabase database) {
		// Documented limit of WHEN_CHANGED: the statement's text does not show what the function does.
		this.client.execute("SELECT set_inside()");
		assertThat(this.client.fetchValue(String.class, "SELECT current_setting('aluskort.leak', true)"))
			.contains("inside");
		this.client.execute("DISCARD ALL");
		try (PostgresClient always = connect(database, SessionReset.ALWAYS)) {
			always.execute("SELECT set_inside()");
			assertThat(always.fetchValue(String.class, "SELECT coalesce(current_setting('aluskort.leak', true), '')"))
				.contains("");
		}
	}

	private static int backend(PostgresClient client) {
		return client.fetchValue(Integer.class, "SELECT pg_backend_pid()").orElseThrow();
	}

	private String lastStatement(PostgresClient admin) {
		return admin.fetchValue(String.class, "SELECT query FROM pg_stat_activity WHERE pid = $1", this.pid)
			.orElseThrow();
	}

}
