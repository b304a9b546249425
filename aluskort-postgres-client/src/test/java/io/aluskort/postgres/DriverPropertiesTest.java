package io.aluskort.postgres;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pgjdbc properties a client's connections are opened with.
 */
class DriverPropertiesTest {

	@Test
	void statementTimeoutUnderOneMillisecondIsNotTurnedOff() {
		PostgresClientConfig config = PostgresClientConfig.builder().statementTimeout(Duration.ofNanos(500_000)).build();
		// statement_timeout=0 would mean no timeout at all.
		assertThat(DriverProperties.of(config).getProperty("options")).startsWith("-c statement_timeout=1 ");
	}

	@Test
	void ceilMillisRoundsUpToWholeMillisecondsAndAtLeastOne() {
		assertThat(DriverProperties.ceilMillis(Duration.ofNanos(1))).isEqualTo(1);
		assertThat(DriverProperties.ceilMillis(Duration.ofMillis(1))).isEqualTo(1);
		assertThat(DriverProperties.ceilMillis(Duration.ofMillis(1).plusNanos(1))).isEqualTo(2);
		assertThat(DriverProperties.ceilMillis(Duration.ofSeconds(3).plusNanos(999_999_999))).isEqualTo(4000);
		assertThat(DriverProperties.ceilMillis(Duration.ofSeconds(30))).isEqualTo(30_000);
	}

}
