package io.aluskort.postgres;

import java.lang.reflect.Type;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PostgresClientConfig#equals} and {@link PostgresClientConfig#hashCode} take every value the
 * client behaves by into account, the JSON codec and the tenant policy included.
 */
class PostgresClientConfigEqualityTest {

	private static final JsonCodec OTHER_CODEC = new JsonCodec() {

		@Override
		public String toJson(Object value) {
			return "{}";
		}

		@Override
		public Object fromJson(String json, Type type) {
			return json;
		}

	};

	@Test
	void configsWithTheSameValuesAreEqual() {
		JsonMapper mapper = JsonMapper.builder().build();
		PostgresClientConfig one = PostgresClientConfig.builder()
			.host("db")
			.jsonCodec(JacksonJsonCodec.of(mapper))
			.tenantPolicy(policy("alerts"))
			.build();
		// Built again from the same settings, as an auto-configuration does for every context.
		PostgresClientConfig two = PostgresClientConfig.builder()
			.host("db")
			.jsonCodec(JacksonJsonCodec.of(mapper))
			.tenantPolicy(policy("alerts"))
			.build();
		assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
		assertThat(one.toBuilder().build()).isEqualTo(one).hasSameHashCodeAs(one);
	}

	@Test
	void aDifferentJsonCodecMakesADifferentConfig() {
		PostgresClientConfig jackson = PostgresClientConfig.builder()
			.jsonCodec(JacksonJsonCodec.of(JsonMapper.builder().build()))
			.build();
		assertThat(jackson).isNotEqualTo(jackson.toBuilder().jsonCodec(OTHER_CODEC).build());
		assertThat(jackson).isNotEqualTo(PostgresClientConfig.builder().build());
		assertThat(jackson.toBuilder().jsonCodec(OTHER_CODEC).build().hashCode())
			.isNotEqualTo(PostgresClientConfig.builder().build().hashCode());
	}

	@Test
	void aDifferentTenantPolicyMakesADifferentConfig() {
		PostgresClientConfig alerts = PostgresClientConfig.builder().tenantPolicy(policy("alerts")).build();
		assertThat(alerts).isNotEqualTo(PostgresClientConfig.builder().tenantPolicy(policy("events")).build());
		assertThat(alerts).isNotEqualTo(PostgresClientConfig.builder().build());
		assertThat(alerts.hashCode()).isNotEqualTo(PostgresClientConfig.builder().build().hashCode());
		assertThat(policy("alerts")).isNotEqualTo(TenantPolicy.builder().tables(List.of("alerts")).idPattern("[a-z]+").build());
		assertThat(policy("alerts")).isNotEqualTo(TenantPolicy.builder().tables(List.of("alerts")).maxIdLength(8).build());
		assertThat(policy("alerts")).isNotEqualTo(TenantPolicy.builder().tables(List.of("alerts")).required(true).build());
		assertThat(TenantPolicy.builder().setting("app.tenant").build()).isNotEqualTo(TenantPolicy.DEFAULT);
	}

	private static TenantPolicy policy(String table) {
		return TenantPolicy.builder().tables(List.of(table)).build();
	}

}
