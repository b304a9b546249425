package io.aluskort.postgres;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataRetrievalFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Every type of the README's table: written as a parameter, read back, equal. */
@PostgresTest
class TypesTest {

	enum Mood {

		CALM, ALERT

	}

	private final PostgresClient db;

	TypesTest(PostgresClient db) {
		this.db = db;
	}

	private static final AtomicInteger tables = new AtomicInteger();

	/**
	 * A table of its own for each round trip: a server-side prepared statement keeps the parameter types
	 * it was first planned with, so one statement text must not meet a column whose type changed.
	 */
	private Object roundTrip(String type, Object value) {
		String table = "round_trip_" + tables.incrementAndGet();
		this.db.execute("CREATE TABLE " + table + " (v " + type + ")");
		this.db.execute("INSERT INTO " + table + " VALUES ($1)", value);
		return this.db.fetchOne("SELECT v FROM " + table).orElseThrow().get("v");
	}

	@Test
	void scalarsRoundTrip() throws Exception {
		assertThat(roundTrip("smallint", (short) -7)).isEqualTo((short) -7);
		assertThat(roundTrip("integer", Integer.MIN_VALUE)).isEqualTo(Integer.MIN_VALUE);
		assertThat(roundTrip("bigint", Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
		assertThat(roundTrip("numeric", new BigDecimal("-12345678901234567890.123456789")))
			.isEqualTo(new BigDecimal("-12345678901234567890.123456789"));
		assertThat(roundTrip("double precision", 1.0e-300)).isEqualTo(1.0e-300);
		assertThat(roundTrip("double precision", Double.NaN)).isEqualTo(Double.NaN);
		assertThat(roundTrip("real", 3.25f)).isEqualTo(3.25f);
		assertThat(roundTrip("boolean", false)).isEqualTo(false);
		assertThat(roundTrip("text", "tab\tnew\nline \\ 'quote' \"dq\" ünïcödé 🚨")).isEqualTo("tab\tnew\nline \\ 'quote' \"dq\" ünïcödé 🚨");
		UUID id = UUID.randomUUID();
		assertThat(roundTrip("uuid", id)).isEqualTo(id);
		OffsetDateTime when = OffsetDateTime.of(2024, 2, 29, 23, 59, 59, 999999000, ZoneOffset.UTC);
		assertThat(roundTrip("timestamptz", when)).isEqualTo(when);
		assertThat(roundTrip("date", LocalDate.of(1999, 12, 31))).isEqualTo(LocalDate.of(1999, 12, 31));
		assertThat(roundTrip("bytea", new byte[] { 0, -1, 127 })).isEqualTo(new byte[] { 0, -1, 127 });
		assertThat(roundTrip("inet", InetAddress.getByName("10.1.2.3"))).isEqualTo(InetAddress.getByName("10.1.2.3"));
		assertThat(roundTrip("inet", InetAddress.getByName("2001:db8::1"))).isEqualTo(InetAddress.getByName("2001:db8::1"));
		assertThat(roundTrip("cidr", "10.0.0.0/8")).isEqualTo(InetAddress.getByName("10.0.0.0"));
	}

	@Test
	void intervalsAreDurationsWhenExactAndIntervalsWithMonths() {
		assertThat(roundTrip("interval", Duration.ofHours(26).plusMillis(1500)))
			.isEqualTo(Duration.ofHours(26).plusMillis(1500));
		assertThat(roundTrip("interval", Duration.ofSeconds(-90))).isEqualTo(Duration.ofSeconds(-90));
		assertThat(roundTrip("interval", new Interval(14, 3, 1_500_000))).isEqualTo(new Interval(14, 3, 1_500_000));
		assertThat(roundTrip("interval", Interval.of(1, 0, 0))).isEqualTo(new Interval(12, 0, 0));
		assertThat(this.db.fetchOne("SELECT '1 day 2 hours'::interval AS d").orElseThrow())
			.containsEntry("d", Duration.ofHours(26));
	}

	@Test
	void enumsGoByName() {
		this.db.execute("CREATE TYPE mood AS ENUM ('CALM', 'ALERT')");
		assertThat(roundTrip("mood", Mood.ALERT)).isEqualTo("ALERT");
		assertThat(this.db.fetchValue(Mood.class, "SELECT 'ALERT'::mood")).contains(Mood.ALERT);
		assertThat(roundTrip("mood[]", List.of(Mood.CALM, Mood.ALERT))).isEqualTo(List.of("CALM", "ALERT"));
	}

	@Test
	void arraysOfEveryScalarRoundTripWithNulls() throws Exception {
		OffsetDateTime when = OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 0, ZoneOffset.UTC);
		UUID id = UUID.randomUUID();
		assertThat(roundTrip("timestamptz[]", Arrays.asList(when, null))).isEqualTo(Arrays.asList(when, null));
		assertThat(roundTrip("uuid[]", Arrays.asList(null, id))).isEqualTo(Arrays.asList(null, id));
		assertThat(roundTrip("text[]", Arrays.asList("a", null, "NULL", "", "x,y", "{z}")))
			.isEqualTo(Arrays.asList("a", null, "NULL", "", "x,y", "{z}"));
		assertThat(roundTrip("bigint[]", new long[] { 1, -2 })).isEqualTo(List.of(1L, -2L));
		assertThat(roundTrip("smallint[]", new short[] { 3 })).isEqualTo(List.of((short) 3));
		assertThat(roundTrip("numeric[]", List.of(new BigDecimal("1.5")))).isEqualTo(List.of(new BigDecimal("1.5")));
		assertThat(roundTrip("boolean[]", new boolean[] { true, false })).isEqualTo(List.of(true, false));
		assertThat(roundTrip("date[]", List.of(LocalDate.of(2020, 1, 1)))).isEqualTo(List.of(LocalDate.of(2020, 1, 1)));
		assertThat(roundTrip("interval[]", List.of(Duration.ofMinutes(5)))).isEqualTo(List.of(Duration.ofMinutes(5)));
		assertThat(roundTrip("inet[]", List.of(InetAddress.getByName("::1"))))
			.isEqualTo(List.of(InetAddress.getByName("::1")));
		assertThat(roundTrip("integer[][]", List.of(List.of(1, 2), List.of(3, 4))))
			.isEqualTo(List.of(List.of(1, 2), List.of(3, 4)));
		assertThat(roundTrip("bytea[]", List.of(new byte[] { 1 }))).satisfies((value) -> {
			assertThat((List<?>) value).hasSize(1);
			assertThat(((List<?>) value).get(0)).isEqualTo(new byte[] { 1 });
		});
	}

	@Test
	void numericNanAndInfinityAreRejectedClearly() {
		assertThatExceptionOfType(DataRetrievalFailureException.class)
			.isThrownBy(() -> this.db.fetchOne("SELECT 'NaN'::numeric AS amount"))
			.withMessageContaining("'amount'")
			.withMessageContaining("float8");
		assertThatExceptionOfType(DataRetrievalFailureException.class)
			.isThrownBy(() -> this.db.fetchOne("SELECT 'Infinity'::numeric AS amount"));
		assertThat(this.db.fetchOne("SELECT 'NaN'::numeric::float8 AS amount").orElseThrow())
			.containsEntry("amount", Double.NaN);
	}

	@Test
	void unsupportedParameterTypeNamesTypeAndNumber() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.db.execute("SELECT $1, $2", 1, new StringBuilder("x")))
			.withMessageContaining("Parameter $2 has type java.lang.StringBuilder");
	}

	@Test
	void mapsReadJsonAsText() {
		Map<String, Object> row = this.db.fetchOne("SELECT '[1,2]'::json AS j, ARRAY['{\"a\":1}'::jsonb] AS ja").orElseThrow();
		assertThat(row).containsEntry("j", "[1,2]").containsEntry("ja", List.of("{\"a\": 1}"));
	}

}
