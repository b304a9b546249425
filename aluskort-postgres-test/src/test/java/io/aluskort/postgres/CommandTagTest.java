package io.aluskort.postgres;

import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code execute} returns the command tag exactly as the server sends it; each expected tag below is
 * what psql prints for the same statement.
 */
@PostgresTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandTagTest {

	private final PostgresClient db;

	CommandTagTest(PostgresClient db) {
		this.db = db;
	}

	@BeforeAll
	void schema() {
		this.db.execute("CREATE TABLE alerts (id bigserial PRIMARY KEY, tenant_id text NOT NULL, severity int)");
	}

	@Test
	void dataModifyingStatements() {
		assertThat(this.db.execute("INSERT INTO alerts(tenant_id, severity) VALUES ($1, $2)", "t1", 3).tag())
			.isEqualTo("INSERT 0 1");
		assertThat(this.db.execute("INSERT INTO alerts(tenant_id, severity) VALUES ($1, 1), ($1, 2)", "t1").tag())
			.isEqualTo("INSERT 0 2");
		CommandStatus update = this.db.execute("UPDATE alerts SET severity = $1 WHERE tenant_id = $2", 5, "t1");
		assertThat(update.tag()).isEqualTo("UPDATE 3");
		assertThat(update.rows()).isEqualTo(3);
		assertThat(update).hasToString("UPDATE 3");
		assertThat(this.db
			.execute("WITH moved AS (INSERT INTO alerts(tenant_id, severity) VALUES ($1, 9) RETURNING id) "
					+ "INSERT INTO alerts(tenant_id, severity) SELECT 'copy', 9 FROM moved", "t2")
			.tag()).isEqualTo("INSERT 0 1");
		assertThat(this.db.execute("""
				MERGE INTO alerts a USING (VALUES ($1::text, 7)) v(tenant_id, severity) ON a.tenant_id = v.tenant_id
				WHEN MATCHED THEN UPDATE SET severity = v.severity
				WHEN NOT MATCHED THEN INSERT (tenant_id, severity) VALUES (v.tenant_id, v.severity)""", "t2").tag())
			.isEqualTo("MERGE 1");
		assertThat(this.db.execute("DELETE FROM alerts WHERE tenant_id = $1", "copy").tag()).isEqualTo("DELETE 1");
		assertThat(this.db.execute("INSERT INTO alerts(tenant_id) VALUES ('r') RETURNING id").tag())
			.isEqualTo("INSERT 0 1");
	}

	@Test
	void queries() {
		this.db.execute("INSERT INTO alerts(tenant_id, severity) VALUES ('q', 1), ('q', 2)");
		assertThat(this.db.execute("SELECT * FROM alerts WHERE tenant_id = $1", "q").tag()).isEqualTo("SELECT 2");
		assertThat(this.db.execute("VALUES (1), (2), (3)").tag()).isEqualTo("SELECT 3");
		assertThat(this.db.execute("SELECT 1 WHERE false").tag()).isEqualTo("SELECT 0");
		assertThat(this.db.execute("EXPLAIN SELECT 1").tag()).isEqualTo("EXPLAIN");
		assertThat(this.db.execute("SHOW server_version").tag()).isEqualTo("SHOW");
	}

	@Test
	void definitionsAndUtilities() {
		assertThat(this.db.execute("CREATE TABLE scratch (id int)").tag()).isEqualTo("CREATE TABLE");
		assertThat(this.db.execute("CREATE INDEX scratch_id ON scratch (id)").tag()).isEqualTo("CREATE INDEX");
		assertThat(this.db.execute("CREATE UNIQUE INDEX scratch_id2 ON scratch (id)").tag()).isEqualTo("CREATE INDEX");
		assertThat(this.db.execute("ALTER TABLE scratch ADD COLUMN note text").tag()).isEqualTo("ALTER TABLE");
		assertThat(this.db.execute("CREATE TABLE scratch_copy AS SELECT * FROM scratch").tag()).isEqualTo("SELECT 0");
		assertThat(this.db.execute("CREATE OR REPLACE VIEW scratch_view AS SELECT id FROM scratch").tag())
			.isEqualTo("CREATE VIEW");
		assertThat(this.db.execute("COMMENT ON TABLE scratch IS 'x'").tag()).isEqualTo("COMMENT");
		assertThat(this.db.execute("TRUNCATE scratch").tag()).isEqualTo("TRUNCATE TABLE");
		assertThat(this.db.execute("DO $$ BEGIN PERFORM 1; END $$").tag()).isEqualTo("DO");
		assertThat(this.db.execute("SET LOCAL work_mem = '8MB'").tag()).isEqualTo("SET");
		assertThat(this.db.execute("CREATE FUNCTION one() RETURNS int LANGUAGE sql AS 'SELECT 1'").tag())
			.isEqualTo("CREATE FUNCTION");
		assertThat(this.db.execute("DROP VIEW scratch_view").tag()).isEqualTo("DROP VIEW");
		assertThat(this.db.execute("DROP TABLE scratch, scratch_copy").tag()).isEqualTo("DROP TABLE");
		assertThat(this.db.execute("DROP TABLE IF EXISTS never_there").tag()).isEqualTo("DROP TABLE");
	}

	@Test
	void severalStatementsInOneStringReturnTheLastTag() {
		assertThat(this.db.execute("CREATE TABLE multi (id int); INSERT INTO multi VALUES (1), (2)").tag())
			.isEqualTo("INSERT 0 2");
		assertThat(this.db.execute("DROP TABLE multi").rows()).isZero();
	}

}
