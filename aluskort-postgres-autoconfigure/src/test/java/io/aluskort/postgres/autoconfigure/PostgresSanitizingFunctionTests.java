package io.aluskort.postgres.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SanitizableData;

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
