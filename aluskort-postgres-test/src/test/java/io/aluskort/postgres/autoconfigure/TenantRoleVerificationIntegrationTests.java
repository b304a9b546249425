package io.aluskort.postgres.autoconfigure;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code aluskort.postgres.tenant.verify-role}: startup fails, with an analysis that says why, when
 * row-level security would not bind the application's role.
 */
@PostgresTest
class TenantRoleVerificationIntegrationTests {

	private static final String APP = "tenant_verify_app";

	private static final String OWNER = "tenant_verify_owner";

	private static final String BYPASS = "tenant_verify_bypass";

	private final ApplicationContextRunner runner;

	TenantRoleVerificationIntegrationTests(PostgresDatabase database) {
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AluskortPostgresAutoConfiguration.class))
			.withPropertyValues("aluskort.postgres.url=" + database.jdbcUrl(), "aluskort.postgres.pool.min-size=1",
					"aluskort.postgres.expose-data-source=false", "aluskort.postgres.tenant.verify-role=true");
	}

	@BeforeAll
	static void rolesAndTables(PostgresClient db) {
		for (String role : new String[] { APP, OWNER, BYPASS }) {
			db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN CREATE ROLE "
					+ role + " LOGIN PASSWORD 'pw'; END IF; END $$");
		}
		db.execute("ALTER ROLE " + BYPASS + " BYPASSRLS");
		db.execute("""
				CREATE TABLE guarded (tenant_id text NOT NULL);
				ALTER TABLE guarded ENABLE ROW LEVEL SECURITY;
				CREATE TABLE unguarded (tenant_id text NOT NULL);
				CREATE TABLE owned (tenant_id text NOT NULL);
				ALTER TABLE owned ENABLE ROW LEVEL SECURITY""");
		db.execute("ALTER TABLE owned OWNER TO " + OWNER);
		db.execute("GRANT SELECT ON guarded, unguarded TO " + APP + ", " + OWNER + ", " + BYPASS);
	}

	@Test
	void refusesASuperuser(PostgresDatabase database) {
		this.runner.withPropertyValues("aluskort.postgres.username=" + database.user(),
				"aluskort.postgres.password=" + database.password())
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("role '" + database.user() + "'")
					.contains("it is a superuser, which row-level security never binds");
				assertThat(analysis.getAction()).contains("neither a superuser nor BYPASSRLS")
					.contains("tenant-isolation.sql")
					.contains("aluskort.postgres.tenant.verify-role=false");
			});
	}

	@Test
	void checksEvenWithLazyInitialization(PostgresDatabase database) {
		this.runner
			.withInitializer((context) -> context
				.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.withPropertyValues("aluskort.postgres.username=" + database.user(),
					"aluskort.postgres.password=" + database.password())
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void refusesARoleWithBypassRls() {
		as(BYPASS).run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
			.contains("it has BYPASSRLS"));
	}

	@Test
	void refusesTenantTablesWithoutRowLevelSecurityMissingOrOwned() {
		as(OWNER).withPropertyValues("aluskort.postgres.tenant.tables=guarded, unguarded, owned, missing")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.doesNotContain("'guarded'")
				.contains("tenant table 'unguarded' does not have row-level security enabled")
				.contains("it owns tenant table 'owned'")
				.contains("tenant table 'missing' does not exist"));
	}

	@Test
	void startsWithARoleThatRowLevelSecurityBinds() {
		as(APP).withPropertyValues("aluskort.postgres.tenant.tables=guarded", "aluskort.postgres.tenant.required=true")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(TenantRoleVerifier.class);
				assertThat(context.getBean(PostgresClient.class).config().tenantPolicy().required()).isTrue();
			});
	}

	@Test
	void checksNothingUnlessAskedTo(PostgresDatabase database) {
		this.runner.withPropertyValues("aluskort.postgres.username=" + database.user(),
				"aluskort.postgres.password=" + database.password(), "aluskort.postgres.tenant.verify-role=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TenantRoleVerifier.class));
	}

	@Test
	void invalidTenantPropertiesNameTheProperty() {
		as(APP).withPropertyValues("aluskort.postgres.tenant.setting=tenant", "aluskort.postgres.tenant.verify-role=false")
			.run((context) -> {
				FailureAnalysis analysis = new InvalidPostgresPropertyFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'aluskort.postgres.tenant.setting'")
					.contains("'tenant'")
					.contains("tenant.setting ('tenant') must be a two-part name");
				assertThat(analysis.getAction()).contains("default (aluskort.tenant_id)");
			});
		as(APP).withPropertyValues("aluskort.postgres.tenant.required=true", "aluskort.postgres.tenant.verify-role=false")
			.run((context) -> assertThat(
					new InvalidPostgresPropertyFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
				.contains("tenant.tables must name at least one tenant table when tenant.required is true"));
	}

	private ApplicationContextRunner as(String role) {
		return this.runner.withPropertyValues("aluskort.postgres.username=" + role, "aluskort.postgres.password=pw");
	}

	private static FailureAnalysis analyze(Throwable failure) {
		FailureAnalysis analysis = new UnsafeTenantRoleFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		return analysis;
	}

}
