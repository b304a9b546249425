package io.aluskort.postgres.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.TenantPolicy;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Refuses to start an application that row-level security would not bind: a superuser and a role with
 * {@code BYPASSRLS} pass every policy, an owner can switch them off, and a table without row-level
 * security has none to apply. Any of these would make tenant-scoped calls see every tenant's rows
 * without an error.
 *
 * <p>Runs once every singleton is there, so that migrations run at startup (Flyway) have created the
 * tables it looks at.
 */
final class TenantRoleVerifier implements SmartInitializingSingleton {

	/** The session user counts too: a session that logged in as a superuser can RESET ROLE. */
	private static final String ROLES = "SELECT current_user::text AS role, r.rolname::text AS name, r.rolsuper, "
			+ "r.rolbypassrls FROM pg_roles r WHERE r.rolname IN (current_user, session_user) ORDER BY r.rolname";

	private static final String TABLE = "SELECT c.relrowsecurity, c.relforcerowsecurity, "
			+ "pg_has_role(current_user, c.relowner, 'MEMBER') AS owner FROM pg_class c WHERE c.oid = to_regclass($1)";

	private final PostgresClient client;

	TenantRoleVerifier(PostgresClient client) {
		this.client = client;
	}

	@Override
	public void afterSingletonsInstantiated() {
		verify();
	}

	void verify() {
		List<String> problems = new ArrayList<>();
		String role = "";
		for (Map<String, Object> row : this.client.fetchMany(ROLES)) {
			// Never NULL: both come from current_user and pg_roles.rolname.
			role = (String) Objects.requireNonNull(row.get("role"));
			String name = (String) Objects.requireNonNull(row.get("name"));
			String who = name.equals(role) ? "it" : "its session user '" + name + "'";
			if (Boolean.TRUE.equals(row.get("rolsuper"))) {
				problems.add(who + " is a superuser, which row-level security never binds");
			}
			else if (Boolean.TRUE.equals(row.get("rolbypassrls"))) {
				problems.add(who + " has BYPASSRLS, which passes every row-level security policy");
			}
		}
		TenantPolicy policy = this.client.config().tenantPolicy();
		for (String table : policy.tables()) {
			Map<String, Object> row = this.client.fetchOne(TABLE, table).orElse(null);
			if (row == null) {
				problems.add("tenant table '" + table + "' does not exist (in the search path)");
			}
			else if (Boolean.TRUE.equals(row.get("owner"))) {
				problems.add("it owns tenant table '" + table + "', and an owner can turn row-level security off");
			}
			else if (!Boolean.TRUE.equals(row.get("relrowsecurity"))) {
				problems.add("tenant table '" + table + "' does not have row-level security enabled");
			}
		}
		if (!problems.isEmpty()) {
			throw new UnsafeTenantRoleException(role, problems);
		}
	}

}
