package io.aluskort.postgres;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@PostgresTest
class CopyTest {

	record Alert(long id, String tenantId, OffsetDateTime createdAt, Integer severity, String source) {
	}

	private final PostgresClient db;

	CopyTest(PostgresClient db) {
		this.db = db;
	}

	@BeforeEach
	void schema() {
		this.db.execute("DROP TABLE IF EXISTS alerts");
		this.db.execute("""
				CREATE TABLE alerts (id bigint PRIMARY KEY, tenant_id text, created_at timestamptz, severity int,
				  source text, tags text[], payload jsonb, raw bytea)""");
	}

	@Test
	void aMillionRowsArriveWithMatchingCountAndChecksum() {
		OffsetDateTime base = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
		Stream<Object[]> rows = IntStream.range(0, 1_000_000)
			.mapToObj((i) -> new Object[] { (long) i, "t" + (i % 7), base.plusSeconds(i), i % 10, "src-" + (i % 13) });
		long loaded = this.db.copyIn("alerts", List.of("id", "tenant_id", "created_at", "severity", "source"), rows);
		assertThat(loaded).isEqualTo(1_000_000);
		Map<String, Object> check = this.db.fetchOne("""
				SELECT count(*) AS n, sum(id) AS ids, sum(severity) AS severities,
				       sum(extract(epoch FROM created_at))::bigint AS seconds, count(DISTINCT source) AS sources
				FROM alerts""").orElseThrow();
		long n = 1_000_000L;
		assertThat(check).containsEntry("n", n)
			.containsEntry("ids", new java.math.BigDecimal(n * (n - 1) / 2))
			.containsEntry("severities", 4_500_000L)
			.containsEntry("seconds", base.toEpochSecond() * n + n * (n - 1) / 2)
			.containsEntry("sources", 13L);
	}

	@Test
	void everyAwkwardValueIsEscaped() {
		String awkward = "tab\there\nnewline\rreturn back\\slash \\N not null ünï 🚨 'q' \"d\"";
		List<Object[]> rows = List.of(
				new Object[] { 1L, awkward, null, Arrays.asList("a\tb", null, "c\\d"), Json.raw("{\"k\": \"\\t\"}"),
						new byte[] { 0, 9, 10, 92 } },
				new Object[] { 2L, null, 5, List.of(), null, null });
		assertThat(this.db.copyIn("alerts", List.of("id", "tenant_id", "severity", "tags", "payload", "raw"), rows))
			.isEqualTo(2);
		Map<String, Object> first = this.db.fetchOne("SELECT * FROM alerts WHERE id = 1").orElseThrow();
		assertThat(first).containsEntry("tenant_id", awkward)
			.containsEntry("severity", null)
			.containsEntry("tags", Arrays.asList("a\tb", null, "c\\d"))
			.containsEntry("payload", "{\"k\": \"\\t\"}");
		assertThat(first.get("raw")).isEqualTo(new byte[] { 0, 9, 10, 92 });
		assertThat(this.db.fetchOne("SELECT tenant_id, severity FROM alerts WHERE id = 2").orElseThrow())
			.containsEntry("tenant_id", null)
			.containsEntry("severity", 5);
	}

	@Test
	void recordsFillTheColumnsOfTheirComponents() {
		OffsetDateTime when = OffsetDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneOffset.UTC);
		long loaded = this.db.copyIn("public.alerts", Alert.class,
				List.of(new Alert(1, "t1", when, 3, "edr"), new Alert(2, "t2", when, null, "siem")));
		assertThat(loaded).isEqualTo(2);
		assertThat(this.db.fetchMany(Alert.class, "SELECT id, tenant_id, created_at, severity, source FROM alerts ORDER BY id"))
			.containsExactly(new Alert(1, "t1", when, 3, "edr"), new Alert(2, "t2", when, null, "siem"));
	}

	@Test
	void copyInsideATransactionRollsBackWithIt() {
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.db.transaction((tx) -> {
			tx.copyIn("alerts", List.of("id"), List.<Object[]>of(new Object[] { 1L }, new Object[] { 2L }));
			assertThat(tx.fetchValue(Long.class, "SELECT count(*) FROM alerts")).contains(2L);
			throw new IllegalStateException("undo");
		}));
		assertThat(this.db.fetchValue(Long.class, "SELECT count(*) FROM alerts")).contains(0L);
	}

	@Test
	void badInputIsNamed() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.db.copyIn("alerts; DROP TABLE alerts", List.of("id"), List.<Object[]>of()))
			.withMessageContaining("identifier");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.db.copyIn("alerts", List.of("id", "tenant_id"), List.<Object[]>of(new Object[] { 1L })))
			.withMessage("COPY row 0 has 1 values; expected 2");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.db.copyIn("alerts", List.of("id"), List.<Object[]>of(new Object[] { new Object() })))
			.withMessageContaining("COPY row 0, column 1");
		assertThat(this.db.fetchValue(Long.class, "SELECT count(*) FROM alerts")).contains(0L);
		assertThat(this.db.fetchValue(Integer.class, "SELECT 1")).contains(1);
	}

	@Test
	void queryExportsAsCsvWithHeader() {
		this.db.execute("INSERT INTO alerts (id, tenant_id, severity) VALUES (1, 'a,b', 3), (2, 'quote\"d', NULL)");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		long rows = this.db.copyOut("SELECT id, tenant_id, severity FROM alerts ORDER BY id;", out);
		assertThat(rows).isEqualTo(2);
		assertThat(out.toString(StandardCharsets.UTF_8))
			.isEqualTo("id,tenant_id,severity\n1,\"a,b\",3\n2,\"quote\"\"d\",\n");
		ByteArrayOutputStream commented = new ByteArrayOutputStream();
		assertThat(this.db.copyOut("SELECT id FROM alerts ORDER BY id -- both rows", commented)).isEqualTo(2);
		assertThat(commented.toString(StandardCharsets.UTF_8)).isEqualTo("id\n1\n2\n");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.db.copyOut("SELECT * FROM alerts WHERE id = $1", new ByteArrayOutputStream()))
			.withMessageContaining("cannot bind parameters");
	}

}
