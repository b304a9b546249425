package io.aluskort.postgres.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.BadSqlGrammarException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Hostile and malformed input: SQL-injection payloads passed as values are stored and read back as
 * written and never run; invalid SQL, wrong types, null SQL, huge values and types with no mapping are
 * typed errors; and the one pooled connection stays the same, usable connection throughout.
 */
@PostgresTest
class BadInputTest {

	private static final String SCENARIO = "10. bad input";

	private static final String CORPUS = "/sql-injection-payloads.txt";

	private static final int TEN_MB = 10 * 1024 * 1024;

	private PostgresClient client;

	private int pid;

	@BeforeEach
	void connect(PostgresDatabase database, PostgresClient admin) {
		admin.execute("DROP TABLE IF EXISTS payloads, batch_payloads, copied_payloads, injection_canary, typed");
		admin.execute("CREATE TABLE payloads (id int PRIMARY KEY, body text NOT NULL)");
		admin.execute("CREATE TABLE batch_payloads (id int PRIMARY KEY, body text NOT NULL)");
		admin.execute("CREATE TABLE copied_payloads (id int PRIMARY KEY, body text NOT NULL)");
		admin.execute("CREATE TABLE injection_canary (v text)");
		admin.execute("INSERT INTO injection_canary VALUES ('intact')");
		admin.execute("CREATE TABLE typed (id uuid, code varchar(64), n int)");
		this.client = new PostgresClient(database.clientConfig().minSize(1).maxSize(1).build());
		this.client.connect();
		this.pid = backend();
	}

	@AfterEach
	void healthyAndClosed() {
		assertThat(backend()).as("the same connection served every call").isEqualTo(this.pid);
		assertThat(this.client.healthCheck()).isTrue();
		assertThat(this.client.poolStats().active()).isZero();
		this.client.close();
	}

	static List<String> corpus() throws IOException {
		try (InputStream in = BadInputTest.class.getResourceAsStream(CORPUS)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
				.filter((line) -> !line.isEmpty())
				.collect(Collectors.toList());
		}
	}

	@Test
	void injectionPayloadsAreStoredVerbatimAndNeverRun(PostgresClient admin) throws IOException {
		List<String> payloads = corpus();
		assertThat(payloads).hasSizeGreaterThanOrEqualTo(200).doesNotHaveDuplicates();
		long relations = admin.fetchValue(Long.class, "SELECT count(*) FROM pg_class").orElseThrow();
		long roles = admin.fetchValue(Long.class, "SELECT count(*) FROM pg_roles").orElseThrow();
		long start = System.nanoTime();
		List<Object[]> rows = new ArrayList<>();
		for (int id = 0; id < payloads.size(); id++) {
			String payload = payloads.get(id);
			assertThat(this.client.execute("INSERT INTO payloads VALUES ($1, $2)", id, payload).tag())
				.isEqualTo("INSERT 0 1");
			assertThat(this.client.fetchValue(String.class, "SELECT body FROM payloads WHERE id = $1", id))
				.contains(payload);
			assertThat(this.client.fetchMany(Integer.class, "SELECT id FROM payloads WHERE body = $1", payload))
				.containsExactly(id);
			assertThat(this.client.fetchValue(String.class, "SELECT $1::text || ''", payload)).contains(payload);
			rows.add(new Object[] { id, payload });
		}
		assertThat(this.client.executeBatch("INSERT INTO batch_payloads VALUES ($1, $2)", rows)).containsOnly(1L);
		assertThat(this.client.copyIn("copied_payloads", List.of("id", "body"), rows)).isEqualTo(payloads.size());
		for (String table : List.of("payloads", "batch_payloads", "copied_payloads")) {
			try (Stream<String> stored = this.client.stream(String.class, "SELECT body FROM " + table + " ORDER BY id")) {
				assertThat(stored).as(table).containsExactlyElementsOf(payloads);
			}
		}
		Duration took = Figures.since(start);
		// Nothing ran: the canary is intact, no relation or role appeared, and no pg_sleep(10) was waited for.
		assertThat(admin.fetchMany(String.class, "SELECT v FROM injection_canary")).containsExactly("intact");
		assertThat(admin.fetchValue(Long.class, "SELECT count(*) FROM pg_class")).contains(relations);
		assertThat(admin.fetchValue(Long.class, "SELECT count(*) FROM pg_roles")).contains(roles);
		assertThat(took).isLessThan(Duration.ofSeconds(10));
		Figures.record(SCENARIO, "injection payloads stored and read back verbatim, none run", payloads.size());
	}

	@Test
	void malformedCallsAreTypedErrors() {
		assertThatExceptionOfType(BadSqlGrammarException.class).isThrownBy(() -> this.client.execute("SELEC 1"));
		assertThatExceptionOfType(BadSqlGrammarException.class)
			.isThrownBy(() -> this.client.execute("INSERT INTO typed (id) VALUES ($1)", 42));
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.client.fetchValue(Integer.class, "SELECT $1::int", "not-a-number-7731"))
			.withMessageNotContaining("not-a-number-7731")
			.satisfies((ex) -> assertThat(ex.getMostSpecificCause().getMessage()).doesNotContain("not-a-number-7731"));
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.client.execute("INSERT INTO typed (id) VALUES ($1::uuid)", "not-a-uuid-7731"))
			.withMessageNotContaining("not-a-uuid-7731");
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.client.execute("INSERT INTO typed (code) VALUES ($1)", "zero\0byte"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.execute(null))
			.withMessageContaining("sql must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.fetchMany(null));
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.transaction((tx) -> tx.fetchOne(null)));
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.execute("SELECT $1, $2", 1))
			.withMessageContaining("expects 2 arguments");
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.execute("SELECT $1", new Object()))
			.withMessageContaining("java.lang.Object");
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.execute("SELECT $1", Thread.currentThread()))
			.withMessageContaining("Thread");
		Figures.record(SCENARIO, "malformed calls: typed errors; connections lost", "0");
	}

	@Test
	void tenMegabyteValuesRoundTripOrFailTyped() {
		String huge = "x".repeat(TEN_MB - 1) + "\u00e9";
		assertThat(this.client.fetchValue(Integer.class, "SELECT length($1::text)", huge)).contains(TEN_MB);
		assertThat(this.client.fetchValue(String.class, "SELECT $1::text", huge)).contains(huge);
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.client.execute("INSERT INTO typed (code) VALUES ($1)", huge))
			.satisfies((ex) -> assertThat(ex.getMessage().length()).isLessThan(2000));
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.client.execute("INSERT INTO typed (n) VALUES ($1::int)", huge))
			.satisfies((ex) -> assertThat(ex.getMessage().length()).isLessThan(2000));
		Figures.record(SCENARIO, "10 MB text", "round trip verbatim; too long for its column: typed error, short message");
	}

	private int backend() {
		return this.client.fetchValue(Integer.class, "SELECT pg_backend_pid()").orElseThrow();
	}

}
