package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Runs one statement for many argument rows, a chunk per round trip. Chunks hold a power of two of
 * rows, so that a statement has at most eight shapes, each translated and prepared once.
 */
final class Batches {

	/**
	 * The most rows in one chunk of repeated statements. pgjdbc sends them back to back and reads the
	 * replies after the last; more would risk filling the socket buffers both ways.
	 */
	static final int MAX_CHUNK_ROWS = 128;

	/**
	 * The most rows in one multi-row INSERT: one statement and one reply however many rows, so a chunk
	 * is bounded by the protocol's parameter limit rather than by buffers. Fewer, larger chunks mean
	 * fewer round trips (W3 in BENCHMARKS.md).
	 */
	static final int MAX_INSERT_ROWS = 1024;

	/** A multi-row INSERT carries all its rows' parameters in one Bind message, which allows 65535. */
	private static final int MAX_PARAMETERS = 65535;

	private Batches() {
	}

	/**
	 * @throws IllegalArgumentException naming the row whose argument count does not match
	 */
	static void checkRows(ParsedSql sql, List<? extends @Nullable Object[]> rows) {
		for (int i = 0; i < rows.size(); i++) {
			Object[] row = rows.get(i);
			if (row == null || row.length != sql.parameterCount()) {
				throw new IllegalArgumentException("Batch row " + i + " has " + ((row != null) ? row.length : 0)
						+ " arguments; the statement expects " + sql.parameterCount());
			}
		}
	}

	/** Runs every chunk on the connection, which the caller keeps in one transaction. */
	static long[] execute(Connection connection, ParsedSql sql, List<? extends @Nullable Object[]> rows,
			@Nullable JsonCodec codec) throws SQLException {
		long[] counts = new long[rows.size()];
		int parameters = sql.parameterCount();
		boolean multiRowInsert = sql.isMultiRowInsert();
		int maxChunk = !multiRowInsert ? MAX_CHUNK_ROWS
				: (parameters > 0) ? Math.min(MAX_INSERT_ROWS, Integer.highestOneBit(MAX_PARAMETERS / parameters))
						: MAX_INSERT_ROWS;
		int done = 0;
		while (done < counts.length) {
			int chunk = Integer.highestOneBit(Math.min(counts.length - done, maxChunk));
			ParsedSql shape = sql.forRows(chunk);
			Object[] arguments = new Object[chunk * parameters];
			for (int row = 0; row < chunk; row++) {
				System.arraycopy(rows.get(done + row), 0, arguments, row * parameters, parameters);
			}
			if (multiRowInsert) {
				// No ON CONFLICT and no RETURNING: each row inserted exactly one row, or the statement failed.
				StatementRunner.execute(connection, shape, arguments, codec);
				for (int row = 0; row < chunk; row++) {
					counts[done + row] = 1;
				}
			}
			else {
				List<String> tags = StatementRunner.executeEach(connection, shape, arguments, codec);
				for (int row = 0; row < chunk; row++) {
					counts[done + row] = new CommandStatus(tags.get(row)).rows();
				}
			}
			done += chunk;
		}
		return counts;
	}

}
