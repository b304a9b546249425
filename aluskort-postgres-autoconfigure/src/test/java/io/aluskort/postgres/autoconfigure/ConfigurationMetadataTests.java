package io.aluskort.postgres.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.aluskort.postgres.PostgresClientConfig;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata that IDEs read: every key of {@code aluskort.postgres.*} is there, with
 * a description and the default the code uses, and so is {@code management.health.postgres.enabled}.
 */
class ConfigurationMetadataTests {

	@Test
	void everyPropertyIsDescribed() throws IOException {
		DocumentContext metadata = JsonPath.parse(read("META-INF/spring-configuration-metadata.json"));
		List<Map<String, Object>> properties = metadata.read("$.properties[*]");
		List<String> names = new ArrayList<>();
		for (Map<String, Object> property : properties) {
			names.add((String) property.get("name"));
			assertThat((String) property.get("description")).as("description of %s", property.get("name")).isNotBlank();
		}
		assertThat(names).contains("aluskort.postgres.enabled", "aluskort.postgres.url", "aluskort.postgres.host",
				"aluskort.postgres.port", "aluskort.postgres.database", "aluskort.postgres.username",
				"aluskort.postgres.password", "aluskort.postgres.pool.min-size", "aluskort.postgres.pool.max-size",
				"aluskort.postgres.pool.acquire-timeout", "aluskort.postgres.pool.max-lifetime",
				"aluskort.postgres.pool.idle-timeout", "aluskort.postgres.statement-timeout",
				"aluskort.postgres.connect-timeout", "aluskort.postgres.shutdown-timeout",
				"aluskort.postgres.health.timeout", "aluskort.postgres.ssl-mode", "aluskort.postgres.application-name",
				"aluskort.postgres.expose-data-source", "aluskort.postgres.driver-properties",
				"management.health.postgres.enabled");
		assertThat(defaultOf(properties, "aluskort.postgres.pool.min-size")).isEqualTo(5);
		assertThat(defaultOf(properties, "aluskort.postgres.pool.max-size")).isEqualTo(20);
		assertThat(defaultOf(properties, "aluskort.postgres.statement-timeout")).isEqualTo("30s");
		assertThat(defaultOf(properties, "aluskort.postgres.health.timeout")).isEqualTo("2s");
		assertThat(defaultOf(properties, "aluskort.postgres.host")).isEqualTo("localhost");
		assertThat(defaultOf(properties, "aluskort.postgres.port")).isEqualTo(5432);
	}

	@Test
	void everyDefaultIsTheOneTheCodeUses() throws IOException {
		List<Map<String, Object>> properties = JsonPath.parse(read("META-INF/spring-configuration-metadata.json"))
			.read("$.properties[?(@.name =~ /aluskort\\.postgres\\..*/)]");
		Map<String, String> defaults = new LinkedHashMap<>();
		List<String> withoutDefault = new ArrayList<>();
		for (Map<String, Object> property : properties) {
			String name = (String) property.get("name");
			if (property.containsKey("defaultValue")) {
				defaults.put(name, String.valueOf(property.get("defaultValue")));
			}
			else {
				withoutDefault.add(name.substring("aluskort.postgres.".length()));
			}
		}
		AluskortPostgresProperties fromMetadata = new Binder(new MapConfigurationPropertySource(defaults))
			.bindOrCreate("aluskort.postgres", AluskortPostgresProperties.class);
		AluskortPostgresProperties fromCode = new AluskortPostgresProperties();
		assertThat(fromMetadata).usingRecursiveComparison()
			.ignoringFields("host", "port", "database", "username", "password")
			.isEqualTo(fromCode);
		// Unset here so that they never override a url: the client's defaults apply.
		PostgresClientConfig client = PostgresClientConfig.builder().build();
		assertThat(fromMetadata.getHost()).isEqualTo(client.host());
		assertThat(fromMetadata.getPort()).isEqualTo(client.port());
		assertThat(fromMetadata.getDatabase()).isEqualTo(client.database());
		assertThat(fromMetadata.getUsername()).isEqualTo(client.user());
		assertThat(fromMetadata.getPassword()).isEqualTo(client.password());
		BeanWrapper code = new BeanWrapperImpl(fromCode);
		for (String name : withoutDefault) {
			Object value = code.getPropertyValue(camelCase(name));
			assertThat(value).as("default of %s, which the metadata lacks", name)
				.satisfiesAnyOf((none) -> assertThat(none).isNull(),
						(none) -> assertThat(none).asInstanceOf(InstanceOfAssertFactories.COLLECTION).isEmpty(),
						(none) -> assertThat(none).asInstanceOf(InstanceOfAssertFactories.MAP).isEmpty());
		}
	}

	@Test
	void autoConfigurationsAreRegistered() throws IOException {
		String imports;
		try (InputStream in = new ClassPathResource(
				"META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")
			.getInputStream()) {
			imports = new String(in.readAllBytes());
		}
		assertThat(imports.lines()).contains(AluskortPostgresAutoConfiguration.class.getName(),
				"io.aluskort.postgres.autoconfigure.health.PostgresHealthContributorAutoConfiguration",
				"io.aluskort.postgres.autoconfigure.metrics.PostgresClientMetricsAutoConfiguration");
		assertThat(new ClassPathResource("META-INF/spring-autoconfigure-metadata.properties").exists()).isTrue();
	}

	private static Object defaultOf(List<Map<String, Object>> properties, String name) {
		return properties.stream()
			.filter((property) -> name.equals(property.get("name")))
			.findFirst()
			.orElseThrow()
			.get("defaultValue");
	}

	private static String camelCase(String propertyName) {
		StringBuilder name = new StringBuilder();
		boolean upper = false;
		for (char c : propertyName.toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				name.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return name.toString();
	}

	private static String read(String path) throws IOException {
		try (InputStream in = new ClassPathResource(path).getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
