package io.aluskort.postgres.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code aluskort.postgres.tenant.*} keys are in the metadata IDEs read, described, with their
 * defaults.
 */
class TenantPropertiesMetadataTests {

	@Test
	void tenantPropertiesAreDescribedWithTheirDefaults() throws IOException {
		String json;
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		List<Map<String, Object>> tenant = JsonPath.parse(json)
			.read("$.properties[?(@.name =~ /aluskort\\.postgres\\.tenant\\..*/)]");
		assertThat(tenant).extracting((property) -> property.get("name"))
			.containsExactlyInAnyOrder("aluskort.postgres.tenant.setting", "aluskort.postgres.tenant.id-pattern",
					"aluskort.postgres.tenant.max-id-length", "aluskort.postgres.tenant.required",
					"aluskort.postgres.tenant.tables", "aluskort.postgres.tenant.verify-role");
		assertThat(tenant).allSatisfy((property) -> assertThat((String) property.get("description")).isNotBlank());
		assertThat(tenant).filteredOn((property) -> "aluskort.postgres.tenant.setting".equals(property.get("name")))
			.extracting((property) -> property.get("defaultValue"))
			.containsExactly("aluskort.tenant_id");
		assertThat(tenant).filteredOn((property) -> "aluskort.postgres.tenant.max-id-length".equals(property.get("name")))
			.extracting((property) -> property.get("defaultValue"))
			.containsExactly(64);
		assertThat(tenant).filteredOn((property) -> "aluskort.postgres.tenant.verify-role".equals(property.get("name")))
			.extracting((property) -> property.get("defaultValue"))
			.containsExactly(false);
	}

}
