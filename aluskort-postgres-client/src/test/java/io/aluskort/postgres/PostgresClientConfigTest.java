package io.aluskort.postgres;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PostgresClientConfigTest {

	@Test
	void defaults() {
		PostgresClientConfig config = PostgresClientConfig.builder().build();
		assertThat(config.host()).isEqualTo("localhost");
		assertThat(config.port()).isEqualTo(5432);
		assertThat(config.database()).isEqualTo("aluskort");
		assertThat(config.user()).isEqualTo("aluskort");
		assertThat(config.password()).isEmpty();
		assertThat(config.minSize()).isEqualTo(5);
		assertThat(config.maxSize()).isEqualTo(20);
		assertThat(config.statementTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(config.healthTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(config.dsn()).isNull();
		assertThat(config.sslMode()).isNull();
	}

	@Test
	void libpqUriIsParsedAndDecoded() {
		PostgresClientConfig config = PostgresClientConfig.builder()
			.dsn("postgresql://svc%40corp:p%3As%2Fw%25rd+x@db.internal:6543/incidents?sslmode=require&application_name=orch")
			.build();
		assertThat(config.host()).isEqualTo("db.internal");
		assertThat(config.port()).isEqualTo(6543);
		assertThat(config.database()).isEqualTo("incidents");
		assertThat(config.user()).isEqualTo("svc@corp");
		assertThat(config.password()).isEqualTo("p:s/w%rd+x");
		assertThat(config.sslMode()).isEqualTo(SslMode.REQUIRE);
		assertThat(config.driverProperties()).containsEntry("ApplicationName", "orch");
	}

	@Test
	void postgresSchemeAndUtf8EscapesAreAccepted() {
		PostgresClientConfig config = PostgresClientConfig.builder()
			.dsn("postgres://u:%C3%A9t%C3%A9@[::1]/d")
			.build();
		assertThat(config.password()).isEqualTo("été");
		assertThat(config.host()).isEqualTo("::1");
		assertThat(config.port()).isEqualTo(5432);
		assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/d");
	}

	@Test
	void jdbcUrlIsAccepted() {
		PostgresClientConfig config = PostgresClientConfig.builder()
			.dsn("jdbc:postgresql://h:5433/db?user=u&password=pw&sslmode=verify-full&sslrootcert=/ca.pem")
			.build();
		assertThat(config.host()).isEqualTo("h");
		assertThat(config.port()).isEqualTo(5433);
		assertThat(config.user()).isEqualTo("u");
		assertThat(config.password()).isEqualTo("pw");
		assertThat(config.sslMode()).isEqualTo(SslMode.VERIFY_FULL);
		assertThat(config.driverProperties()).containsEntry("sslrootcert", "/ca.pem");
	}

	@Test
	void explicitValuesWinOverTheDsnButDefaultsDoNot() {
		PostgresClientConfig config = PostgresClientConfig.builder()
			.dsn("postgresql://dsnuser:dsnpw@dsnhost:7000/dsndb")
			.password("explicit")
			.database("explicitdb")
			.build();
		assertThat(config.password()).isEqualTo("explicit");
		assertThat(config.database()).isEqualTo("explicitdb");
		assertThat(config.user()).isEqualTo("dsnuser");
		assertThat(config.host()).isEqualTo("dsnhost");
		assertThat(config.port()).isEqualTo(7000);
	}

	@Test
	void invalidValuesAreNamedAtBuild() {
		assertThatIllegalArgumentException().isThrownBy(() -> PostgresClientConfig.builder().minSize(21).build())
			.withMessage("minSize (21) must not be greater than maxSize (20)");
		assertThatIllegalArgumentException().isThrownBy(() -> PostgresClientConfig.builder().port(70000).build())
			.withMessage("port (70000) must be between 1 and 65535");
		assertThatIllegalArgumentException().isThrownBy(() -> PostgresClientConfig.builder().port(0).build())
			.withMessageContaining("port (0)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PostgresClientConfig.builder().statementTimeout(Duration.ZERO).build())
			.withMessage("statementTimeout (PT0S) must be positive");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PostgresClientConfig.builder().statementTimeout(Duration.ofSeconds(-1)).build())
			.withMessageContaining("statementTimeout");
		assertThatIllegalArgumentException().isThrownBy(() -> PostgresClientConfig.builder().maxSize(0).build())
			.withMessageContaining("maxSize (0)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PostgresClientConfig.builder().acquireTimeout(Duration.ofMillis(10)).build())
			.withMessageContaining("acquireTimeout");
	}

	@Test
	void everyInvalidValueNamesItsSetting() {
		assertSetting("minSize", PostgresClientConfig.builder().minSize(21));
		assertSetting("minSize", PostgresClientConfig.builder().minSize(-1));
		assertSetting("maxSize", PostgresClientConfig.builder().maxSize(0));
		assertSetting("port", PostgresClientConfig.builder().port(0));
		assertSetting("host", PostgresClientConfig.builder().host(" "));
		assertSetting("database", PostgresClientConfig.builder().database(""));
		assertSetting("user", PostgresClientConfig.builder().user(" "));
		assertSetting("statementTimeout", PostgresClientConfig.builder().statementTimeout(Duration.ZERO));
		assertSetting("acquireTimeout", PostgresClientConfig.builder().acquireTimeout(Duration.ofMillis(10)));
		assertSetting("connectTimeout", PostgresClientConfig.builder().connectTimeout(Duration.ZERO));
		assertSetting("healthTimeout", PostgresClientConfig.builder().healthTimeout(Duration.ZERO));
		assertSetting("shutdownTimeout", PostgresClientConfig.builder().shutdownTimeout(Duration.ofSeconds(-1)));
		assertSetting("maxLifetime", PostgresClientConfig.builder().maxLifetime(Duration.ofSeconds(1)));
		assertSetting("idleTimeout", PostgresClientConfig.builder().idleTimeout(Duration.ofSeconds(1)));
		assertSetting("socketTimeout", PostgresClientConfig.builder().socketTimeout(Duration.ofSeconds(1)));
		assertSetting("socketTimeout", PostgresClientConfig.builder().driverProperty("socketTimeout", "soon"));
		assertSetting("leakDetectionThreshold",
				PostgresClientConfig.builder().leakDetectionThreshold(Duration.ofSeconds(1)));
		assertSetting("dsn", PostgresClientConfig.builder().dsn("mysql://u:secret@h/db"));
		assertSetting("dsn", PostgresClientConfig.builder().dsn("postgresql://h/db?sslmode=sometimes"));
		assertSetting("dsn", PostgresClientConfig.builder().dsn("postgresql://h:0/db"));
		assertSetting("port", PostgresClientConfig.builder().dsn("postgresql://h:5432/db").port(0));
	}

	private static void assertSetting(String setting, PostgresClientConfig.Builder builder) {
		assertThatExceptionOfType(InvalidConfigurationException.class).isThrownBy(builder::build)
			.satisfies((ex) -> assertThat(ex.setting()).isEqualTo(setting))
			.withMessageNotContaining("secret");
	}

	@Test
	void malformedDsnIsRejectedWithoutEchoingIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PostgresClientConfig.builder().dsn("mysql://u:secret@h/db").build())
			.withMessageContaining("postgresql://")
			.withMessageNotContaining("secret");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PostgresClientConfig.builder().dsn("postgresql://u:secret@h:port/db").build())
			.withMessageContaining("port");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PostgresClientConfig.builder().dsn("postgresql://h/db?sslmode=sometimes").build())
			.withMessageContaining("sometimes");
	}

	@Test
	void toStringNeverShowsThePassword() {
		PostgresClientConfig config = PostgresClientConfig.builder()
			.dsn("postgresql://u:hunter2@h/db")
			.build();
		assertThat(config.toString()).doesNotContain("hunter2").contains("u@h:5432/db");
	}

	@Test
	void toBuilderKeepsEveryValue() {
		PostgresClientConfig config = PostgresClientConfig.builder()
			.dsn("postgresql://u:pw@h:1234/db?sslmode=disable&foo=bar")
			.minSize(1)
			.maxSize(3)
			.build();
		PostgresClientConfig copy = config.toBuilder().build();
		assertThat(copy.dsn()).isNull();
		assertThat(copy).usingRecursiveComparison().ignoringFields("dsn").isEqualTo(config);
	}

}
