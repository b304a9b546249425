package io.aluskort.postgres;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which statements mark their connection for a reset: those whose text shows a change to the session
 * that outlives the transaction, and no others.
 */
class SessionChangeDetectionTest {

	@ParameterizedTest
	@ValueSource(strings = { "SET search_path TO audit", "set timezone = 'UTC'", "SET SESSION statement_timeout = 0",
			"SET ROLE auditor", "SET SESSION AUTHORIZATION auditor", "RESET ROLE", "RESET ALL",
			"SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SET \"search_path\" TO x",
			"CREATE TEMP TABLE scratch (id int)", "create temporary table scratch (id int)",
			"CREATE GLOBAL TEMPORARY TABLE scratch (id int)", "CREATE OR REPLACE TEMP VIEW v AS SELECT 1",
			"CREATE TABLE pg_temp.scratch (id int)", "SELECT * INTO TEMP scratch FROM alerts",
			"WITH a AS (SELECT 1) SELECT * INTO TEMPORARY TABLE scratch FROM a", "SELECT pg_advisory_lock(42)",
			"SELECT pg_try_advisory_lock($1)", "SELECT pg_advisory_lock_shared(1, 2)",
			"select pg_catalog.pg_try_advisory_lock_shared(7)", "SELECT set_config('search_path', 'x', false)",
			"SELECT set_config('app.user', $1, $2)", "SELECT set_config('a', 'b', 'true')", "SELECT set_config('a', 'b')",
			"LISTEN alerts", "PREPARE q AS SELECT 1", "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
			"DO $$ BEGIN PERFORM set_config('a', 'b', false); END $$", "SELECT 1; SET work_mem = '1GB'",
			"UPDATE t SET a = 1; SELECT pg_advisory_lock(1)" })
	void sessionChanges(String sql) {
		assertThat(ParsedSql.parse(sql).changesSession()).as(sql).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "SELECT 1", "UPDATE alerts SET severity = $1 WHERE id = $2",
			"INSERT INTO temp_readings VALUES ($1)", "INSERT INTO alerts (temp) VALUES (1)", "SELECT temp FROM weather",
			"SET LOCAL statement_timeout = 100", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
			"SET TRANSACTION DEFERRABLE; SET LOCAL statement_timeout = 5", "SET CONSTRAINTS ALL DEFERRED",
			"SELECT set_config('aluskort.tenant_id', $1, true)",
			"SELECT set_config('aluskort.tenant_id', $2, TRUE);\nSELECT * FROM alerts WHERE id = $1",
			"SELECT pg_advisory_xact_lock(42)", "SELECT pg_try_advisory_xact_lock(1)", "SELECT pg_advisory_unlock(42)",
			"SELECT 'SET ROLE x', 'pg_advisory_lock(1)' -- LISTEN x", "/* SET ROLE x */ SELECT 1",
			"SELECT $$ SET ROLE x $$", "SELECT \"pg_advisory_lock\" FROM t", "CREATE TABLE alerts (id int)",
			"UNLISTEN *", "DISCARD ALL", "PREPARE TRANSACTION 'tx1'", "ALTER ROLE app SET search_path = x",
			"CREATE FUNCTION f() RETURNS void LANGUAGE sql SET search_path = x AS $$ SELECT 1 $$" })
	void noSessionChanges(String sql) {
		assertThat(ParsedSql.parse(sql).changesSession()).as(sql).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "SET search_path TO audit", "SELECT 1" })
	void batchShapesKeepTheMark(String sql) {
		ParsedSql parsed = ParsedSql.parse(sql);
		assertThat(parsed.forRows(4).changesSession()).isEqualTo(parsed.changesSession());
	}

}
