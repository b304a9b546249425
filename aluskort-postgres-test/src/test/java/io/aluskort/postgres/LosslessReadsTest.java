package io.aluskort.postgres;

import java.math.BigDecimal;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.dao.TypeMismatchDataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Values read as they were stored: a {@code numeric} fills a {@code double} only when the double
 * gives the same number back, and {@code time[]} and {@code timetz[]} keep their fractions and offsets
 * like the scalar types. Each read runs more than five times on a pool of one, so that it also runs as
 * a server-prepared statement, whose results the driver reads in binary where it can.
 */
@PostgresTest
class LosslessReadsTest {

	private static final int RUNS = 7;

	private static PostgresClient client;

	record Measurement(String label, double value) {
	}

	record BoxedMeasurement(String label, Double value) {
	}

	record Shift(String name, List<LocalTime> starts, List<OffsetTime> zoned) {
	}

	@BeforeAll
	static void connect(PostgresDatabase database) {
		client = new PostgresClient(database.clientConfig().minSize(1).maxSize(1).build());
		client.connect();
		client.execute("CREATE TABLE measurements (label text, value numeric)");
		client.execute("INSERT INTO measurements VALUES ('exact', 2.50), ('decimal', 0.1), ('third', 1/3::numeric), "
				+ "('long', 12345678901234567.25), ('large', 1e20), ('missing', NULL)");
	}

	@AfterAll
	static void close() {
		client.close();
	}

	@Test
	void numericFillsADoubleWhenTheDoubleHoldsTheSameNumber() {
		for (int i = 0; i < RUNS; i++) {
			assertThat(client.fetchOne(Measurement.class, "SELECT * FROM measurements WHERE label = $1", "exact"))
				.contains(new Measurement("exact", 2.5));
			assertThat(client.fetchOne(Measurement.class, "SELECT * FROM measurements WHERE label = $1", "decimal"))
				.contains(new Measurement("decimal", 0.1));
			assertThat(client.fetchOne(BoxedMeasurement.class, "SELECT * FROM measurements WHERE label = $1", "large"))
				.contains(new BoxedMeasurement("large", 1e20));
			assertThat(client.fetchOne(BoxedMeasurement.class, "SELECT * FROM measurements WHERE label = $1", "missing"))
				.contains(new BoxedMeasurement("missing", null));
			assertThat(client.fetchValue(Double.class, "SELECT $1::numeric * 2", new BigDecimal("0.75"))).contains(1.5);
		}
	}

	@Test
	void numericThatADoubleCannotHoldIsRefusedNamingTheColumn() {
		for (int i = 0; i < RUNS; i++) {
			for (String label : List.of("third", "long")) {
				assertThatExceptionOfType(TypeMismatchDataAccessException.class)
					.isThrownBy(() -> client.fetchOne(Measurement.class, "SELECT * FROM measurements WHERE label = $1",
							label))
					.withMessageContaining("Column 'value'")
					.withMessageContaining("double")
					.withMessageContaining("BigDecimal")
					.withMessageNotContaining("3333")
					.withMessageNotContaining("1234");
			}
			assertThatExceptionOfType(TypeMismatchDataAccessException.class)
				.isThrownBy(() -> client.fetchValue(Double.class, "SELECT sum(value) AS total FROM measurements"))
				.withMessageContaining("Column 'total'");
		}
		// What the message advises: the server rounds it to a double.
		assertThat(client.fetchValue(Double.class, "SELECT value::float8 FROM measurements WHERE label = 'third'"))
			.contains(1.0 / 3);
	}

	@Test
	void timeArraysKeepTheirFractionsOfASecond() {
		LocalTime precise = LocalTime.of(12, 34, 56, 789_012_000);
		for (int i = 0; i < RUNS; i++) {
			Map<String, Object> row = client
				.fetchOne("SELECT ARRAY[$1::time, NULL, '23:59:59.999999'] AS t, $1::time AS one", "12:34:56.789012")
				.orElseThrow();
			assertThat(row.get("one")).isEqualTo(precise);
			assertThat(row.get("t")).isEqualTo(Arrays.asList(precise, null, LocalTime.of(23, 59, 59, 999_999_000)));
			assertThat(client.fetchValue(List.class, "SELECT '{{00:00:00.5,01:00:00},{02:00:00.25,NULL}}'::time[]"))
				.contains(List.of(List.of(LocalTime.of(0, 0, 0, 500_000_000), LocalTime.of(1, 0)),
						Arrays.asList(LocalTime.of(2, 0, 0, 250_000_000), null)));
		}
	}

	@Test
	void timetzArraysAreOffsetTimesLikeTheScalar() {
		OffsetTime zoned = OffsetTime.of(12, 34, 56, 500_000_000, ZoneOffset.ofHoursMinutes(2, 30));
		for (int i = 0; i < RUNS; i++) {
			Map<String, Object> row = client
				.fetchOne("SELECT $1::timetz AS one, ARRAY[$1::timetz, '01:02:03-08', NULL] AS many",
						"12:34:56.5+02:30")
				.orElseThrow();
			assertThat(row.get("one")).isEqualTo(zoned);
			assertThat(row.get("many"))
				.isEqualTo(Arrays.asList(zoned, OffsetTime.of(1, 2, 3, 0, ZoneOffset.ofHours(-8)), null));
		}
	}

	@Test
	void typedReadsOfTimeArraysKeepEverything() {
		for (int i = 0; i < RUNS; i++) {
			Shift shift = client.fetchOne(Shift.class, "SELECT $1 AS name, ARRAY['08:00:00.125'::time] AS starts, "
					+ "ARRAY['08:00:00.125+01'::timetz] AS zoned", "early")
				.orElseThrow();
			assertThat(shift.starts()).containsExactly(LocalTime.of(8, 0, 0, 125_000_000));
			assertThat(shift.zoned()).containsExactly(OffsetTime.of(8, 0, 0, 125_000_000, ZoneOffset.ofHours(1)));
		}
	}

}
