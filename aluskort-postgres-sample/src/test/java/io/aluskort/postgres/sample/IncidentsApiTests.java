package io.aluskort.postgres.sample;

import java.util.List;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.test.http.Http;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.InvalidDataAccessApiUsageException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The incidents API end to end, over HTTP, on the embedded PostgreSQL.
 */
class IncidentsApiTests extends IncidentsServiceTest {

	@Autowired
	private PostgresClient db;

	@Test
	void createGetAndList() {
		Http.Response created = http().post("/tenants/acme/incidents",
				"{\"title\":\"Disk full on db-1\",\"severity\":4,\"openedBy\":\"alice\"}");
		assertThat(created.status()).isEqualTo(201);
		int id = created.read("$.id");
		assertThat(created.location()).isEqualTo("/tenants/acme/incidents/" + id);
		assertThat(created.<String>read("$.status")).isEqualTo("open");
		assertThat(created.<String>read("$.openedAt")).isNotBlank();

		Http.Response fetched = http().get("/tenants/acme/incidents/" + id);
		assertThat(fetched.status()).isEqualTo(200);
		assertThat(fetched.<String>read("$.title")).isEqualTo("Disk full on db-1");
		assertThat(fetched.<Integer>read("$.severity")).isEqualTo(4);

		Http.Response listed = http().get("/tenants/acme/incidents");
		assertThat(listed.status()).isEqualTo(200);
		assertThat(listed.<List<Integer>>read("$[*].id")).contains(id);
	}

	@Test
	void tenantsDoNotSeeEachOthersIncidents() {
		int id = open("tenant-a", "Only for a");
		assertThat(http().get("/tenants/tenant-b/incidents/" + id).status()).isEqualTo(404);
		assertThat(http().get("/tenants/tenant-b/incidents").<List<Object>>read("$")).isEmpty();
		assertThat(http().post("/tenants/tenant-b/incidents/" + id + "/close", "{\"closedBy\":\"mallory\"}").status())
			.isEqualTo(404);
		assertThat(http().get("/tenants/tenant-a/incidents/" + id).<String>read("$.status")).isEqualTo("open");
	}

	@Test
	void closeWritesTheAuditRowInTheSameTransaction() {
		int id = open("globex", "Queue backlog");
		Http.Response closed = http().post("/tenants/globex/incidents/" + id + "/close",
				"{\"closedBy\":\"bob\",\"resolution\":\"Scaled consumers\"}");
		assertThat(closed.status()).isEqualTo(200);
		assertThat(closed.<String>read("$.status")).isEqualTo("closed");
		assertThat(closed.<String>read("$.closedAt")).isNotBlank();
		assertThat(closed.<String>read("$.resolution")).isEqualTo("Scaled consumers");
		Http.Response audit = http().get("/tenants/globex/incidents/" + id + "/audit");
		assertThat(audit.<List<String>>read("$[*].action")).containsExactly("opened", "closed");
		assertThat(audit.<List<String>>read("$[*].actor")).containsExactly("api", "bob");
		assertThat(http().get("/tenants/globex/incidents?status=open").<List<Integer>>read("$[*].id"))
			.doesNotContain(id);
		assertThat(http().get("/tenants/globex/incidents?status=closed").<List<Integer>>read("$[*].id")).contains(id);
	}

	@Test
	void closingTwiceIsAConflictAndUnknownIsNotFound() {
		int id = open("initech", "Printer on fire");
		assertThat(http().post("/tenants/initech/incidents/" + id + "/close", "{\"closedBy\":\"bob\"}").status())
			.isEqualTo(200);
		assertThat(http().post("/tenants/initech/incidents/" + id + "/close", "{\"closedBy\":\"bob\"}").status())
			.isEqualTo(409);
		assertThat(http().post("/tenants/initech/incidents/999999/close", "{\"closedBy\":\"bob\"}").status())
			.isEqualTo(404);
		assertThat(http().get("/tenants/initech/incidents/999999").status()).isEqualTo(404);
	}

	@Test
	void whenTheAuditRowIsRefusedTheIncidentStaysOpen() {
		int id = open("umbrella", "Strange readings");
		// The audit table refuses a blank actor: the close is rolled back with it.
		Http.Response refused = http().post("/tenants/umbrella/incidents/" + id + "/close", "{\"closedBy\":\"  \"}");
		assertThat(refused.status()).isEqualTo(400);
		assertThat(http().get("/tenants/umbrella/incidents/" + id).<String>read("$.status")).isEqualTo("open");
		assertThat(http().get("/tenants/umbrella/incidents/" + id + "/audit").<List<String>>read("$[*].action"))
			.containsExactly("opened");
	}

	@Test
	void withoutATenantTheServiceReachesNoIncident() {
		open("tenant-c", "Seen by tenant-c only");
		assertThat(this.db.fetchValue(String.class, "SELECT current_user")).contains(AppRole.NAME);
		assertThatExceptionOfType(InvalidDataAccessApiUsageException.class)
			.isThrownBy(() -> this.db.fetchMany("SELECT * FROM incidents"));
		assertThat(this.db.forTenant("tenant-c").fetchMany("SELECT tenant_id FROM incidents"))
			.extracting((row) -> row.get("tenant_id"))
			.containsOnly("tenant-c")
			.isNotEmpty();
	}

	@Test
	void aMalformedTenantIdIsABadRequest() {
		Http.Response refused = http().get("/tenants/acme%20corp/incidents");
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.<String>read("$.detail")).contains("does not match the pattern");
		assertThat(http().get("/tenants/" + "x".repeat(65) + "/incidents").status()).isEqualTo(400);
	}

	@Test
	void invalidSeverityIsABadRequest() {
		assertThat(http().post("/tenants/acme/incidents", "{\"title\":\"x\",\"severity\":9}").status()).isEqualTo(400);
	}

	private int open(String tenant, String title) {
		Http.Response created = http().post("/tenants/" + tenant + "/incidents",
				"{\"title\":\"" + title + "\",\"severity\":2}");
		assertThat(created.status()).isEqualTo(201);
		return created.read("$.id");
	}

}
