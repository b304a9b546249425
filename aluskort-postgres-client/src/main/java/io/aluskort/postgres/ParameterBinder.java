package io.aluskort.postgres;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.postgresql.core.Oid;
import org.postgresql.core.ParameterList;

/**
 * Binds Java values to a statement's parameters, each with the PostgreSQL type it stands for, so
 * the server never has to parse a value out of the SQL text.
 *
 * <p>Strings go untyped, as literals do in SQL: the server takes their type from where they stand, so
 * a {@code String} fills a {@code text}, {@code jsonb}, {@code inet} or enum column alike. A null goes
 * untyped too; where the server cannot tell its type ({@code $1 IS NULL} alone), cast it:
 * {@code $1::text}.
 */
final class ParameterBinder {

	private static final HexFormat HEX = HexFormat.of();

	/** {@code inet[]}: pgjdbc's Oid class has no constant for it. */
	static final int INET_ARRAY = 1041;

	private ParameterBinder() {
	}

	static void bind(ParameterList parameters, ParsedSql sql, @Nullable Object[] args, @Nullable JsonCodec codec)
			throws SQLException {
		int[] argumentIndexes = sql.argumentIndexes();
		for (int position = 0; position < argumentIndexes.length; position++) {
			int argument = argumentIndexes[position];
			bindOne(parameters, position + 1, args[argument], argument + 1, codec);
		}
	}

	private static void bindOne(ParameterList parameters, int position, @Nullable Object value, int number,
			@Nullable JsonCodec codec) throws SQLException {
		if (value == null) {
			parameters.setNull(position, Oid.UNSPECIFIED);
		}
		else if (value instanceof String text) {
			parameters.setStringParameter(position, text, Oid.UNSPECIFIED);
		}
		else if (value instanceof Integer integer) {
			parameters.setIntParameter(position, integer);
		}
		else if (value instanceof byte[] bytes) {
			parameters.setBytea(position, bytes, 0, bytes.length);
		}
		else if (isArray(value)) {
			ParameterType elementType = elementTypeOf(value, number, codec);
			int oid = (elementType != null) ? elementType.arrayOid : Oid.UNSPECIFIED;
			parameters.setStringParameter(position, arrayText(value, elementType, number, codec), oid);
		}
		else {
			ParameterType scalar = ParameterType.of(value, codec);
			if (scalar == null) {
				throw unsupported(value, number);
			}
			parameters.setStringParameter(position, scalar.text(value, codec, number), scalar.oid);
		}
	}

	/**
	 * The text PostgreSQL reads back as the value, for anything a parameter may be: what COPY sends.
	 * @throws IllegalArgumentException naming the type and the parameter number when there is no mapping
	 */
	static String text(Object value, int number, @Nullable JsonCodec codec) {
		if (isArray(value)) {
			return arrayText(value, elementTypeOf(value, number, codec), number, codec);
		}
		ParameterType scalar = ParameterType.of(value, codec);
		if (scalar == null) {
			throw unsupported(value, number);
		}
		return scalar.text(value, codec, number);
	}

	private static boolean isArray(Object value) {
		return value instanceof List<?> || (value.getClass().isArray() && !(value instanceof byte[]));
	}

	private static String arrayText(Object array, @Nullable ParameterType elementType, int number,
			@Nullable JsonCodec codec) {
		StringBuilder literal = new StringBuilder(64);
		appendArray(literal, array, elementType, number, codec);
		return literal.toString();
	}

	/** The type of the first non-null element (nested lists included), or null when there is none. */
	private static @Nullable ParameterType elementTypeOf(Object array, int number, @Nullable JsonCodec codec) {
		int length = lengthOf(array);
		for (int i = 0; i < length; i++) {
			Object element = elementAt(array, i);
			if (element == null) {
				continue;
			}
			if (isArray(element)) {
				ParameterType nested = elementTypeOf(element, number, codec);
				if (nested != null) {
					return nested;
				}
				continue;
			}
			ParameterType scalar = ParameterType.of(element, codec);
			if (scalar == null) {
				throw new IllegalArgumentException("Parameter $" + number + " is an array of "
						+ element.getClass().getName() + ", which has no PostgreSQL mapping");
			}
			return scalar;
		}
		return null;
	}

	private static void appendArray(StringBuilder literal, Object array, @Nullable ParameterType elementType,
			int number, @Nullable JsonCodec codec) {
		literal.append('{');
		int length = lengthOf(array);
		for (int i = 0; i < length; i++) {
			if (i > 0) {
				literal.append(',');
			}
			Object element = elementAt(array, i);
			if (element == null) {
				literal.append("NULL");
			}
			else if (isArray(element)) {
				appendArray(literal, element, elementType, number, codec);
			}
			else {
				if (ParameterType.of(element, codec) != elementType) {
					throw new IllegalArgumentException("Parameter $" + number + " mixes element types: "
							+ element.getClass().getName() + " among " + elementType);
				}
				appendQuoted(literal, castNonNull(elementType).text(element, codec, number));
			}
		}
		literal.append('}');
	}

	/** Quoting every element is valid for every element type and spares a per-element check. */
	private static void appendQuoted(StringBuilder literal, String text) {
		literal.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				literal.append('\\');
			}
			literal.append(c);
		}
		literal.append('"');
	}

	private static int lengthOf(Object array) {
		return (array instanceof List<?> list) ? list.size() : Array.getLength(array);
	}

	private static @Nullable Object elementAt(Object array, int index) {
		return (array instanceof List<?> list) ? list.get(index) : Array.get(array, index);
	}

	private static ParameterType castNonNull(@Nullable ParameterType scalar) {
		if (scalar == null) {
			throw new IllegalStateException("element type must be known when an element is not null");
		}
		return scalar;
	}

	/**
	 * The JSON text the codec writes for a parameter's value. A value it cannot write is an argument
	 * the call cannot take, as a value of no PostgreSQL type is.
	 */
	static String toJson(JsonCodec codec, Object value, int number) {
		try {
			return codec.toJson(value);
		}
		catch (RuntimeException ex) {
			// Not chained, and only its type named: Jackson's message quotes the value it could not
			// write, which may be a tenant's data.
			throw new IllegalArgumentException("Parameter $" + number + " is a " + value.getClass().getName()
					+ " that the JsonCodec cannot write (" + ex.getClass().getSimpleName() + "; the value is not shown)");
		}
	}

	private static IllegalArgumentException unsupported(Object value, int number) {
		return new IllegalArgumentException("Parameter $" + number + " has type " + value.getClass().getName()
				+ ", which has no PostgreSQL mapping; pass a String, number, Boolean, UUID, java.time value, Duration, "
				+ "Interval, InetAddress, byte[], enum, array, List, or (with a JsonCodec) a Map, record or Json");
	}

	/** The PostgreSQL type of each supported Java scalar, and its text form. */
	enum ParameterType {

		TEXT(Oid.UNSPECIFIED, Oid.TEXT_ARRAY),
		INT2(Oid.INT2, Oid.INT2_ARRAY),
		INT4(Oid.INT4, Oid.INT4_ARRAY),
		INT8(Oid.INT8, Oid.INT8_ARRAY),
		NUMERIC(Oid.NUMERIC, Oid.NUMERIC_ARRAY),
		FLOAT4(Oid.FLOAT4, Oid.FLOAT4_ARRAY),
		FLOAT8(Oid.FLOAT8, Oid.FLOAT8_ARRAY),
		BOOL(Oid.BOOL, Oid.BOOL_ARRAY),
		UUID(Oid.UUID, Oid.UUID_ARRAY),
		TIMESTAMPTZ(Oid.TIMESTAMPTZ, Oid.TIMESTAMPTZ_ARRAY),
		TIMESTAMP(Oid.TIMESTAMP, Oid.TIMESTAMP_ARRAY),
		DATE(Oid.DATE, Oid.DATE_ARRAY),
		TIME(Oid.TIME, Oid.TIME_ARRAY),
		TIMETZ(Oid.TIMETZ, Oid.TIMETZ_ARRAY),
		BYTEA(Oid.BYTEA, Oid.BYTEA_ARRAY),
		INTERVAL(Oid.INTERVAL, Oid.INTERVAL_ARRAY),
		INET(Oid.INET, INET_ARRAY),
		JSONB(Oid.JSONB, Oid.JSONB_ARRAY),
		/** Java enums go by name and untyped, so that they fill PostgreSQL enum columns. */
		ENUM(Oid.UNSPECIFIED, Oid.UNSPECIFIED);

		final int oid;

		final int arrayOid;

		ParameterType(int oid, int arrayOid) {
			this.oid = oid;
			this.arrayOid = arrayOid;
		}

		static @Nullable ParameterType of(Object value, @Nullable JsonCodec codec) {
			if (value instanceof String) {
				return TEXT;
			}
			if (value instanceof Integer) {
				return INT4;
			}
			if (value instanceof Long) {
				return INT8;
			}
			if (value instanceof Short || value instanceof Byte) {
				return INT2;
			}
			if (value instanceof BigDecimal || value instanceof BigInteger) {
				return NUMERIC;
			}
			if (value instanceof Double) {
				return FLOAT8;
			}
			if (value instanceof Float) {
				return FLOAT4;
			}
			if (value instanceof Boolean) {
				return BOOL;
			}
			if (value instanceof java.util.UUID) {
				return UUID;
			}
			if (value instanceof OffsetDateTime || value instanceof Instant || value instanceof ZonedDateTime) {
				return TIMESTAMPTZ;
			}
			if (value instanceof LocalDateTime) {
				return TIMESTAMP;
			}
			if (value instanceof LocalDate) {
				return DATE;
			}
			if (value instanceof LocalTime) {
				return TIME;
			}
			if (value instanceof OffsetTime) {
				return TIMETZ;
			}
			if (value instanceof byte[]) {
				return BYTEA;
			}
			if (value instanceof Enum<?>) {
				return ENUM;
			}
			if (value instanceof Duration || value instanceof Interval) {
				return INTERVAL;
			}
			if (value instanceof InetAddress) {
				return INET;
			}
			if (value instanceof Json || (codec != null && (value instanceof Map<?, ?> || value instanceof Record))) {
				return JSONB;
			}
			return null;
		}

		String text(Object value, @Nullable JsonCodec codec, int number) {
			return switch (this) {
				case INTERVAL -> (value instanceof Duration duration) ? interval(duration)
						: ((Interval) value).toPostgresText();
				case INET -> ((InetAddress) value).getHostAddress();
				case JSONB -> (value instanceof Json json) ? json.text(codec, number)
						: toJson(Objects.requireNonNull(codec), value, number);
				case TIMESTAMPTZ -> timestamptz(value);
				case TIMESTAMP -> IsoText.localDateTime((LocalDateTime) value);
				case TIMETZ -> DateTimeFormatter.ISO_OFFSET_TIME.format((OffsetTime) value);
				case TIME -> DateTimeFormatter.ISO_LOCAL_TIME.format((LocalTime) value);
				case BYTEA -> "\\x" + HEX.formatHex((byte[]) value);
				case ENUM -> ((Enum<?>) value).name();
				default -> value.toString();
			};
		}

		private static String interval(Duration duration) {
			long micros = Math.addExact(Math.multiplyExact(duration.getSeconds(), 1_000_000L), duration.getNano() / 1000);
			return new Interval(0, 0, micros).toPostgresText();
		}

		private static String timestamptz(Object value) {
			// IsoText prints what DateTimeFormatter's ISO_INSTANT and ISO_OFFSET_DATE_TIME print, faster.
			if (value instanceof Instant instant) {
				return IsoText.instant(instant);
			}
			OffsetDateTime dateTime = (value instanceof ZonedDateTime zoned) ? zoned.toOffsetDateTime()
					: (OffsetDateTime) value;
			return IsoText.offsetDateTime(dateTime);
		}

	}

}
