package io.aluskort.postgres;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The configuration behind the reliability guarantees: the socket timeout backstop, leak detection
 * and session resets, and the driver properties they become.
 */
class ReliabilityConfigTest {

	@Test
	void socketTimeoutDefaultsToTheStatementTimeoutPlusAMargin() {
		assertThat(PostgresClientConfig.builder().build().socketTimeout()).isEqualTo(Duration.ofSeconds(35));
		PostgresClientConfig config = PostgresClientConfig.builder().statementTimeout(Duration.ofMillis(300)).build();
		assertThat(config.socketTimeout()).isEqualTo(Duration.ofMillis(5300));
		Properties driver = DriverProperties.of(config);
		assertThat(driver.getProperty("socketTimeout")).isEqualTo("6");
		// The default follows a statement timeout changed later on a copied builder.
		assertThat(config.toBuilder().statementTimeout(Duration.ofMinutes(2)).build().socketTimeout())
			.isEqualTo(Duration.ofSeconds(125));
	}

	@Test
	void socketTimeoutCanBeSetTurnedOffOrTakenFromTheDsn() {
		assertThat(PostgresClientConfig.builder().socketTimeout(Duration.ofMinutes(1)).build().socketTimeout())
			.isEqualTo(Duration.ofMinutes(1));
		PostgresClientConfig off = PostgresClientConfig.builder().socketTimeout(Duration.ZERO).build();
		assertThat(DriverProperties.of(off).getProperty("socketTimeout")).isEqualTo("0");
		PostgresClientConfig fromDsn = PostgresClientConfig.builder()
			.dsn("jdbc:postgresql://db:5432/app?socketTimeout=90")
			.build();
		assertThat(fromDsn.socketTimeout()).isEqualTo(Duration.ofSeconds(90));
		assertThat(fromDsn.toBuilder().build().socketTimeout()).isEqualTo(Duration.ofSeconds(90));
		assertThat(PostgresClientConfig.builder()
			.driverProperty("socketTimeout", "40")
			.socketTimeout(Duration.ofSeconds(50))
			.build()
			.socketTimeout()).isEqualTo(Duration.ofSeconds(50));
	}

	@Test
	void socketTimeoutMustOutlastTheStatementTimeout() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PostgresClientConfig.builder().socketTimeout(Duration.ofSeconds(30)).build())
			.withMessage("socketTimeout (PT30S) must be longer than statementTimeout (PT30S), or zero for none");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PostgresClientConfig.builder().driverProperty("socketTimeout", "soon").build())
			.withMessageStartingWith("socketTimeout (soon)");
	}

	@Test
	void leakDetectionIsOffByDefaultAndWithinHikariCpsLimits() {
		assertThat(PostgresClientConfig.builder().build().leakDetectionThreshold()).isZero();
		assertThat(PostgresClientConfig.builder().leakDetectionThreshold(Duration.ofSeconds(2)).build()
			.leakDetectionThreshold()).isEqualTo(Duration.ofSeconds(2));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PostgresClientConfig.builder().leakDetectionThreshold(Duration.ofSeconds(1)).build())
			.withMessageStartingWith("leakDetectionThreshold (PT1S) must be zero (off), or at least PT2S");
		assertThatIllegalArgumentException().isThrownBy(() -> PostgresClientConfig.builder()
			.leakDetectionThreshold(Duration.ofMinutes(30))
			.maxLifetime(Duration.ofMinutes(30))
			.build()).withMessageContaining("shorter than maxLifetime");
	}

	@Test
	void sessionResetDefaultsToChangedConnectionsAndSurvivesToBuilder() {
		assertThat(PostgresClientConfig.builder().build().sessionReset()).isEqualTo(SessionReset.WHEN_CHANGED);
		PostgresClientConfig always = PostgresClientConfig.builder().sessionReset(SessionReset.ALWAYS).build();
		assertThat(always.toBuilder().build()).isEqualTo(always);
		assertThat(always).isNotEqualTo(PostgresClientConfig.builder().build());
	}

	@Test
	void serverErrorDetailsStayOffWhateverTheDriverPropertiesSay() {
		PostgresClientConfig config = PostgresClientConfig.builder().driverProperty("logServerErrorDetail", "true").build();
		assertThat(DriverProperties.of(config).getProperty("logServerErrorDetail")).isEqualTo("false");
	}

}
