package io.aluskort.postgres;

import org.jspecify.annotations.Nullable;

/**
 * What makes one view of a client's statements differ from another: how its calls are let in and made
 * atomic (its {@link Scope}: the client's own, or a running transaction's), the tenant each statement
 * binds, and the statement timeout each call sets first. Views combine by replacing one part, so that
 * a tenant, a timeout and a transaction compose in any order.
 *
 * @param scope how calls are let in and made atomic
 * @param tenant the tenant every statement runs for, already checked against the policy; null for an
 * unscoped view, which the {@link TenantPolicy} may keep off tenant tables
 * @param timeout the statement timeout each call sets, or null for the client's own
 */
record View(Scope scope, @Nullable String tenant, @Nullable StatementTimeout timeout) {

	View(Scope scope) {
		this(scope, null, null);
	}

	View forTenant(String checkedTenant) {
		return new View(this.scope, checkedTenant, this.timeout);
	}

	View withTimeout(StatementTimeout statementTimeout) {
		return new View(this.scope, this.tenant, statementTimeout);
	}

}
