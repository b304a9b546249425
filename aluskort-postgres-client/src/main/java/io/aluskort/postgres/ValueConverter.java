package io.aluskort.postgres;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.TypeMismatchDataAccessException;

/**
 * Adapts a column's value, as {@link ColumnReader} reads it, to the type a record component, bean
 * property or single-value query asks for. Conversions are the lossless ones (an {@code int} column into
 * a {@code long}, a {@code numeric} into a {@code double} when the double is the same number), an enum
 * by name, an instant from a {@code timestamptz}, and JSON text through the {@link JsonCodec}; anything
 * else is an error naming the column.
 */
final class ValueConverter {

	private ValueConverter() {
	}

	static @Nullable Object convert(@Nullable Object value, Class<?> target, Type genericTarget, String column,
			@Nullable JsonCodec codec) {
		if (value == null) {
			if (target.isPrimitive()) {
				throw new TypeMismatchDataAccessException(
						"Column '" + column + "' is NULL, which the primitive " + target + " cannot hold");
			}
			return null;
		}
		Class<?> boxed = box(target);
		if (boxed.isInstance(value) && !(value instanceof String && isJsonTarget(boxed))) {
			return value;
		}
		if (value instanceof Number number) {
			Object converted = convertNumber(number, boxed);
			if (converted != null) {
				return converted;
			}
		}
		if (value instanceof String text) {
			if (boxed.isEnum()) {
				return enumConstant(boxed, text, column);
			}
			if (codec != null && isJsonTarget(boxed)) {
				return fromJson(codec, text, genericTarget, column);
			}
		}
		if (value instanceof OffsetDateTime dateTime) {
			if (boxed == Instant.class) {
				return dateTime.toInstant();
			}
			if (boxed == ZonedDateTime.class) {
				return dateTime.toZonedDateTime();
			}
		}
		if (value instanceof BigDecimal && boxed == Double.class) {
			throw new TypeMismatchDataAccessException("Column '" + column + "' holds a numeric that a " + target.getName()
					+ " cannot hold exactly: read it as BigDecimal, or cast it to float8 in the query to have the "
					+ "server round it");
		}
		throw new TypeMismatchDataAccessException("Column '" + column + "' holds a " + value.getClass().getName()
				+ ", which cannot be converted to " + genericTarget.getTypeName());
	}

	/**
	 * The JSON text as the target type. A TypeMismatchDataAccessException, as for any other value that
	 * does not fit its target: the same data read again fails the same way.
	 */
	private static @Nullable Object fromJson(JsonCodec codec, String json, Type target, String column) {
		try {
			return codec.fromJson(json, target);
		}
		catch (RuntimeException ex) {
			// Not chained, and only its type named: Jackson's message quotes the value it could not take,
			// and its path names the keys of maps, both of which may be a tenant's data.
			throw new TypeMismatchDataAccessException("Column '" + column + "' holds JSON that cannot be read as "
					+ target.getTypeName() + " (" + ex.getClass().getSimpleName() + "; the value is not shown)");
		}
	}

	/** Types read from JSON text rather than from a column of their own type. */
	private static boolean isJsonTarget(Class<?> type) {
		return Map.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type) || type.isRecord()
				|| (type == Object.class);
	}

	private static @Nullable Object convertNumber(Number number, Class<?> target) {
		boolean integral = number instanceof Integer || number instanceof Long || number instanceof Short;
		if (integral) {
			long value = number.longValue();
			if (target == Long.class) {
				return value;
			}
			if (target == Integer.class && value == (int) value) {
				return (int) value;
			}
			if (target == Short.class && value == (short) value) {
				return (short) value;
			}
			if (target == BigInteger.class) {
				return BigInteger.valueOf(value);
			}
			if (target == BigDecimal.class) {
				return BigDecimal.valueOf(value);
			}
			if (target == Double.class && Math.abs(value) < (1L << 53)) {
				return (double) value;
			}
		}
		if (number instanceof Float f && target == Double.class) {
			return f.doubleValue();
		}
		if (number instanceof BigDecimal decimal) {
			if (target == Double.class) {
				return exactDouble(decimal);
			}
			try {
				if (target == Long.class) {
					return decimal.longValueExact();
				}
				if (target == Integer.class) {
					return decimal.intValueExact();
				}
				if (target == BigInteger.class) {
					return decimal.toBigIntegerExact();
				}
			}
			catch (ArithmeticException ex) {
				return null;
			}
		}
		return null;
	}

	/**
	 * The double that stands for the same number as the decimal: the shortest decimal that reads back
	 * as that double is the decimal itself, scale aside ({@code 0.1}, {@code 2.50}, {@code 1e20}), so
	 * nothing is lost; else null ({@code 1/3}, 17 significant digits).
	 */
	private static @Nullable Double exactDouble(BigDecimal decimal) {
		double value = decimal.doubleValue();
		return (Double.isFinite(value) && BigDecimal.valueOf(value).compareTo(decimal) == 0) ? value : null;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static Object enumConstant(Class<?> type, String name, String column) {
		try {
			return Enum.valueOf((Class) type, name);
		}
		catch (IllegalArgumentException ex) {
			// Not chained: Enum.valueOf's message quotes the value, which may have been a bound secret.
			throw new TypeMismatchDataAccessException(
					"Column '" + column + "' holds a value that is no constant of " + type.getName());
		}
	}

	static Class<?> box(Class<?> type) {
		if (!type.isPrimitive()) {
			return type;
		}
		if (type == int.class) {
			return Integer.class;
		}
		if (type == long.class) {
			return Long.class;
		}
		if (type == boolean.class) {
			return Boolean.class;
		}
		if (type == double.class) {
			return Double.class;
		}
		if (type == float.class) {
			return Float.class;
		}
		if (type == short.class) {
			return Short.class;
		}
		if (type == byte.class) {
			return Byte.class;
		}
		return Character.class;
	}

}
