package io.aluskort.postgres.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed schema: {@code alerts} with its rows and index, and two empty tables of the same shape
 * for the write workloads ({@code alerts_load} for W3, {@code alerts_tx} for W4).
 */
final class Schema {

	static final OffsetDateTime EPOCH = OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

	private static final String TABLE = """
			CREATE TABLE %s (
			    id bigserial PRIMARY KEY,
			    tenant_id text NOT NULL,
			    created_at timestamptz NOT NULL,
			    severity int NOT NULL,
			    source text NOT NULL,
			    payload jsonb NOT NULL)""";

	private Schema() {
	}

	/** Creates the tables and loads {@code rows} rows into {@code alerts}, then VACUUM ANALYZE. */
	static void load(Connection connection, int rows) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			for (String table : List.of("alerts", Sql.LOAD_TABLE, Sql.TX_TABLE)) {
				statement.execute("DROP TABLE IF EXISTS " + table);
				statement.execute(TABLE.formatted(table));
			}
			statement.execute("""
					INSERT INTO alerts (tenant_id, created_at, severity, source, payload)
					SELECT 'tenant-' || (g % 50),
					       timestamptz '2025-01-01 00:00:00+00' + g * interval '1 minute',
					       g % 5,
					       'sensor-' || (g % 1000),
					       jsonb_build_object('rule', 'rule-' || (g % 200), 'host', 'host-' || (g % 300),
					                          'score', (g % 100) / 10.0, 'tags', jsonb_build_array('net', 'edge'))
					FROM generate_series(1, ROWS) AS g""".replace("ROWS", Integer.toString(rows)));
			for (String table : List.of("alerts", Sql.LOAD_TABLE, Sql.TX_TABLE)) {
				statement.execute("CREATE INDEX ON " + table + " (tenant_id, created_at)");
			}
			statement.execute("VACUUM ANALYZE alerts");
		}
	}

	/** Empties a write workload's table, outside the measured time. */
	static void truncate(Connection connection, String table) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute("TRUNCATE " + table + " RESTART IDENTITY");
		}
	}

	/** W3's rows: tenant_id, created_at, severity, source, payload (jsonb text). */
	static List<Object[]> loadRows(int count) {
		List<Object[]> rows = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			rows.add(new Object[] { "tenant-" + (i % 50), EPOCH.plusSeconds(i), i % 5, "sensor-" + (i % 1000),
					"{\"rule\": \"rule-" + (i % 200) + "\", \"host\": \"host-" + (i % 300) + "\", \"score\": "
							+ (i % 100) / 10.0 + "}" });
		}
		return rows;
	}

}
