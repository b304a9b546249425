package io.aluskort.postgres;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;

/**
 * Turns Java values into JSON text and back, for {@code json} and {@code jsonb}. With Jackson 3 on the
 * class path a client uses {@link JacksonJsonCodec} by default; without it, JSON columns read and bind
 * as {@code String} only. Give a client a codec of your own with
 * {@link PostgresClientConfig.Builder#jsonCodec(JsonCodec)}.
 */
public interface JsonCodec {

	/** The JSON text of the value. */
	String toJson(Object value);

	/** The value the JSON text stands for, as the given type (a class or a parameterized type). */
	@Nullable Object fromJson(String json, Type type);

	/**
	 * Jackson's default mapper when Jackson 3 ({@code tools.jackson.databind}) is on the class path,
	 * else null.
	 */
	static @Nullable JsonCodec detect() {
		try {
			Class.forName("tools.jackson.databind.json.JsonMapper", false, JsonCodec.class.getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return null;
		}
		return JacksonJsonCodec.withDefaultMapper();
	}

}
