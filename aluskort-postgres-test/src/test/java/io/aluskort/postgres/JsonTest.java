package io.aluskort.postgres;

import java.util.List;
import java.util.Map;

import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.dao.TypeMismatchDataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/** With Jackson 3 on the class path (it is, in this module's tests), JSON binds and reads as objects. */
@PostgresTest
class JsonTest {

	record Payload(String source, int score, List<String> indicators) {
	}

	record Stored(long id, Payload payload, Map<String, Object> extra) {
	}

	private final PostgresClient db;

	JsonTest(PostgresClient db) {
		this.db = db;
	}

	@BeforeAll
	static void schema(PostgresClient db) {
		db.execute("CREATE TABLE documents (id bigint PRIMARY KEY, payload jsonb, extra json)");
	}

	@Test
	void recordsAndMapsBindAsJsonbAndTypedReadsDecodeThem() {
		Payload payload = new Payload("edr", 7, List.of("ioc-1", "ioc-2"));
		this.db.execute("INSERT INTO documents VALUES ($1, $2, $3)", 1L, payload, Map.of("k", "v"));
		assertThat(this.db.fetchValue(String.class, "SELECT payload->>'source' FROM documents WHERE id = 1")).contains("edr");
		Stored stored = this.db.fetchOne(Stored.class, "SELECT * FROM documents WHERE id = $1", 1L).orElseThrow();
		assertThat(stored.payload()).isEqualTo(payload);
		assertThat(stored.extra()).isEqualTo(Map.of("k", "v"));
		assertThat(this.db.fetchValue(Payload.class, "SELECT payload FROM documents WHERE id = 1")).contains(payload);
	}

	@Test
	void jsonWrapperSendsListsAndTextAsJson() {
		this.db.execute("INSERT INTO documents VALUES ($1, $2, $3)", 2L, Json.of(List.of("a", "b")), Json.raw("{\"n\": 1}"));
		assertThat(this.db.fetchOne("SELECT jsonb_typeof(payload) AS t, extra::text AS e FROM documents WHERE id = 2")
			.orElseThrow()).containsEntry("t", "array").containsEntry("e", "{\"n\": 1}");
	}

	@Test
	void arraysOfJsonWork() {
		List<Map<String, Object>> rows = this.db.fetchMany("SELECT $1::jsonb[] AS docs",
				List.of(Json.raw("{\"a\": 1}"), Json.raw("[2]")));
		assertThat(rows.get(0)).containsEntry("docs", List.of("{\"a\": 1}", "[2]"));
	}

	@Test
	void mapsInResultMapsStayText() {
		this.db.execute("INSERT INTO documents VALUES (3, '{\"x\": true}', NULL)");
		assertThat(this.db.fetchOne("SELECT payload FROM documents WHERE id = 3").orElseThrow())
			.containsEntry("payload", "{\"x\": true}");
	}

	@Test
	void jsonThatDoesNotFitTheTargetTypeIsATypedErrorWithoutTheStoredValue() {
		String secret = "4111 1111 1111 1111";
		String json = "{\"source\": \"edr\", \"score\": \"" + secret + "\", \"indicators\": []}";
		// Jackson's own message quotes the value it could not take: it must not be the message, nor the cause.
		assertThat(catchThrowable(() -> JacksonJsonCodec.withDefaultMapper().fromJson(json, Payload.class)))
			.hasMessageContaining(secret);
		this.db.execute("INSERT INTO documents VALUES ($1, $2, NULL)", 4L, Json.raw(json));
		for (int i = 0; i < 7; i++) {
			assertThatExceptionOfType(TypeMismatchDataAccessException.class)
				.isThrownBy(() -> this.db.fetchOne(Stored.class, "SELECT * FROM documents WHERE id = $1", 4L))
				.withMessageContaining("'payload'")
				.withMessageContaining(Payload.class.getName())
				.satisfies((ex) -> assertNoValueInChain(ex, secret));
		}
		assertThatExceptionOfType(TypeMismatchDataAccessException.class)
			.isThrownBy(() -> this.db.fetchValue(Payload.class, "SELECT payload FROM documents WHERE id = 4"))
			.withMessageContaining("'payload'")
			.satisfies((ex) -> assertNoValueInChain(ex, secret));
		// Text that is no JSON at all, read into a Map: the parser's message would quote it too.
		assertThatExceptionOfType(TypeMismatchDataAccessException.class)
			.isThrownBy(() -> this.db.fetchValue(Map.class, "SELECT $1::text AS notes", secret))
			.withMessageContaining("'notes'")
			.withMessageContaining("java.util.Map")
			.satisfies((ex) -> assertNoValueInChain(ex, secret));
	}

	private static void assertNoValueInChain(Throwable ex, String value) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			assertThat(String.valueOf(t.getMessage())).doesNotContain(value).doesNotContain("4111");
			assertThat(t.toString()).doesNotContain("4111");
		}
	}

}
