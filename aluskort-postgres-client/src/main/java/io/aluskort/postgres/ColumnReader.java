package io.aluskort.postgres;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Array;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.postgresql.core.Field;
import org.postgresql.core.Oid;
import org.postgresql.core.TypeInfo;
import org.postgresql.util.PGInterval;
import org.postgresql.util.PGobject;

import org.springframework.dao.DataRetrievalFailureException;

/**
 * Reads one column of a result as the Java type a Java developer expects ({@code OffsetDateTime} for
 * {@code timestamptz}, {@code List} for arrays, ...), never a {@code java.sql} or driver class. Which
 * reader a column gets is decided once per result, from the column's type.
 */
abstract class ColumnReader {

	final String label;

	ColumnReader(String label) {
		this.label = label;
	}

	abstract @Nullable Object read(ResultSet resultSet, int column) throws SQLException;

	static ColumnReader of(Field field, TypeInfo typeInfo) throws SQLException {
		String label = field.getColumnLabel();
		int oid = field.getOID();
		ColumnReader typed = typed(label, oid);
		if (typed != null) {
			return typed;
		}
		Scalar scalar = Scalar.of(oid);
		if (scalar != null) {
			return new ScalarReader(label, scalar);
		}
		// getSQLType knows every built-in type and caches what it looks up, so a column of a known type
		// costs no round trip. getPGArrayElement cannot be asked first: for a type that is not an array
		// it throws "No results were returned by the query" (pgjdbc 42.7.x).
		if (typeInfo.getSQLType(oid) == Types.ARRAY) {
			Scalar element = Scalar.of(typeInfo.getPGArrayElement(oid));
			return new ArrayReader(label, (element != null) ? element : Scalar.TEXT);
		}
		return new ScalarReader(label, Scalar.TEXT);
	}

	/**
	 * The commonest column types, read with the driver's typed getter. {@code getObject} returns the
	 * same value (for these types it calls the same getter after dispatching on the column's SQL type,
	 * and returns null for SQL NULL), at about twice the cost per value, which shows on results of many
	 * rows: see RowReaderBenchmark in aluskort-postgres-benchmarks.
	 */
	private static @Nullable ColumnReader typed(String label, int oid) {
		return switch (oid) {
			case Oid.INT8 -> new Int8Reader(label);
			case Oid.INT4 -> new Int4Reader(label);
			case Oid.TEXT, Oid.VARCHAR, Oid.BPCHAR -> new TextReader(label);
			default -> null;
		};
	}

	/** How one PostgreSQL type is read, as a column and as an array element. */
	enum Scalar {

		/** Types whose driver object already is the expected Java type. */
		OBJECT,

		/** The driver widens {@code smallint} to Integer; a Java developer expects Short. */
		SMALLINT,

		/** The driver reads numeric NaN and Infinity as a Double; BigDecimal cannot hold them. */
		NUMERIC,

		TIMESTAMPTZ,

		TIMESTAMP,

		DATE,

		TIME,

		TIMETZ,

		BYTEA,

		/** A Duration, or an {@link Interval} when months are involved. */
		INTERVAL,

		/** The address of an {@code inet} or {@code cidr}; the prefix length is not kept. */
		INET,

		/** Everything else (json, jsonb, enums, ...): the server's text form. */
		TEXT;

		static @Nullable Scalar of(int oid) {
			return switch (oid) {
				case Oid.INT4, Oid.INT8, Oid.FLOAT4, Oid.FLOAT8, Oid.BOOL, Oid.TEXT, Oid.VARCHAR, Oid.BPCHAR, Oid.NAME,
						Oid.CHAR, Oid.UUID, Oid.OID -> OBJECT;
				case Oid.INT2 -> SMALLINT;
				case Oid.NUMERIC -> NUMERIC;
				case Oid.TIMESTAMPTZ -> TIMESTAMPTZ;
				case Oid.TIMESTAMP -> TIMESTAMP;
				case Oid.DATE -> DATE;
				case Oid.TIME -> TIME;
				case Oid.TIMETZ -> TIMETZ;
				case Oid.BYTEA -> BYTEA;
				case Oid.INTERVAL -> INTERVAL;
				case Oid.INET, Oid.CIDR -> INET;
				case Oid.JSON, Oid.JSONB, Oid.XML, Oid.MONEY -> TEXT;
				default -> null;
			};
		}

		@Nullable Object read(ResultSet resultSet, int column, String label) throws SQLException {
			return switch (this) {
				case OBJECT -> resultSet.getObject(column);
				case SMALLINT -> {
					short value = resultSet.getShort(column);
					yield resultSet.wasNull() ? null : value;
				}
				case NUMERIC -> checkedNumeric(resultSet.getObject(column), label);
				case TIMESTAMPTZ -> resultSet.getObject(column, OffsetDateTime.class);
				case TIMESTAMP -> resultSet.getObject(column, LocalDateTime.class);
				case DATE -> resultSet.getObject(column, LocalDate.class);
				case TIME -> resultSet.getObject(column, LocalTime.class);
				case TIMETZ -> resultSet.getObject(column, OffsetTime.class);
				case BYTEA -> resultSet.getBytes(column);
				case INTERVAL, INET -> fromDriver(resultSet.getObject(column), label);
				case TEXT -> resultSet.getString(column);
			};
		}

		/** Converts what the driver gives for this type, as an array element or otherwise. */
		@Nullable Object fromDriver(@Nullable Object value, String label) {
			if (value == null) {
				return null;
			}
			return switch (this) {
				case SMALLINT -> ((Number) value).shortValue();
				case NUMERIC -> checkedNumeric(value, label);
				case TIMESTAMPTZ -> (value instanceof Timestamp timestamp)
						? timestamp.toInstant().atOffset(ZoneOffset.UTC) : value;
				case TIMESTAMP -> (value instanceof Timestamp timestamp) ? timestamp.toLocalDateTime() : value;
				case DATE -> (value instanceof Date date) ? date.toLocalDate() : value;
				case INTERVAL -> interval((PGInterval) value);
				case INET -> inet((value instanceof PGobject object) ? object.getValue() : value.toString(), label);
				case TEXT -> (value instanceof PGobject object) ? object.getValue() : value.toString();
				default -> value;
			};
		}

		private static @Nullable Object checkedNumeric(@Nullable Object value, String label) {
			if (value instanceof Double) {
				throw new DataRetrievalFailureException("Column '" + label + "' holds a numeric NaN or Infinity, which "
						+ "BigDecimal cannot hold; cast the column to float8 to read it");
			}
			return value;
		}

		private static Object interval(PGInterval interval) {
			int months = interval.getYears() * 12 + interval.getMonths();
			long micros = ((interval.getHours() * 60L + interval.getMinutes()) * 60L + interval.getWholeSeconds())
					* 1_000_000L + interval.getMicroSeconds();
			if (months == 0) {
				return Duration.ofDays(interval.getDays()).plusNanos(micros * 1000);
			}
			return new Interval(months, interval.getDays(), micros);
		}

		private static @Nullable InetAddress inet(@Nullable String text, String label) {
			if (text == null) {
				return null;
			}
			int slash = text.indexOf('/');
			String address = (slash >= 0) ? text.substring(0, slash) : text;
			try {
				// A literal address: getByName parses it without asking any name service.
				return InetAddress.getByName(address);
			}
			catch (UnknownHostException ex) {
				throw new DataRetrievalFailureException("Column '" + label + "' holds an address Java cannot read", ex);
			}
		}

	}

	private static final class Int8Reader extends ColumnReader {

		Int8Reader(String label) {
			super(label);
		}

		@Override
		@Nullable Object read(ResultSet resultSet, int column) throws SQLException {
			long value = resultSet.getLong(column);
			return (value == 0 && resultSet.wasNull()) ? null : value;
		}

	}

	private static final class Int4Reader extends ColumnReader {

		Int4Reader(String label) {
			super(label);
		}

		@Override
		@Nullable Object read(ResultSet resultSet, int column) throws SQLException {
			int value = resultSet.getInt(column);
			return (value == 0 && resultSet.wasNull()) ? null : value;
		}

	}

	private static final class TextReader extends ColumnReader {

		TextReader(String label) {
			super(label);
		}

		@Override
		@Nullable Object read(ResultSet resultSet, int column) throws SQLException {
			return resultSet.getString(column);
		}

	}

	private static final class ScalarReader extends ColumnReader {

		private final Scalar scalar;

		ScalarReader(String label, Scalar scalar) {
			super(label);
			this.scalar = scalar;
		}

		@Override
		@Nullable Object read(ResultSet resultSet, int column) throws SQLException {
			return this.scalar.read(resultSet, column, this.label);
		}

	}

	/** Arrays become unmodifiable lists, nested for several dimensions, their elements read like columns. */
	private static final class ArrayReader extends ColumnReader {

		private final Scalar element;

		ArrayReader(String label, Scalar element) {
			super(label);
			this.element = element;
		}

		@Override
		@Nullable Object read(ResultSet resultSet, int column) throws SQLException {
			Array array = resultSet.getArray(column);
			if (array == null) {
				return null;
			}
			try {
				return (this.element == Scalar.TIME || this.element == Scalar.TIMETZ) ? fromElementRows(array)
						: toList((Object[]) array.getArray());
			}
			finally {
				array.free();
			}
		}

		/**
		 * The driver makes {@code java.sql.Time} of {@code time} and {@code timetz} elements, which keeps
		 * neither the fraction of a second nor the offset; its row per element still holds the server's
		 * text, which reads like a column of that type.
		 */
		private List<@Nullable Object> fromElementRows(Array array) throws SQLException {
			List<@Nullable Object> list = new ArrayList<>();
			try (ResultSet rows = array.getResultSet()) {
				boolean nested = rows.getMetaData().getColumnType(2) == Types.ARRAY;
				while (rows.next()) {
					if (!nested) {
						list.add(this.element.read(rows, 2, this.label));
						continue;
					}
					Array inner = rows.getArray(2);
					try {
						list.add((inner != null) ? fromElementRows(inner) : null);
					}
					finally {
						if (inner != null) {
							inner.free();
						}
					}
				}
			}
			return Collections.unmodifiableList(list);
		}

		private List<@Nullable Object> toList(Object[] elements) {
			List<@Nullable Object> list = new ArrayList<>(elements.length);
			for (Object element : elements) {
				list.add((element instanceof Object[] nested) ? toList(nested) : this.element.fromDriver(element, this.label));
			}
			return Collections.unmodifiableList(list);
		}

	}

}
