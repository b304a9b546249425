package io.aluskort.postgres;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.BadSqlGrammarException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@PostgresTest
class StreamTest {

	private final PostgresClient db;

	StreamTest(PostgresClient db) {
		this.db = db;
	}

	@Test
	void rowsArriveInOrderAndTheConnectionComesBack(PostgresDatabase database) {
		try (PostgresClient client = new PostgresClient(database.clientConfig().minSize(1).maxSize(1).build())) {
			client.connect();
			try (Stream<Map<String, Object>> rows = client.stream("SELECT g AS n FROM generate_series(1, $1) g", 5000)) {
				assertThat(rows.map((row) -> (Integer) row.get("n")).collect(Collectors.toList()))
					.hasSize(5000)
					.startsWith(1, 2, 3)
					.endsWith(4999, 5000);
			}
			// maxSize 1: the connection was given back, outside any transaction.
			assertThat(client.fetchValue(Boolean.class, "SELECT pg_current_xact_id_if_assigned() IS NULL")).contains(true);
			assertThat(client.poolStats().active()).isZero();
		}
	}

	@Test
	void typedStreamReadsRecords() {
		record Row(int n, String label) {
		}
		try (Stream<Row> rows = this.db.stream(Row.class, "SELECT g AS n, 'r' || g AS label FROM generate_series(1, 3) g")) {
			assertThat(rows).containsExactly(new Row(1, "r1"), new Row(2, "r2"), new Row(3, "r3"));
		}
	}

	@Test
	void theServerKeepsACursorRatherThanSendingEverything() {
		this.db.transaction((tx) -> {
			try (Stream<Map<String, Object>> rows = tx.stream("SELECT g FROM generate_series(1, 100000) g")) {
				assertThat(rows.limit(10).count()).isEqualTo(10);
				// pg_cursors shows this session's open portals: the stream's is named, the query's own is not.
				assertThat(tx.fetchValue(Long.class, "SELECT count(*) FROM pg_cursors WHERE name <> ''")).contains(1L);
			}
			return null;
		});
	}

	@Test
	void streamInsideATransactionUsesItsConnection() {
		this.db.execute("CREATE TABLE streamed (n int)");
		List<Integer> seen = this.db.transaction((tx) -> {
			tx.execute("INSERT INTO streamed SELECT generate_series(1, 3)");
			try (Stream<Integer> rows = tx.stream(Integer.class, "SELECT n FROM streamed ORDER BY n")) {
				return rows.collect(Collectors.toList());
			}
		});
		assertThat(seen).containsExactly(1, 2, 3);
	}

	@Test
	void badSqlFailsAtOpenAndGivesEverythingBack(PostgresDatabase database) {
		try (PostgresClient client = new PostgresClient(database.clientConfig().minSize(1).maxSize(1).build())) {
			client.connect();
			assertThatExceptionOfType(BadSqlGrammarException.class).isThrownBy(() -> client.stream("SELECT * FROM nowhere"));
			assertThat(client.poolStats().active()).isZero();
			assertThat(client.fetchValue(Integer.class, "SELECT 1")).contains(1);
		}
	}

	@Test
	void closingTheClientWaitsForAnOpenStream(PostgresDatabase database) throws Exception {
		PostgresClient client = new PostgresClient(
				database.clientConfig().minSize(1).shutdownTimeout(Duration.ofMillis(500)).build());
		client.connect();
		Stream<Map<String, Object>> open = client.stream("SELECT 1 AS one");
		long start = System.nanoTime();
		client.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
		open.close();
	}

	/**
	 * Streams three million rows (about 300 MB of maps) in a JVM limited to 64 MB of heap: only a
	 * cursor keeps that from running out of memory.
	 */
	@Test
	void millionsOfRowsStreamInConstantHeap(PostgresDatabase database) throws Exception {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		Process process = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
				StreamInSmallHeap.class.getName(), database.jdbcUrl(), database.user(), database.password(),
				database.host(), String.valueOf(database.port()), database.name())
			.redirectErrorStream(true)
			.start();
		String output;
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			output = reader.lines().collect(Collectors.joining("\n"));
		}
		assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		long n = StreamInSmallHeap.ROWS;
		assertThat(output).contains("rows=" + n + " sum=" + (n * (n + 1) / 2));
	}

}
