package io.aluskort.postgres;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Statement texts whose comments, white space and semicolons the client must read as the server and
 * the driver do. Every call runs more than five times on a pool of one, so that pgjdbc's
 * server-prepared statements are in play too.
 */
@PostgresTest
class StatementTextTest {

	private static final int REPEATS = 8;

	private static PostgresClient single;

	private final PostgresClient admin;

	StatementTextTest(PostgresClient admin) {
		this.admin = admin;
	}

	@BeforeAll
	static void connect(PostgresDatabase database, PostgresClient admin) {
		admin.execute("CREATE TYPE mood AS ENUM ('calm', 'tense')");
		admin.execute(
				"CREATE TABLE items (id int PRIMARY KEY, label text, doc jsonb, amount numeric, tags text[], m mood)");
		single = new PostgresClient(database.clientConfig().minSize(1).maxSize(1).build());
		single.connect();
	}

	@AfterAll
	static void close() {
		single.close();
	}

	@BeforeEach
	void rows() {
		this.admin.execute("TRUNCATE items");
		this.admin.execute("INSERT INTO items VALUES (1, 'one', '{\"a\": 1}', 1.50, '{x,y}', 'calm'), "
				+ "(2, 'two', '{\"a\": 2}', 2.50, '{z}', 'tense')");
	}

	@Test
	void lineCommentEndedByABareCarriageReturnLeavesThePlaceholderAfterIt() {
		for (int i = 0; i < REPEATS; i++) {
			assertThat(single.fetchValue(String.class, "SELECT -- note\r$1::text", "value " + i))
				.contains("value " + i);
			assertThat(single.fetchValue(String.class, "SELECT -- note\r$1::text", (Object) null)).isEmpty();
			assertThat(single.fetchValue(Integer.class, "SELECT $1::int -- first\r+ $2::int", i, 2)).contains(i + 2);
			assertThat(single.fetchMany("SELECT label FROM items -- which\rWHERE m = $1::mood", "tense"))
				.containsExactly(Map.of("label", "two"));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "; -- done", "; /* done */", ";;", "; \n", "; -- done\r", ";\n-- one\n/* two */;\n" })
	void theLastStatementThatIsNotEmptyGivesTheTagAndRows(String tail) {
		for (int i = 0; i < REPEATS; i++) {
			assertThat(single.execute("UPDATE items SET label = $1 WHERE id = $2" + tail, "label " + i, 1).tag())
				.isEqualTo("UPDATE 1");
			assertThat(single.execute("UPDATE items SET doc = $1::jsonb, label = $2 WHERE id = 2" + tail,
					"{\"b\": " + i + "}", null).tag())
				.isEqualTo("UPDATE 1");
			List<Map<String, Object>> rows = single.fetchMany(
					"SELECT id, label, doc::text AS doc, amount, tags FROM items WHERE m = $1::mood" + tail, "calm");
			assertThat(rows).hasSize(1);
			assertThat(rows.get(0)).containsEntry("id", 1)
				.containsEntry("label", "label " + i)
				.containsEntry("doc", "{\"a\": 1}")
				.containsEntry("amount", new BigDecimal("1.50"));
			assertThat(rows.get(0).get("tags")).isEqualTo(List.of("x", "y"));
			assertThat(single.fetchValue(String.class, "SELECT doc->>'b' FROM items WHERE id = $1" + tail, 2))
				.contains(String.valueOf(i));
			assertThat(single.fetchOne("SELECT coalesce(label, 'none') AS label FROM items WHERE id = $1" + tail, 2))
				.contains(Map.of("label", "none"));
			try (Stream<Map<String, Object>> stream = single.stream("SELECT id FROM items ORDER BY id" + tail)) {
				assertThat(stream).containsExactly(Map.of("id", 1), Map.of("id", 2));
			}
			assertThat(single.transaction((tx) -> tx.execute("UPDATE items SET amount = amount * 1" + tail)).tag())
				.isEqualTo("UPDATE 2");
			assertThat(single.forTenant("t1").execute("UPDATE items SET label = $1 WHERE id = 1" + tail, "t").tag())
				.isEqualTo("UPDATE 1");
			assertThat(single.forTenant("t1").fetchMany("SELECT id FROM items ORDER BY id" + tail)).hasSize(2);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  ", "-- x", ";", "/* */ ;", "\r\n-- a\r;;" })
	void emptyTextIsRefusedBeforeAnythingIsSent(String sql) {
		int pid = single.fetchValue(Integer.class, "SELECT pg_backend_pid() AS before").orElseThrow();
		assertThatIllegalArgumentException().isThrownBy(() -> single.execute(sql))
			.withMessageStartingWith("SQL statement is empty");
		assertThatIllegalArgumentException().isThrownBy(() -> single.fetchMany(sql))
			.withMessageStartingWith("SQL statement is empty");
		assertThatIllegalArgumentException().isThrownBy(() -> single.forTenant("t1").fetchValue(Integer.class, sql))
			.withMessageStartingWith("SQL statement is empty");
		assertThat(this.admin.fetchValue(String.class, "SELECT query FROM pg_stat_activity WHERE pid = $1", pid))
			.contains("SELECT pg_backend_pid() AS before");
	}

}
