package io.aluskort.postgres.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link UnsafeTenantRoleException}: what lets the role past row-level security, and how
 * to connect as one that it binds.
 */
class UnsafeTenantRoleFailureAnalyzer extends AbstractFailureAnalyzer<UnsafeTenantRoleException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnsafeTenantRoleException cause) {
		StringBuilder description = new StringBuilder("PostgreSQL row-level security would not bind role '")
			.append(cause.getRole())
			.append("', the role the application connects as, so tenant-scoped calls would silently see and "
					+ "change every tenant's rows:\n\n");
		cause.getProblems().forEach((problem) -> description.append("    - ").append(problem).append("\n"));
		String action = "Connect as an application role that is neither a superuser nor BYPASSRLS and owns no tenant "
				+ "table (update " + PostgresClientConfigFactory.PREFIX + "username and password; run migrations as "
				+ "the owner), and enable and force row-level security on every tenant table; "
				+ "io/aluskort/postgres/tenant-isolation.sql in the starter shows how. Set "
				+ PostgresClientConfigFactory.PREFIX + "tenant.verify-role=false only where no tenant data is kept.";
		return new FailureAnalysis(description.toString(), action, cause);
	}

}
