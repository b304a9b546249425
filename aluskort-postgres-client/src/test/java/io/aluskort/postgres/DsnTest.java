package io.aluskort.postgres;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.aluskort.postgres.PasswordShapes.assertNoPieceOf;
import static io.aluskort.postgres.PasswordShapes.encoded;
import static io.aluskort.postgres.PasswordShapes.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * How a dsn's password is read, in every shape a user pastes it: each ASCII punctuation character and
 * space, raw and percent-encoded, in the user info and in the query; and that no error quotes it.
 */
class DsnTest {

	@ParameterizedTest
	@MethodSource("io.aluskort.postgres.PasswordShapes#passwords")
	void passwordWrittenRawInTheUserInfo(String password) {
		assertReadsBack("postgresql://svc:" + raw(password) + "@db.internal:6543/alerts?sslmode=require", password);
		assertReadsBack("postgres://svc:" + raw(password) + "@db.internal:6543/alerts?sslmode=require", password);
	}

	@ParameterizedTest
	@MethodSource("io.aluskort.postgres.PasswordShapes#passwords")
	void passwordPercentEncodedInTheUserInfo(String password) {
		assertReadsBack("postgresql://svc:" + encoded(password) + "@db.internal:6543/alerts?sslmode=require", password);
	}

	@ParameterizedTest
	@MethodSource("io.aluskort.postgres.PasswordShapes#passwords")
	void passwordInTheQuery(String password) {
		assertReadsBack("postgresql://svc@db.internal:6543/alerts?sslmode=require&password=" + encoded(password),
				password);
		assertReadsBack("jdbc:postgresql://db.internal:6543/alerts?sslmode=require&user=svc&password="
				+ encoded(password), password);
		if (password.indexOf('&') < 0) {
			// Raw in a query value: everything but '&', which separates parameters, and '%'.
			assertReadsBack("postgresql://svc@db.internal:6543/alerts?sslmode=require&password=" + raw(password),
					password);
			assertReadsBack("jdbc:postgresql://db.internal:6543/alerts?sslmode=require&user=svc&password="
					+ raw(password), password);
		}
	}

	@Test
	void anAtInTheQueryDoesNotEndTheUserInfo() {
		PostgresClientConfig config = PostgresClientConfig.builder()
			.dsn("postgresql://svc:pw@db.internal/alerts?application_name=ops@night")
			.build();
		assertThat(config.password()).isEqualTo("pw");
		assertThat(config.host()).isEqualTo("db.internal");
		assertThat(config.driverProperties()).containsEntry("ApplicationName", "ops@night");
		PostgresClientConfig noUserInfo = PostgresClientConfig.builder()
			.dsn("postgresql://db.internal:6543/alerts?application_name=ops@night")
			.build();
		assertThat(noUserInfo.user()).isEqualTo(PostgresClientConfig.DEFAULT_USER);
		assertThat(noUserInfo.host()).isEqualTo("db.internal");
		assertThat(noUserInfo.port()).isEqualTo(6543);
		assertThat(noUserInfo.driverProperties()).containsEntry("ApplicationName", "ops@night");
	}

	@Test
	void rawAtAndSlashTogether() {
		assertReadsBack("postgresql://svc:p@ss/w0rd@db.internal:6543/alerts?sslmode=require", "p@ss/w0rd");
		assertReadsBack("postgresql://svc:a/b@c?d@db.internal:6543/alerts?sslmode=require", "a/b@c?d");
	}

	@Test
	void userWithARawAt() {
		PostgresClientConfig config = PostgresClientConfig.builder()
			.dsn("postgresql://svc@corp:pw@db.internal/alerts")
			.build();
		assertThat(config.user()).isEqualTo("svc@corp");
		assertThat(config.password()).isEqualTo("pw");
		assertThat(config.host()).isEqualTo("db.internal");
	}

	@Test
	void percentEscapesAreDecodedAsLibpqDecodesThem() {
		assertReadsBack("postgresql://svc:a%41+b@db.internal:6543/alerts?sslmode=require", "aA+b");
		assertThat(PostgresClientConfig.builder().dsn("postgresql://db.internal/my%40db").build().database())
			.isEqualTo("my@db");
	}

	@Test
	void aPasswordThatReadsTwoWaysIsRefusedWithoutQuotingIt() {
		// '@' in the password, then '?' and a parameter no driver knows: host "b1x" with a query, or the
		// whole of it the password. Neither reading is safe to guess.
		String password = "a@b1x?qq=dd";
		assertRefusedWithoutQuoting("postgresql://svc:" + password + "@db.internal:6543/alerts", password)
			.hasMessageContaining("more than one way")
			.hasMessageContaining("%40");
	}

	@Test
	void malformedDsnsAreRefusedWithoutQuotingThem() {
		String password = "Pw%zz/s3cr3t";
		assertRefusedWithoutQuoting("postgresql://svc:" + password + "@db.internal/alerts", password)
			.hasMessageContaining("percent-escape")
			.hasMessageContaining("%25");
		assertRefusedWithoutQuoting("postgresql://svc:Pw%00s3cr3t@db.internal/alerts", "s3cr3t")
			.hasMessageContaining("%00");
		assertRefusedWithoutQuoting("postgresql://svc:a/s3cr3t@db.internal:port/alerts", "a/s3cr3t")
			.hasMessageContaining("port is not a number");
		assertRefusedWithoutQuoting("postgresql://db.internal/my@db", "my@db").hasMessageContaining("%40");
		assertRefusedWithoutQuoting("postgresql://svc:s3cr3t@db.internal/alerts?password=x&y",
				"s3cr3t").hasMessageContaining("'='");
		assertRefusedWithoutQuoting("postgresql://svc:s3cr3t@[::1/alerts", "s3cr3t").hasMessageContaining("IPv6");
		assertRefusedWithoutQuoting("postgresql://svc:s3cr3t@db one/alerts", "s3cr3t")
			.hasMessageContaining("host name");
		assertRefusedWithoutQuoting("postgresql://svc:s3cr3t@db.internal/alerts?ssl mode=require", "s3cr3t")
			.hasMessageContaining("parameter name");
	}

	@ParameterizedTest
	@MethodSource("io.aluskort.postgres.PasswordShapes#passwords")
	void maskedDsnKeepsEverythingButThePasswords(String password) {
		assertThat(PostgresClientConfig.maskPasswords("postgresql://svc:" + raw(password)
				+ "@db.internal:6543/alerts?sslmode=require&application_name=ops@night&sslpassword=" + encoded(password)))
			.isEqualTo("postgresql://svc:******@db.internal:6543/alerts?sslmode=require&application_name=ops@night"
					+ "&sslpassword=******");
		assertThat(PostgresClientConfig.maskPasswords("postgres://svc:" + encoded(password) + "@db.internal/alerts"))
			.isEqualTo("postgres://svc:******@db.internal/alerts");
		assertThat(PostgresClientConfig.maskPasswords(
				"jdbc:postgresql://db.internal/alerts?user=svc&Password=" + encoded(password) + "&ssl=true"))
			.isEqualTo("jdbc:postgresql://db.internal/alerts?user=svc&Password=******&ssl=true");
	}

	@Test
	void maskedDsnThatCannotBeRead() {
		String password = raw(PasswordShapes.EVERY);
		assertThat(PostgresClientConfig.maskPasswords("postgresql://svc:" + password + "@db.internal:port/alerts"))
			.isEqualTo("postgresql://svc:******@db.internal:port/alerts");
		assertThat(PostgresClientConfig.maskPasswords("mysql://svc:" + password + "@db.internal/alerts"))
			.isEqualTo("mysql://svc:******@db.internal/alerts");
		assertThat(PostgresClientConfig.maskPasswords("jdbc:postgresql://db.internal:port/alerts?password=" + password))
			.isEqualTo("jdbc:postgresql://db.internal:port/alerts?password=******");
		assertThat(PostgresClientConfig.maskPasswords("postgresql://svc:a@b1x?qq=dd@db.internal/alerts"))
			.isEqualTo("postgresql://svc:******@db.internal/alerts");
		assertThat(PostgresClientConfig.maskPasswords("postgresql://db.internal/my@db"))
			.isEqualTo("postgresql://db.internal/my@db");
	}

	private static void assertReadsBack(String dsn, String password) {
		PostgresClientConfig config = PostgresClientConfig.builder().dsn(dsn).build();
		assertThat(config.password()).as(dsn).isEqualTo(password);
		assertThat(config.user()).as(dsn).isEqualTo("svc");
		assertThat(config.host()).as(dsn).isEqualTo("db.internal");
		assertThat(config.port()).as(dsn).isEqualTo(6543);
		assertThat(config.database()).as(dsn).isEqualTo("alerts");
		assertThat(config.sslMode()).as(dsn).isEqualTo(SslMode.REQUIRE);
		assertThat(config.driverProperties()).as(dsn).isEmpty();
	}

	private static AbstractThrowableAssert<?, ? extends Throwable> assertRefusedWithoutQuoting(
			String dsn, String secret) {
		IllegalArgumentException failure = catchThrowableOfType(IllegalArgumentException.class,
				() -> PostgresClientConfig.builder().dsn(dsn).build());
		assertThat(failure).as(dsn).isNotNull();
		assertNoPieceOf(secret, failure.getMessage());
		assertThat(failure.getMessage()).doesNotContain("db.internal");
		return assertThat(failure);
	}

}
