package io.aluskort.postgres;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.postgresql.core.Field;
import org.postgresql.core.TypeInfo;

import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.TypeMismatchDataAccessException;

/**
 * Maps rows to Java types: records (by their canonical constructor), JavaBeans (a no-argument
 * constructor and setters), or, for a single-column query, the column's value itself. Columns match
 * components and properties by name, {@code snake_case} to {@code camelCase} ({@code created_at} fills
 * {@code createdAt}). What a type needs is worked out once per class; which column fills what, once per
 * result.
 */
final class TypedRows {

	private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
		@Override
		protected Shape computeValue(Class<?> type) {
			return Shape.of(type);
		}
	};

	private TypedRows() {
	}

	/** Rows as the given type; a single-value type needs a single-column result. */
	static <T> RowMapping.Factory<T> rows(Class<T> type, @Nullable JsonCodec codec) {
		Shape shape = SHAPES.get(type);
		return (fields, typeInfo) -> shape.mapping(type, fields, typeInfo, codec, false);
	}

	/** The first column of each row as the given type, whatever else the result holds. */
	static <T> RowMapping.Factory<T> firstColumn(Class<T> type, @Nullable JsonCodec codec) {
		return (fields, typeInfo) -> Shape.VALUE.mapping(type, fields, typeInfo, codec, true);
	}

	/** The columns of one result by normalized name, and their readers. */
	private static final class Columns {

		final ColumnReader[] readers;

		final Map<String, Integer> indexByName = new HashMap<>();

		Columns(Field[] fields, TypeInfo typeInfo) throws SQLException {
			this.readers = new ColumnReader[fields.length];
			for (int i = 0; i < fields.length; i++) {
				this.readers[i] = ColumnReader.of(fields[i], typeInfo);
				this.indexByName.putIfAbsent(ColumnNames.normalize(this.readers[i].label), i);
			}
		}

		int require(String name, Class<?> owner) {
			Integer index = this.indexByName.get(ColumnNames.normalize(name));
			if (index == null) {
				throw new InvalidDataAccessApiUsageException(owner.getSimpleName() + "." + name
						+ " has no column in the result (looked for " + ColumnNames.snakeCase(name) + "; columns: "
						+ Arrays.stream(this.readers).map((reader) -> reader.label).collect(Collectors.joining(", "))
						+ ")");
			}
			return index;
		}

		@Nullable Object read(ResultSet resultSet, int index) throws SQLException {
			return this.readers[index].read(resultSet, index + 1);
		}

	}

	/** How a class is filled. */
	private abstract static class Shape {

		static final Shape VALUE = new ValueShape();

		static Shape of(Class<?> type) {
			if (type.isRecord()) {
				return new RecordShape(type);
			}
			if (!isValueType(type)) {
				Constructor<?> constructor = noArgumentConstructor(type);
				if (constructor != null) {
					return new BeanShape(type, constructor);
				}
				throw new IllegalArgumentException(type.getName() + " cannot be mapped from a row: use a "
						+ "record, a class with a public no-argument constructor and setters, or a single-value type");
			}
			return VALUE;
		}

		private static boolean isValueType(Class<?> type) {
			return type.isPrimitive() || type.isEnum() || type.isArray() || type.getName().startsWith("java.lang.")
					|| Number.class.isAssignableFrom(type) || Temporal.class.isAssignableFrom(type)
					|| type == UUID.class || type == java.time.Duration.class || type == Interval.class
					|| InetAddress.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)
					|| Map.class.isAssignableFrom(type);
		}

		private static @Nullable Constructor<?> noArgumentConstructor(Class<?> type) {
			try {
				Constructor<?> constructor = type.getConstructor();
				return Modifier.isAbstract(type.getModifiers()) ? null : constructor;
			}
			catch (NoSuchMethodException ex) {
				return null;
			}
		}

		abstract <T> RowMapping<T> mapping(Class<T> type, Field[] fields, TypeInfo typeInfo,
				@Nullable JsonCodec codec, boolean firstColumnOnly) throws SQLException;

	}

	private static final class ValueShape extends Shape {

		@Override
		<T> RowMapping<T> mapping(Class<T> type, Field[] fields, TypeInfo typeInfo, @Nullable JsonCodec codec,
				boolean firstColumnOnly) throws SQLException {
			if (fields.length == 0 || (fields.length > 1 && !firstColumnOnly)) {
				throw new InvalidDataAccessApiUsageException("A query read as " + type.getSimpleName()
						+ " must return one column; this one returns " + fields.length);
			}
			ColumnReader reader = ColumnReader.of(fields[0], typeInfo);
			return (resultSet) -> uncheckedCast(
					ValueConverter.convert(reader.read(resultSet, 1), type, type, reader.label, codec));
		}

	}

	private static final class RecordShape extends Shape {

		private final RecordComponent[] components;

		private final Constructor<?> constructor;

		RecordShape(Class<?> type) {
			this.components = type.getRecordComponents();
			Class<?>[] parameterTypes = Arrays.stream(this.components).map(RecordComponent::getType).toArray(Class<?>[]::new);
			try {
				this.constructor = type.getDeclaredConstructor(parameterTypes);
				this.constructor.setAccessible(true);
			}
			catch (NoSuchMethodException | RuntimeException ex) {
				throw new IllegalArgumentException("Cannot use the canonical constructor of " + type.getName(), ex);
			}
		}

		@Override
		<T> RowMapping<T> mapping(Class<T> type, Field[] fields, TypeInfo typeInfo, @Nullable JsonCodec codec,
				boolean firstColumnOnly) throws SQLException {
			Columns columns = new Columns(fields, typeInfo);
			int[] indexes = new int[this.components.length];
			for (int i = 0; i < this.components.length; i++) {
				indexes[i] = columns.require(this.components[i].getName(), type);
			}
			return (resultSet) -> {
				@Nullable Object[] arguments = new @Nullable Object[this.components.length];
				for (int i = 0; i < arguments.length; i++) {
					RecordComponent component = this.components[i];
					arguments[i] = ValueConverter.convert(columns.read(resultSet, indexes[i]), component.getType(),
							component.getGenericType(), columns.readers[indexes[i]].label, codec);
				}
				return type.cast(construct(this.constructor, arguments));
			};
		}

	}

	private static final class BeanShape extends Shape {

		private final Constructor<?> constructor;

		/** Setters by normalized property name. */
		private final Map<String, Method> setters = new HashMap<>();

		BeanShape(Class<?> type, Constructor<?> constructor) {
			this.constructor = constructor;
			for (Method method : type.getMethods()) {
				if (method.getName().length() > 3 && method.getName().startsWith("set") && method.getParameterCount() == 1
						&& !Modifier.isStatic(method.getModifiers())) {
					this.setters.putIfAbsent(ColumnNames.normalize(method.getName().substring(3)), method);
				}
			}
		}

		@Override
		<T> RowMapping<T> mapping(Class<T> type, Field[] fields, TypeInfo typeInfo, @Nullable JsonCodec codec,
				boolean firstColumnOnly) throws SQLException {
			Columns columns = new Columns(fields, typeInfo);
			List<Method> targets = new ArrayList<>();
			List<Integer> indexes = new ArrayList<>();
			for (int i = 0; i < columns.readers.length; i++) {
				Method setter = this.setters.get(ColumnNames.normalize(columns.readers[i].label));
				if (setter != null) {
					targets.add(setter);
					indexes.add(i);
				}
			}
			return (resultSet) -> {
				Object bean = construct(this.constructor, new Object[0]);
				for (int i = 0; i < targets.size(); i++) {
					Method setter = targets.get(i);
					int index = indexes.get(i);
					Object value = ValueConverter.convert(columns.read(resultSet, index), setter.getParameterTypes()[0],
							setter.getGenericParameterTypes()[0], columns.readers[index].label, codec);
					invoke(setter, bean, value);
				}
				return type.cast(bean);
			};
		}

	}

	/** The converter checked the value against the (possibly primitive) type, which Class.cast cannot. */
	@SuppressWarnings({ "unchecked", "NullAway" }) // A SQL NULL reads as null for any value type.
	private static <T> T uncheckedCast(@Nullable Object value) {
		return (T) value;
	}

	private static Object construct(Constructor<?> constructor, @Nullable Object[] arguments) {
		try {
			return constructor.newInstance(arguments);
		}
		catch (InvocationTargetException ex) {
			throw new TypeMismatchDataAccessException("Constructing " + constructor.getDeclaringClass().getSimpleName()
					+ " from a row failed: " + ex.getCause(), ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalArgumentException("Cannot construct " + constructor.getDeclaringClass().getName(), ex);
		}
	}

	private static void invoke(Method setter, Object bean, @Nullable Object value) {
		try {
			setter.invoke(bean, value);
		}
		catch (InvocationTargetException ex) {
			throw new TypeMismatchDataAccessException(setter.getName() + " failed: " + ex.getCause(), ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalArgumentException("Cannot call " + setter, ex);
		}
	}

}
