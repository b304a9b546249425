package io.aluskort.postgres;

import java.time.Duration;

/**
 * The statements of one transaction, handed to a {@link TransactionCallback}. Every call runs on the
 * transaction's connection; the transaction commits when the callback returns and rolls back when it
 * throws. Usable only while the callback runs, like the views made from it, which combine in any order:
 *
 * <pre>{@code
 * db.transaction(tx -> {
 *     tx.execute("UPDATE accounts SET checked = now()");                           // unscoped
 *     tx.forTenant("t1").execute("UPDATE alerts SET severity = 5 WHERE id = $1", 42L);  // t1's rows only
 *     return tx.forTenant("t1").withStatementTimeout(Duration.ofSeconds(2)).fetchMany("SELECT ...");
 * });
 * }</pre>
 */
public interface Transaction extends PostgresOperations {

	/**
	 * This transaction's statements for one tenant: each binds the tenant first, in its own message,
	 * as a {@link TenantClient}'s statements do in a transaction. The binding lasts until the
	 * transaction ends, and a statement of a view for another tenant binds its own; while a stream of
	 * one tenant is open in the transaction, a statement for another is refused. A view of a
	 * tenant's transaction for another tenant binds that one instead.
	 * @throws InvalidTenantIdException when the id is empty, longer than the policy allows or does not
	 * match its pattern; nothing is sent then
	 */
	@Override
	Transaction forTenant(String tenantId);

	/**
	 * This transaction's statements with another statement timeout: each call first sets
	 * {@code SET LOCAL statement_timeout}, which, like any {@code SET LOCAL}, lasts until the
	 * transaction ends, so that later statements of the transaction have that timeout too. A failed
	 * statement aborts the transaction, as any of its statements does.
	 * @throws IllegalArgumentException when the timeout is zero or negative
	 */
	@Override
	Transaction withStatementTimeout(Duration statementTimeout);

}
