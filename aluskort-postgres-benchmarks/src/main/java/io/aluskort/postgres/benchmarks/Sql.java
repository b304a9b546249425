package io.aluskort.postgres.benchmarks;

/**
 * The statements of the workloads: in PostgreSQL's {@code $n} form for PostgresClient, in JDBC's
 * {@code ?} form for the baseline and JdbcClient. Each pair is the same statement.
 */
final class Sql {

	static final String COLUMNS = "id, tenant_id, created_at, severity, source";

	static final String POINT_SELECT = "SELECT * FROM alerts WHERE id = $1";

	static final String JDBC_POINT_SELECT = "SELECT * FROM alerts WHERE id = ?";

	static final String RANGE = "SELECT " + COLUMNS + " FROM alerts WHERE id BETWEEN $1 AND $2";

	static final String JDBC_RANGE = "SELECT " + COLUMNS + " FROM alerts WHERE id BETWEEN ? AND ?";

	static final String RANGE_JSONB = "SELECT " + COLUMNS + ", payload FROM alerts WHERE id BETWEEN $1 AND $2";

	static final String JDBC_RANGE_JSONB = "SELECT " + COLUMNS + ", payload FROM alerts WHERE id BETWEEN ? AND ?";

	static final String LOAD_TABLE = "alerts_load";

	static final String LOAD_COLUMNS = "tenant_id, created_at, severity, source, payload";

	static final String INSERT_LOAD = "INSERT INTO " + LOAD_TABLE + " (" + LOAD_COLUMNS
			+ ") VALUES ($1, $2, $3, $4, $5::jsonb)";

	static final String JDBC_INSERT_LOAD = "INSERT INTO " + LOAD_TABLE + " (" + LOAD_COLUMNS
			+ ") VALUES (?, ?, ?, ?, ?::jsonb)";

	static final String COPY_LOAD = "COPY " + LOAD_TABLE + " (" + LOAD_COLUMNS + ") FROM STDIN";

	static final String TX_TABLE = "alerts_tx";

	static final String INSERT_RETURNING = "INSERT INTO " + TX_TABLE + " (" + LOAD_COLUMNS
			+ ") VALUES ($1, now(), $2, 'bench', $3::jsonb) RETURNING id";

	static final String JDBC_INSERT_RETURNING = "INSERT INTO " + TX_TABLE + " (" + LOAD_COLUMNS
			+ ") VALUES (?, now(), ?, 'bench', ?::jsonb) RETURNING id";

	static final String UPDATE = "UPDATE " + TX_TABLE + " SET severity = $1 WHERE id = $2";

	static final String JDBC_UPDATE = "UPDATE " + TX_TABLE + " SET severity = ? WHERE id = ?";

	static final String TX_PAYLOAD = "{\"rule\": \"r1\", \"score\": 0.5}";

	static final String SELECT_ONE = "SELECT 1";

	/** Rows per executeBatch call in W3. */
	static final int BATCH_SIZE = 1000;

	private Sql() {
	}

}
