package io.aluskort.postgres;

import java.sql.Array;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.postgresql.core.Field;
import org.postgresql.core.Oid;
import org.postgresql.core.TypeInfo;
import org.postgresql.util.PGobject;

import org.springframework.dao.InvalidDataAccessApiUsageException;

/**
 * Turns the rows of one result into insertion-ordered maps of the Java types a Java developer expects
 * ({@code OffsetDateTime} for {@code timestamptz}, {@code List} for arrays, ...), never
 * {@code java.sql} or driver classes. How to read each column is decided once per result, from the
 * column's type, not once per value.
 */
final class RowReader {

	private final String[] labels;

	private final ColumnType[] types;

	private final int mapCapacity;

	private RowReader(String[] labels, ColumnType[] types) {
		this.labels = labels;
		this.types = types;
		this.mapCapacity = (int) (labels.length / 0.75f) + 1;
	}

	/**
	 * @throws InvalidDataAccessApiUsageException when two columns share a name, which would make one
	 * overwrite the other in the row's map
	 */
	static RowReader of(Field[] fields, TypeInfo typeInfo) throws SQLException {
		String[] labels = new String[fields.length];
		ColumnType[] types = new ColumnType[fields.length];
		for (int i = 0; i < fields.length; i++) {
			labels[i] = fields[i].getColumnLabel();
			types[i] = ColumnType.of(fields[i].getOID(), typeInfo);
		}
		checkUniqueLabels(labels);
		return new RowReader(labels, types);
	}

	private static void checkUniqueLabels(String[] labels) {
		if (labels.length < 2) {
			return;
		}
		Set<String> seen = new HashSet<>(labels.length * 2);
		for (String label : labels) {
			if (!seen.add(label)) {
				throw new InvalidDataAccessApiUsageException("The result has two columns named '" + label
						+ "'; give one of them another name with AS");
			}
		}
	}

	Map<String, @Nullable Object> read(ResultSet resultSet) throws SQLException {
		Map<String, @Nullable Object> row = new LinkedHashMap<>(this.mapCapacity);
		for (int i = 0; i < this.labels.length; i++) {
			row.put(this.labels[i], this.types[i].read(resultSet, i + 1));
		}
		return row;
	}

	/** How a column of one PostgreSQL type is read. */
	private enum ColumnType {

		/** Types whose driver object already is the expected Java type. */
		OBJECT {
			@Override
			@Nullable Object read(ResultSet resultSet, int column) throws SQLException {
				return resultSet.getObject(column);
			}
		},

		/** The driver widens {@code smallint} to Integer; a Java developer expects Short. */
		SMALLINT {
			@Override
			@Nullable Object read(ResultSet resultSet, int column) throws SQLException {
				short value = resultSet.getShort(column);
				return resultSet.wasNull() ? null : value;
			}
		},

		TIMESTAMPTZ {
			@Override
			@Nullable Object read(ResultSet resultSet, int column) throws SQLException {
				return resultSet.getObject(column, OffsetDateTime.class);
			}
		},

		TIMESTAMP {
			@Override
			@Nullable Object read(ResultSet resultSet, int column) throws SQLException {
				return resultSet.getObject(column, LocalDateTime.class);
			}
		},

		DATE {
			@Override
			@Nullable Object read(ResultSet resultSet, int column) throws SQLException {
				return resultSet.getObject(column, LocalDate.class);
			}
		},

		TIME {
			@Override
			@Nullable Object read(ResultSet resultSet, int column) throws SQLException {
				return resultSet.getObject(column, LocalTime.class);
			}
		},

		TIMETZ {
			@Override
			@Nullable Object read(ResultSet resultSet, int column) throws SQLException {
				return resultSet.getObject(column, OffsetTime.class);
			}
		},

		BYTEA {
			@Override
			@Nullable Object read(ResultSet resultSet, int column) throws SQLException {
				return resultSet.getBytes(column);
			}
		},

		ARRAY {
			@Override
			@Nullable Object read(ResultSet resultSet, int column) throws SQLException {
				return readArray(resultSet, column, false);
			}
		},

		/** The driver gives timestamptz elements as Timestamps: convert them by instant, not wall clock. */
		TIMESTAMPTZ_ARRAY {
			@Override
			@Nullable Object read(ResultSet resultSet, int column) throws SQLException {
				return readArray(resultSet, column, true);
			}
		},

		/** Everything else (json, jsonb, interval, inet, ...): the server's text form. */
		TEXT {
			@Override
			@Nullable Object read(ResultSet resultSet, int column) throws SQLException {
				return resultSet.getString(column);
			}
		};

		abstract @Nullable Object read(ResultSet resultSet, int column) throws SQLException;

		static ColumnType of(int oid, TypeInfo typeInfo) throws SQLException {
			switch (oid) {
				case Oid.INT4, Oid.INT8, Oid.FLOAT4, Oid.FLOAT8, Oid.NUMERIC, Oid.BOOL, Oid.TEXT, Oid.VARCHAR,
						Oid.BPCHAR, Oid.NAME, Oid.CHAR, Oid.UUID, Oid.OID:
					return OBJECT;
				case Oid.INT2:
					return SMALLINT;
				case Oid.TIMESTAMPTZ:
					return TIMESTAMPTZ;
				case Oid.TIMESTAMP:
					return TIMESTAMP;
				case Oid.DATE:
					return DATE;
				case Oid.TIME:
					return TIME;
				case Oid.TIMETZ:
					return TIMETZ;
				case Oid.BYTEA:
					return BYTEA;
				case Oid.TIMESTAMPTZ_ARRAY:
					return TIMESTAMPTZ_ARRAY;
				default:
					// getSQLType knows every built-in type and caches what it looks up, so a column of
					// a known type costs no round trip. getPGArrayElement cannot be asked instead: for a
					// type that is not an array (jsonb, interval, inet, ...) it throws "No results were
					// returned by the query" (pgjdbc 42.7.x).
					return (typeInfo.getSQLType(oid) == Types.ARRAY) ? ARRAY : TEXT;
			}
		}

	}

	private static @Nullable Object readArray(ResultSet resultSet, int column, boolean zoned) throws SQLException {
		Array array = resultSet.getArray(column);
		if (array == null) {
			return null;
		}
		try {
			return toList((Object[]) array.getArray(), zoned);
		}
		finally {
			array.free();
		}
	}

	/** Array elements come as java.sql and driver objects; convert them like column values. */
	private static List<@Nullable Object> toList(Object[] elements, boolean zoned) {
		List<@Nullable Object> list = new ArrayList<>(elements.length);
		for (Object element : elements) {
			list.add(toJava(element, zoned));
		}
		return Collections.unmodifiableList(list);
	}

	private static @Nullable Object toJava(@Nullable Object element, boolean zoned) {
		if (element instanceof Object[] nested) {
			return toList(nested, zoned);
		}
		if (element instanceof Timestamp timestamp) {
			return zoned ? timestamp.toInstant().atOffset(ZoneOffset.UTC) : timestamp.toLocalDateTime();
		}
		if (element instanceof Date date) {
			return date.toLocalDate();
		}
		if (element instanceof Time time) {
			return time.toLocalTime();
		}
		if (element instanceof PGobject object) {
			return object.getValue();
		}
		return element;
	}

}
