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
			"SELECT set_config('app.user', $1, $2)", "SELECT set_config('a', 'b', 'true')",
			"SELECT set_config('a', 'b')",
			"LISTEN alerts", "PREPARE q AS SELECT 1", "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
			"DO $$ BEGIN PERFORM set_config('a', 'b', false); END $$", "SELECT 1; SET work_mem = '1GB'",
			"UPDATE t SET a = 1; SELECT pg_advisory_lock(1)",
			// Quoted names are compared as written.
			"SELECT \"set_config\"('search_path', 'x', false)", "SELECT pg_catalog.\"set_config\"('a', $1, $2)",
			"SELECT \"pg_advisory_lock\"(1)", "SELECT \"pg_try_advisory_lock_shared\"(1)",
			"SELECT \"pg_advisory_lock\" FROM t",
			"SELECT U&\"\\0073et_config\"('a', 'b', false)",
			// Temporary tables however spelled, and the temporary schema by any of its names.
			"SELECT * INTO LOCAL TEMP scratch FROM alerts", "SELECT 1 INTO GLOBAL TEMPORARY scratch",
			"select 1 into local temporary table scratch", "(SELECT 1 AS n INTO TEMP scratch)",
			"CREATE LOCAL TEMP TABLE scratch (id int)", "CREATE GLOBAL TEMP TABLE scratch (id int)",
			"CREATE TABLE pg_temp_3.scratch (id int)", "SELECT * FROM \"pg_temp_12\".scratch",
			"SELECT * FROM PG_TEMP.scratch",
			"SELECT * FROM \"pg_temp\".scratch", "DROP TABLE pg_toast_temp_3.x, Pg_Temp_3.y",
			// The statement under EXPLAIN, which ANALYZE runs.
			"EXPLAIN ANALYZE SELECT * INTO TEMP scratch FROM alerts",
			"EXPLAIN ANALYZE VERBOSE CREATE TEMP TABLE x AS SELECT 1",
			"EXPLAIN (ANALYZE, FORMAT JSON) CREATE TEMPORARY TABLE x AS SELECT 1",
			"explain (analyze true, buffers 'on', serialize text) select 1 into temp x",
			"EXPLAIN ANALYSE DECLARE c CURSOR WITH HOLD FOR SELECT 1", "EXPLAIN ANALYZE SELECT pg_advisory_lock(1)",
			// pg_settings is a view whose UPDATE rule calls set_config(..., false).
			"UPDATE pg_settings SET setting = '1GB' WHERE name = 'work_mem'",
			"update pg_catalog.pg_settings set setting = 'x' where name = 'search_path'",
			"UPDATE \"pg_settings\" SET setting = 'x'",
			"WITH s AS (UPDATE pg_settings SET setting = 'x' WHERE name = 'y' RETURNING 1) SELECT * FROM s",
			// A prepared statement named transaction.
			"PREPARE transaction AS SELECT 1", "PREPARE transaction (int) AS SELECT 1",
			// A -- comment ends at a bare carriage return, as the server's scanner ends it.
			"-- note\rSET search_path = x", "SELECT 1; -- note\rSET work_mem = '1GB'" })
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
			"SELECT $$ SET ROLE x $$", "SELECT \"PG_ADVISORY_LOCK\" FROM t", "CREATE TABLE alerts (id int)",
			"UNLISTEN *", "DISCARD ALL", "PREPARE TRANSACTION 'tx1'", "ALTER ROLE app SET search_path = x",
			"CREATE FUNCTION f() RETURNS void LANGUAGE sql SET search_path = x AS $$ SELECT 1 $$",
			"SELECT \"SET_CONFIG\"('a', 'b', false)", "SELECT * FROM \"PG_TEMP\".t",
			"EXPLAIN ANALYZE SELECT * FROM alerts",
			"EXPLAIN (ANALYZE, FORMAT JSON) UPDATE alerts SET severity = 1",
			"EXPLAIN ANALYZE INSERT INTO temp VALUES (1)",
			"MERGE INTO temp t USING s ON t.id = s.id WHEN MATCHED THEN DELETE",
			"SELECT name, setting FROM pg_settings",
			"UPDATE settings SET pg_value = 1", "SELECT 1 -- SET ROLE x\r\n", "SELECT 1; -- SET ROLE x\n" })
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
