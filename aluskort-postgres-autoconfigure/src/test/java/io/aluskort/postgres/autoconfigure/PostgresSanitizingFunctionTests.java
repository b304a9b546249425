package io.aluskort.postgres.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.actuate.endpoint.SanitizableData;

import static io.aluskort.postgres.PasswordShapes.assertNoPieceOf;
import static io.aluskort.postgres.PasswordShapes.encoded;
import static io.aluskort.postgres.PasswordShapes.raw;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PostgresSanitizingFunction}.
 */
class PostgresSanitizingFunctionTests {

	private final PostgresSanitizingFunction function = new PostgresSanitizingFunction();

	@Test
	void masksThePasswordInEveryFormOfItsKey() {
		assertThat(apply("aluskort.postgres.password", "pw")).isEqualTo("******");
		assertThat(apply("ALUSKORT_POSTGRES_PASSWORD", "pw")).isEqualTo("******");
		assertThat(apply("aluskort.postgres.Password", "pw")).isEqualTo("******");
		assertThat(apply("aluskort.postgres.driver-properties.sslpassword", "pw")).isEqualTo("******");
	}

	@Test
	void masksOnlyThePasswordInsideTheUrl() {
		assertThat(apply("aluskort.postgres.url", "postgresql://svc:pw@db.internal:5432/alerts?sslmode=require"))
			.isEqualTo("postgresql://svc:******@db.internal:5432/alerts?sslmode=require");
		assertThat(apply("ALUSKORT_POSTGRES_URL", "jdbc:postgresql://db/alerts?user=svc&password=pw&ssl=true"))
			.isEqualTo("jdbc:postgresql://db/alerts?user=svc&password=******&ssl=true");
		assertThat(apply("aluskort.postgres.url", "postgresql://db.internal/alerts"))
			.isEqualTo("postgresql://db.internal/alerts");
	}

	@ParameterizedTest
	@MethodSource("io.aluskort.postgres.PasswordShapes#passwords")
	void masksEveryShapeOfPasswordInsideTheUrl(String password) {
		String masked = "postgresql://svc:******@db.internal:5432/alerts?sslmode=require";
		assertThat(apply("aluskort.postgres.url",
				"postgresql://svc:" + raw(password) + "@db.internal:5432/alerts?sslmode=require"))
			.isEqualTo(masked);
		assertThat(apply("aluskort.postgres.url",
				"postgresql://svc:" + encoded(password) + "@db.internal:5432/alerts?sslmode=require"))
			.isEqualTo(masked);
		Object inTheQuery = apply("aluskort.postgres.url", "jdbc:postgresql://db.internal/alerts?user=svc&password="
				+ encoded(password) + "&sslpassword=" + raw(password).replace("&", "%26"));
		assertThat(inTheQuery).isEqualTo("jdbc:postgresql://db.internal/alerts?user=svc&password=******&sslpassword=******");
		// A url the client cannot read is masked too, if less precisely.
		assertNoPieceOf(password, String.valueOf(apply("aluskort.postgres.url",
				"postgresql://svc:" + raw(password) + "@db.internal:port/alerts")));
	}

	@Test
	void leavesOtherKeysAlone() {
		assertThat(apply("aluskort.postgres.username", "svc")).isEqualTo("svc");
		assertThat(apply("aluskort.postgres.host", "db")).isEqualTo("db");
		assertThat(apply("other.password", "pw")).isEqualTo("pw");
	}

	private Object apply(String key, String value) {
		return this.function.apply(new SanitizableData(null, key, value)).getValue();
	}

}
