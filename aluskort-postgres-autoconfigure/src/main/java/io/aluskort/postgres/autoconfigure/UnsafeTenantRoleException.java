package io.aluskort.postgres.autoconfigure;

import java.util.List;

/**
 * Row-level security would not bind the role the application connects as, so tenant-scoped calls
 * would see and change every tenant's rows without any error: the role is a superuser or has
 * {@code BYPASSRLS}, owns a tenant table, or a tenant table has no row-level security. Thrown at
 * startup when {@code aluskort.postgres.tenant.verify-role} is on; {@link UnsafeTenantRoleFailureAnalyzer}
 * explains it.
 */
public class UnsafeTenantRoleException extends RuntimeException {

	private final String role;

	private final List<String> problems;

	/**
	 * An unsafe role.
	 * @param role the role the application connects as
	 * @param problems what lets it past row-level security, one sentence each
	 */
	public UnsafeTenantRoleException(String role, List<String> problems) {
		super("Row-level security would not bind role '" + role + "': " + String.join("; ", problems));
		this.role = role;
		this.problems = List.copyOf(problems);
	}

	/** The role the application connects as. */
	public String getRole() {
		return this.role;
	}

	/** What lets the role past row-level security, one sentence each. */
	public List<String> getProblems() {
		return this.problems;
	}

}
