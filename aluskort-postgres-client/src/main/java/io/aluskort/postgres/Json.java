package io.aluskort.postgres;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A parameter to bind as {@code jsonb}: either a value for the client's {@link JsonCodec} to write, or
 * JSON text as it is. Maps and records bind as JSON by themselves when a codec is there; wrap a
 * {@code List} (which otherwise binds as an array) or a {@code String} (which otherwise binds as text)
 * to send it as JSON.
 *
 * <pre>{@code
 * db.execute("INSERT INTO alerts(payload) VALUES ($1)", Json.of(List.of("a", "b")));
 * db.execute("INSERT INTO alerts(payload) VALUES ($1)", Json.raw("{\"k\": 1}"));
 * }</pre>
 */
public final class Json {

	private final @Nullable Object value;

	private final @Nullable String text;

	private Json(@Nullable Object value, @Nullable String text) {
		this.value = value;
		this.text = text;
	}

	/** The value, to be written by the client's {@link JsonCodec}. */
	public static Json of(Object value) {
		return new Json(Objects.requireNonNull(value, "value"), null);
	}

	/** JSON text, sent as it is; the server checks it. */
	public static Json raw(String json) {
		return new Json(null, Objects.requireNonNull(json, "json"));
	}

	String text(@Nullable JsonCodec codec, int number) {
		if (this.text != null) {
			return this.text;
		}
		if (codec == null) {
			throw new IllegalArgumentException("Parameter $" + number
					+ " is Json.of(...) but the client has no JsonCodec: add Jackson 3 to the class path or configure one");
		}
		return ParameterBinder.toJson(codec, Objects.requireNonNull(this.value), number);
	}

	@Override
	public String toString() {
		// Parameters are never shown: this may be a tenant's data.
		return "Json[...]";
	}

}
