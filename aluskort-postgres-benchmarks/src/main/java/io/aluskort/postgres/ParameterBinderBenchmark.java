package io.aluskort.postgres;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.CachedQuery;
import org.postgresql.core.ParameterList;
import org.postgresql.core.Query;

/**
 * Parameter conversion: {@link ParameterBinder#bind} into pgjdbc's own parameter list, for the
 * argument sets of the workloads. {@code createAndBind} adds the per-call parameter list, which is
 * what each call pays.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ParameterBinderBenchmark {

	/**
	 * {@code id}: one bigint (W1); {@code tx}: text, int, text (W4's insert); {@code mixed}: bigint,
	 * text, timestamptz, int, uuid, numeric; {@code array}: a list of ten bigints.
	 */
	@Param({ "id", "tx", "mixed", "array" })
	public String arguments;

	ParsedSql sql = ParsedSql.parse("SELECT 1");

	Object[] args = {};

	Query query;

	ParameterList parameters;

	@Setup
	public void setUp() throws SQLException {
		String text;
		switch (this.arguments) {
			case "id" -> {
				text = "SELECT * FROM alerts WHERE id = $1";
				this.args = new Object[] { 42L };
			}
			case "tx" -> {
				text = "INSERT INTO alerts (tenant_id, created_at, severity, source, payload) "
						+ "VALUES ($1, now(), $2, 'bench', $3::jsonb) RETURNING id";
				this.args = new Object[] { "tenant-7", 3, "{\"rule\": \"r1\", \"score\": 0.5}" };
			}
			case "mixed" -> {
				text = "SELECT $1::bigint, $2::text, $3::timestamptz, $4::int, $5::uuid, $6::numeric";
				this.args = new Object[] { 42L, "tenant-7", OffsetDateTime.of(2025, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC), 3,
						UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), new BigDecimal("12.50") };
			}
			case "array" -> {
				text = "SELECT * FROM alerts WHERE id = ANY($1)";
				this.args = new Object[] { List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L) };
			}
			default -> throw new IllegalArgumentException(this.arguments);
		}
		this.sql = ParsedSql.parse(text);
		BaseConnection connection = LocalDatabase.connection();
		CachedQuery cached = connection.getQueryExecutor().borrowQuery(this.sql.jdbcSql());
		this.query = cached.query;
		connection.getQueryExecutor().releaseQuery(cached);
		this.parameters = this.query.createParameterList();
	}

	@Benchmark
	public Object bind() throws SQLException {
		ParameterBinder.bind(this.parameters, this.sql, this.args, null);
		return this.parameters;
	}

	@Benchmark
	public Object createAndBind() throws SQLException {
		ParameterList parameters = this.query.createParameterList();
		ParameterBinder.bind(parameters, this.sql, this.args, null);
		return parameters;
	}

}
