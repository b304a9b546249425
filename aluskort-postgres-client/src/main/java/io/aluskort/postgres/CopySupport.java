package io.aluskort.postgres;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Bulk transfer with {@code COPY}. Rows go in PostgreSQL's text format, which takes each value in the
 * same text form a bound parameter has (so every parameter type works), with tab, newline, carriage
 * return and backslash escaped and {@code \N} for NULL. The binary format would need an encoder per
 * column type and the exact type of every column up front; BENCHMARKS.md compares this path with a
 * hand-written {@code CopyManager} loop.
 */
final class CopySupport {

	private static final int FLUSH_CHARS = 64 * 1024;

	private CopySupport() {
	}

	/**
	 * The COPY statement for the table and columns.
	 * @throws IllegalArgumentException naming a table or column that is no plain or quoted identifier
	 */
	static String copyInStatement(String table, List<String> columns) {
		if (!Identifiers.isQualified(table)) {
			throw new IllegalArgumentException("COPY table '" + table + "' must be a plain or double-quoted identifier, "
					+ "optionally schema-qualified");
		}
		if (columns.isEmpty()) {
			throw new IllegalArgumentException("COPY needs at least one column");
		}
		for (String column : columns) {
			if (column == null || !Identifiers.isPlainOrQuoted(column)) {
				throw new IllegalArgumentException("COPY column '" + column + "' must be a plain or double-quoted identifier");
			}
		}
		return "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN";
	}

	static long copyIn(Connection connection, String statement, int columnCount,
			Iterator<? extends @Nullable Object[]> rows, @Nullable JsonCodec codec) throws SQLException {
		CopyIn copy = new CopyManager(connection.unwrap(BaseConnection.class)).copyIn(statement);
		try {
			StringBuilder buffer = new StringBuilder(FLUSH_CHARS + 1024);
			long row = 0;
			while (rows.hasNext()) {
				appendRow(buffer, rows.next(), columnCount, row++, codec);
				if (buffer.length() >= FLUSH_CHARS) {
					flush(copy, buffer);
				}
			}
			flush(copy, buffer);
			return copy.endCopy();
		}
		finally {
			if (copy.isActive()) {
				copy.cancelCopy();
			}
		}
	}

	private static void flush(CopyIn copy, StringBuilder buffer) throws SQLException {
		if (buffer.length() > 0) {
			byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
			copy.writeToCopy(bytes, 0, bytes.length);
			buffer.setLength(0);
		}
	}

	private static void appendRow(StringBuilder buffer, @Nullable Object @Nullable [] values, int columnCount, long row,
			@Nullable JsonCodec codec) {
		if (values == null || values.length != columnCount) {
			throw new IllegalArgumentException("COPY row " + row + " has " + ((values != null) ? values.length : 0)
					+ " values; expected " + columnCount);
		}
		for (int column = 0; column < columnCount; column++) {
			if (column > 0) {
				buffer.append('\t');
			}
			Object value = values[column];
			if (value == null) {
				buffer.append("\\N");
				continue;
			}
			String text;
			try {
				text = ParameterBinder.text(value, column + 1, codec);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("COPY row " + row + ", column " + (column + 1) + ": " + ex.getMessage(),
						ex);
			}
			appendEscaped(buffer, text);
		}
		buffer.append('\n');
	}

	private static void appendEscaped(StringBuilder buffer, String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '\\' -> buffer.append("\\\\");
				case '\t' -> buffer.append("\\t");
				case '\n' -> buffer.append("\\n");
				case '\r' -> buffer.append("\\r");
				default -> buffer.append(c);
			}
		}
	}

	/** The columns a record fills: its components' names in {@code snake_case}. */
	static List<String> columnsOf(Class<? extends Record> type) {
		return Arrays.stream(type.getRecordComponents())
			.map((component) -> ColumnNames.snakeCase(component.getName()))
			.collect(Collectors.toList());
	}

	/** A record's component values, in declaration order. */
	static Object[] valuesOf(Record record) {
		RecordComponent[] components = record.getClass().getRecordComponents();
		Object[] values = new Object[components.length];
		for (int i = 0; i < components.length; i++) {
			try {
				Object value = components[i].getAccessor().invoke(record);
				values[i] = value;
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalArgumentException("Cannot read " + components[i].getName() + " of "
						+ record.getClass().getName(), ex);
			}
		}
		return values;
	}

	static long copyOut(Connection connection, ParsedSql query, String text, OutputStream out) throws SQLException {
		if (query.parameterCount() > 0) {
			throw new IllegalArgumentException("copyOut cannot bind parameters: COPY takes none. Filter with a view, "
					+ "or read with stream(...) instead");
		}
		CopyManager copy = new CopyManager(connection.unwrap(BaseConnection.class));
		try {
			String select = text.strip();
			while (select.endsWith(";")) {
				select = select.substring(0, select.length() - 1).strip();
			}
			// The line break ends a -- comment the query may end with, which would swallow the parenthesis.
			return copy.copyOut("COPY (" + select + "\n) TO STDOUT WITH (FORMAT csv, HEADER true)", out);
		}
		catch (IOException ex) {
			throw new DataAccessResourceFailureException("Writing COPY output failed", ex);
		}
	}

}
