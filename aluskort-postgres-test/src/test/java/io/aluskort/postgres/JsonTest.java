package io.aluskort.postgres;

import java.util.List;
import java.util.Map;

import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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

}
