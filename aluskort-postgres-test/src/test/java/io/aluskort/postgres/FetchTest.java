package io.aluskort.postgres;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.Test;

import org.springframework.dao.InvalidDataAccessApiUsageException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

@PostgresTest
class FetchTest {

	private final PostgresClient db;

	FetchTest(PostgresClient db) {
		this.db = db;
	}

	@Test
	void fetchOneReturnsTheFirstRowInColumnOrder() {
		Optional<Map<String, Object>> row = this.db.fetchOne("SELECT 3 AS c, 'x' AS a, true AS b");
		assertThat(row).isPresent();
		assertThat(row.get().keySet()).containsExactly("c", "a", "b");
		assertThat(row.get()).containsExactly(entry("c", 3), entry("a", "x"), entry("b", true));
	}

	@Test
	void fetchOneIsEmptyWithoutRows() {
		assertThat(this.db.fetchOne("SELECT 1 WHERE $1", false)).isEmpty();
	}

	@Test
	void fetchOneAsksTheServerForOneRowOnly() {
		this.db.execute("CREATE SEQUENCE fetched");
		Optional<Map<String, Object>> row = this.db.fetchOne("SELECT nextval('fetched') AS n FROM generate_series(1, 1000)");
		assertThat(row).contains(Map.of("n", 1L));
		// Each row the server produced advanced the sequence: it produced one.
		assertThat(this.db.fetchOne("SELECT last_value FROM fetched").orElseThrow()).containsEntry("last_value", 1L);
	}

	@Test
	void fetchManyReturnsEveryRow() {
		List<Map<String, Object>> rows = this.db.fetchMany("SELECT g AS n, g * $1 AS twice FROM generate_series(1, 3) g", 2);
		assertThat(rows).containsExactly(Map.of("n", 1, "twice", 2), Map.of("n", 2, "twice", 4),
				Map.of("n", 3, "twice", 6));
		assertThat(this.db.fetchMany("SELECT 1 WHERE false")).isEmpty();
	}

	@Test
	void valuesHaveTheJavaTypesAJavaDeveloperExpects() {
		Map<String, Object> row = this.db.fetchOne("""
				SELECT 1::smallint AS small, 2::int AS int, 3::bigint AS big, 1.50::numeric AS num,
				       2.5::float8 AS dbl, 1.25::float4 AS flt, true AS bool, 'txt'::text AS txt, 'vc'::varchar AS vc,
				       '2024-01-02 03:04:05.123456+00'::timestamptz AS tstz, '2024-01-02 03:04:05'::timestamp AS ts,
				       '2024-01-02'::date AS d, '03:04:05'::time AS t,
				       'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS id, '\\x0102ff'::bytea AS bytes,
				       ARRAY[1, 2, NULL]::int[] AS ints, ARRAY['a', NULL, 'c']::text[] AS texts,
				       ARRAY['2024-01-02 03:04:05+00']::timestamptz[] AS stamps, '{"k": [1, 2]}'::jsonb AS doc,
				       NULL::text AS nothing""").orElseThrow();
		assertThat(row.get("small")).isEqualTo((short) 1);
		assertThat(row.get("int")).isEqualTo(2);
		assertThat(row.get("big")).isEqualTo(3L);
		assertThat(row.get("num")).isEqualTo(new BigDecimal("1.50"));
		assertThat(row.get("dbl")).isEqualTo(2.5d);
		assertThat(row.get("flt")).isEqualTo(1.25f);
		assertThat(row.get("bool")).isEqualTo(true);
		assertThat(row.get("txt")).isEqualTo("txt");
		assertThat(row.get("vc")).isEqualTo("vc");
		assertThat(row.get("tstz")).isEqualTo(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 123456000, ZoneOffset.UTC));
		assertThat(row.get("ts")).isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5));
		assertThat(row.get("d")).isEqualTo(LocalDate.of(2024, 1, 2));
		assertThat(row.get("t")).isEqualTo(LocalTime.of(3, 4, 5));
		assertThat(row.get("id")).isEqualTo(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
		assertThat(row.get("bytes")).isEqualTo(new byte[] { 1, 2, (byte) 0xff });
		assertThat(row.get("ints")).isEqualTo(Arrays.asList(1, 2, null));
		assertThat(row.get("texts")).isEqualTo(Arrays.asList("a", null, "c"));
		assertThat(row.get("stamps"))
			.isEqualTo(List.of(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC)));
		assertThat(row.get("doc")).isEqualTo("{\"k\": [1, 2]}");
		assertThat(row).containsEntry("nothing", null);
	}

	@Test
	void parametersOfEverySupportedTypeRoundTrip() {
		this.db.execute("""
				CREATE TABLE everything (small smallint, i int, big bigint, num numeric, dbl float8, flag boolean,
				  txt text, tstz timestamptz, ts timestamp, d date, t time, id uuid, bytes bytea, ints int[],
				  texts text[], stamps timestamptz[], doc jsonb)""");
		OffsetDateTime when = OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 123456000, ZoneOffset.UTC);
		UUID id = UUID.randomUUID();
		this.db.execute("INSERT INTO everything VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
				+ "$15, $16, $17)", (short) 7, 8, 9L, new BigDecimal("10.25"), 11.5d, true, "it's \"quoted\" \\ $1",
				when, LocalDateTime.of(2024, 5, 6, 7, 8, 9), LocalDate.of(2024, 5, 6), LocalTime.of(7, 8, 9), id,
				new byte[] { 0, 1, 2 }, new int[] { 1, 2 }, Arrays.asList("a,b", null, "{c}", "\"d\""),
				List.of(when.toInstant()), "{\"k\": 1}");
		Map<String, Object> row = this.db.fetchOne("SELECT * FROM everything").orElseThrow();
		assertThat(row).containsEntry("small", (short) 7)
			.containsEntry("i", 8)
			.containsEntry("big", 9L)
			.containsEntry("num", new BigDecimal("10.25"))
			.containsEntry("dbl", 11.5d)
			.containsEntry("flag", true)
			.containsEntry("txt", "it's \"quoted\" \\ $1")
			.containsEntry("tstz", when)
			.containsEntry("ts", LocalDateTime.of(2024, 5, 6, 7, 8, 9))
			.containsEntry("d", LocalDate.of(2024, 5, 6))
			.containsEntry("t", LocalTime.of(7, 8, 9))
			.containsEntry("id", id)
			.containsEntry("ints", List.of(1, 2))
			.containsEntry("texts", Arrays.asList("a,b", null, "{c}", "\"d\""))
			.containsEntry("stamps", List.of(when))
			.containsEntry("doc", "{\"k\": 1}");
		assertThat(row.get("bytes")).isEqualTo(new byte[] { 0, 1, 2 });
	}

	@Test
	void instantAndOffsetParametersMeanTheSameMoment() {
		Instant instant = Instant.parse("2024-01-02T03:04:05Z");
		OffsetDateTime elsewhere = instant.atOffset(ZoneOffset.ofHours(-7));
		assertThat(this.db.fetchOne("SELECT $1::timestamptz = $2::timestamptz AS same", instant, elsewhere).orElseThrow())
			.containsEntry("same", true);
	}

	@Test
	void listAndArrayParametersWorkWithAny() {
		this.db.execute("CREATE TABLE tenants_seen (tenant_id text)");
		this.db.execute("INSERT INTO tenants_seen VALUES ('a'), ('b'), ('c')");
		assertThat(this.db.fetchMany("SELECT tenant_id FROM tenants_seen WHERE tenant_id = ANY($1) ORDER BY 1",
				List.of("a", "c")))
			.containsExactly(Map.of("tenant_id", "a"), Map.of("tenant_id", "c"));
		assertThat(this.db.fetchMany("SELECT tenant_id FROM tenants_seen WHERE tenant_id = ANY($1)",
				(Object) new String[] { "b" }))
			.containsExactly(Map.of("tenant_id", "b"));
	}

	@Test
	void duplicateColumnNamesAreAnErrorNamingTheColumn() {
		assertThatExceptionOfType(InvalidDataAccessApiUsageException.class)
			.isThrownBy(() -> this.db.fetchMany("SELECT 1 AS id, 2 AS id"))
			.withMessageContaining("'id'");
	}

}
