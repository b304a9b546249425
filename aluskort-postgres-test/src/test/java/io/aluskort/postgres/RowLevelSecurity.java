package io.aluskort.postgres;

import java.io.IOException;

import io.aluskort.postgres.test.PostgresDatabase;

/**
 * Tables under the starter's row-level security policy ({@code tenant-isolation.sql}, applied as
 * written, as {@link TenantIsolationTest} does), and the application role the policy binds: it logs in,
 * is no superuser, has no BYPASSRLS and owns nothing.
 */
final class RowLevelSecurity {

	private RowLevelSecurity() {
	}

	/** Creates the role once per server; its password is its name. */
	static void createRole(PostgresClient admin, String role) {
		admin.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN CREATE ROLE "
				+ role + " LOGIN PASSWORD '" + role + "' NOSUPERUSER NOBYPASSRLS; END IF; END $$");
	}

	/** Puts one of the admin's tables under the policy, with the grants the snippet gives the role. */
	static void protect(PostgresClient admin, String table, String role) throws IOException {
		admin.execute(TenantIsolationTest.snippet().replace("alerts", table).replace("aluskort_app", role));
	}

	/** A configuration for a client that connects as the role. */
	static PostgresClientConfig.Builder connectAs(PostgresDatabase database, String role) {
		return database.clientConfig().user(role).password(role);
	}

}
