package io.aluskort.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.BaseStatement;
import org.postgresql.core.Field;

/**
 * Row-to-map conversion, per row, on a real result: the fields and rows (1,000 of {@code alerts})
 * that pgjdbc received from the embedded server, fetched once in the setup as the client fetches them
 * (a named statement with binary results, as after {@code prepareThreshold} executions). Each
 * invocation wraps them in the driver's result set, as {@code StatementRunner} does, and decodes every
 * row; no network is involved. Divide by the column count (5, or 6 with the jsonb column) for the cost
 * per column value. {@link #handWritten} is what the baseline of the load harness does with the same
 * rows: typed getters into a map.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RowReaderBenchmark {

	static final int ROWS = 1000;

	/** Whether the rows include the jsonb column. */
	@Param({ "false", "true" })
	public boolean jsonb;

	BaseConnection connection;

	StatementRunner.Collector result;

	@Setup
	public void setUp() throws SQLException {
		this.connection = LocalDatabase.connection();
		String columns = "id, tenant_id, created_at, severity, source" + (this.jsonb ? ", payload" : "");
		this.result = LocalDatabase.fetch("SELECT " + columns + " FROM alerts WHERE id BETWEEN $1 AND $2", 6, 1L,
				(long) ROWS);
		if (this.result.tuples.size() != ROWS) {
			throw new IllegalStateException("Expected " + ROWS + " rows, got " + this.result.tuples.size());
		}
	}

	private ResultSet resultSet(Statement owner) throws SQLException {
		StatementRunner.Collector captured = this.result;
		return ((BaseStatement) owner).createResultSet(captured.query, captured.fields, captured.tuples,
				captured.cursor);
	}

	@Benchmark
	@OperationsPerInvocation(ROWS)
	public void rowReader(Blackhole blackhole) throws SQLException {
		try (Statement owner = this.connection.createStatement(); ResultSet resultSet = resultSet(owner)) {
			RowReader reader = RowReader.of(Objects.requireNonNull(this.result.fields), this.connection.getTypeInfo());
			while (resultSet.next()) {
				blackhole.consume(reader.map(resultSet));
			}
		}
	}

	@Benchmark
	@OperationsPerInvocation(ROWS)
	public void handWritten(Blackhole blackhole) throws SQLException {
		boolean payload = this.jsonb;
		try (Statement owner = this.connection.createStatement(); ResultSet resultSet = resultSet(owner)) {
			while (resultSet.next()) {
				Map<String, @Nullable Object> row = new LinkedHashMap<>(payload ? 9 : 8);
				row.put("id", resultSet.getLong(1));
				row.put("tenant_id", resultSet.getString(2));
				row.put("created_at", resultSet.getObject(3, OffsetDateTime.class));
				row.put("severity", resultSet.getInt(4));
				row.put("source", resultSet.getString(5));
				if (payload) {
					row.put("payload", resultSet.getString(6));
				}
				blackhole.consume(row);
			}
		}
	}

	/**
	 * {@link #handWritten} with {@code getObject(int)} for the bigint, text and int columns instead of
	 * the typed getters: isolates what the driver's generic getter costs.
	 */
	@Benchmark
	@OperationsPerInvocation(ROWS)
	public void handWrittenGetObject(Blackhole blackhole) throws SQLException {
		boolean payload = this.jsonb;
		try (Statement owner = this.connection.createStatement(); ResultSet resultSet = resultSet(owner)) {
			while (resultSet.next()) {
				Map<String, @Nullable Object> row = new LinkedHashMap<>(payload ? 9 : 8);
				row.put("id", resultSet.getObject(1));
				row.put("tenant_id", resultSet.getObject(2));
				row.put("created_at", resultSet.getObject(3, OffsetDateTime.class));
				row.put("severity", resultSet.getObject(4));
				row.put("source", resultSet.getObject(5));
				if (payload) {
					row.put("payload", resultSet.getString(6));
				}
				blackhole.consume(row);
			}
		}
	}

	/** What a call pays once per result before the first row: deciding how to read each column. */
	@Benchmark
	public Object readerSetup() throws SQLException {
		Field[] fields = Objects.requireNonNull(this.result.fields);
		return RowReader.of(fields, this.connection.getTypeInfo());
	}

}
