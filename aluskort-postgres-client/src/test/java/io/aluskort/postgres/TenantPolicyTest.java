package io.aluskort.postgres;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.dao.InvalidDataAccessApiUsageException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tenant ids and the unscoped client's guard are checked before anything is sent: these clients are
 * never connected.
 */
class TenantPolicyTest {

	private final PostgresClient db = new PostgresClient(PostgresClientConfig.builder().build());

	@Test
	void acceptsIdsThatMatchThePattern() {
		assertThat(this.db.forTenant("t1").tenantId()).isEqualTo("t1");
		assertThat(this.db.forTenant("Acme_Corp-2").tenantId()).isEqualTo("Acme_Corp-2");
		assertThat(this.db.forTenant("x".repeat(64)).tenantId()).hasSize(64);
	}

	@Test
	void refusesEmptyLongAndMalformedIdsNamingTheProblem() {
		assertThatExceptionOfType(InvalidTenantIdException.class).isThrownBy(() -> this.db.forTenant(""))
			.withMessage("Tenant id must not be empty");
		assertThatExceptionOfType(InvalidTenantIdException.class).isThrownBy(() -> this.db.forTenant("x".repeat(10_000)))
			.withMessage("Tenant id is 10000 characters long; at most 64 are allowed");
		assertThatExceptionOfType(InvalidTenantIdException.class).isThrownBy(() -> this.db.forTenant("t1' OR '1'='1"))
			.withMessage("Tenant id 't1' OR '1'='1' does not match the pattern [A-Za-z0-9_-]+");
		assertThatExceptionOfType(InvalidTenantIdException.class).isThrownBy(() -> this.db.forTenant("t1\nforged"))
			.withMessage("Tenant id 't1\\u000aforged' does not match the pattern [A-Za-z0-9_-]+");
		assertThatExceptionOfType(InvalidTenantIdException.class).isThrownBy(() -> this.db.forTenant("tenant one"))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void patternAndLengthAreConfigurable() {
		TenantPolicy policy = TenantPolicy.builder().idPattern("[0-9a-f]{8}").maxIdLength(8).build();
		PostgresClient client = new PostgresClient(PostgresClientConfig.builder().tenantPolicy(policy).build());
		assertThat(client.forTenant("0badcafe").tenantId()).isEqualTo("0badcafe");
		assertThatExceptionOfType(InvalidTenantIdException.class).isThrownBy(() -> client.forTenant("acme"))
			.withMessageContaining("[0-9a-f]{8}");
	}

	@Test
	void checksItsOwnValues() {
		assertThatIllegalArgumentException().isThrownBy(() -> TenantPolicy.builder().setting("tenant_id").build())
			.withMessageStartingWith("setting ('tenant_id') must be a two-part name");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TenantPolicy.builder().setting("aluskort.tenant_id'); DROP TABLE x; --").build())
			.withMessageStartingWith("setting (");
		assertThatIllegalArgumentException().isThrownBy(() -> TenantPolicy.builder().idPattern("[a-z"))
			.withMessageStartingWith("idPattern ('[a-z') is not a valid regular expression");
		assertThatIllegalArgumentException().isThrownBy(() -> TenantPolicy.builder().maxIdLength(0).build())
			.withMessage("maxIdLength (0) must be between 1 and 1024");
		assertThatIllegalArgumentException().isThrownBy(() -> TenantPolicy.builder().required(true).build())
			.withMessage("tables must name at least one tenant table when required is true");
		assertThatIllegalArgumentException().isThrownBy(() -> TenantPolicy.builder().tables(List.of("a;b")).build())
			.withMessageStartingWith("tables: 'a;b' must be");
		assertThat(TenantPolicy.builder().setting("App.Tenant").build().setting()).isEqualTo("App.Tenant");
	}

	@Test
	void tableNamesAreComparedAsPostgresFoldsThem() {
		TenantPolicy policy = TenantPolicy.builder().tables(List.of("Alerts", "audit.\"Events\"")).build();
		assertThat(policy.tableNames()).containsExactlyInAnyOrder("alerts", "Events");
		assertThat(policy.tables()).containsExactlyInAnyOrder("Alerts", "audit.\"Events\"");
	}

	@Test
	void statementsNameTablesOutsideLiteralsAndComments() {
		Set<String> tables = Set.of("alerts", "Events");
		assertThat(ParsedSql.parse("SELECT * FROM ALERTS WHERE id = $1").firstNameOf(tables)).isEqualTo("alerts");
		assertThat(ParsedSql.parse("SELECT * FROM public.alerts a").firstNameOf(tables)).isEqualTo("alerts");
		assertThat(ParsedSql.parse("SELECT * FROM \"alerts\"").firstNameOf(tables)).isEqualTo("alerts");
		assertThat(ParsedSql.parse("SELECT * FROM \"Events\"").firstNameOf(tables)).isEqualTo("Events");
		assertThat(ParsedSql.parse("SELECT * FROM x WHERE id IN (SELECT id FROM alerts)").firstNameOf(tables))
			.isEqualTo("alerts");
		assertThat(ParsedSql.parse("SELECT 1; DELETE FROM alerts").firstNameOf(tables)).isEqualTo("alerts");
		assertThat(ParsedSql.parse("SELECT * FROM events").firstNameOf(tables)).isNull();
		assertThat(ParsedSql.parse("SELECT 'alerts', \"x\" -- alerts\n /* alerts */").firstNameOf(tables)).isNull();
		assertThat(ParsedSql.parse("SELECT alerts_count FROM alerts_summary").firstNameOf(tables)).isNull();
		assertThat(ParsedSql.parse("DO $$ BEGIN DELETE FROM alerts; END $$").firstNameOf(tables)).isNull();
	}

	@Test
	void aRequiredTenantRefusesUnscopedStatementsBeforeAConnectionIsTaken() {
		TenantPolicy policy = TenantPolicy.builder().required(true).tables(List.of("alerts")).build();
		PostgresClient client = new PostgresClient(PostgresClientConfig.builder().tenantPolicy(policy).build());
		// Not connected: a statement that got as far as taking a connection would say so instead.
		assertThatExceptionOfType(InvalidDataAccessApiUsageException.class)
			.isThrownBy(() -> client.fetchMany("SELECT * FROM alerts"))
			.withMessage("Statement names tenant table 'alerts' but has no tenant: run it through forTenant(tenantId), "
					+ "since a tenant is required");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> client.fetchMany("SELECT 1"))
			.withMessageContaining("not connected");
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> client.forTenant("t1").fetchMany("SELECT * FROM alerts"))
			.withMessageContaining("not connected");
	}

}
