package io.aluskort.postgres;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link JsonCodec} backed by a Jackson 3 {@link ObjectMapper}. Spring Boot's auto-configuration
 * hands the application's own mapper to the client, so JSON columns follow the application's Jackson
 * settings.
 */
public final class JacksonJsonCodec implements JsonCodec {

	private final ObjectMapper mapper;

	private JacksonJsonCodec(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	/** A codec using the given mapper. */
	public static JacksonJsonCodec of(ObjectMapper mapper) {
		return new JacksonJsonCodec(mapper);
	}

	static JacksonJsonCodec withDefaultMapper() {
		return new JacksonJsonCodec(JsonMapper.builder().build());
	}

	@Override
	public String toJson(Object value) {
		return this.mapper.writeValueAsString(value);
	}

	@Override
	public @Nullable Object fromJson(String json, Type type) {
		return this.mapper.readValue(json, this.mapper.constructType(type));
	}

	/** Codecs of the same mapper are equal: a mapper has no equality of its own. */
	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof JacksonJsonCodec that && this.mapper == that.mapper);
	}

	@Override
	public int hashCode() {
		return System.identityHashCode(this.mapper);
	}

}
