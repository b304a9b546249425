package io.aluskort.postgres;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The calls of a {@link PostgresClient} for one tenant, made by {@link PostgresClient#forTenant}: every
 * statement runs in a transaction that first binds the tenant with
 * {@code set_config('aluskort.tenant_id', tenantId, true)} (the setting is the
 * {@link TenantPolicy#setting()}), so that the server's row-level security policies show and accept
 * that tenant's rows only. The binding lasts until the transaction ends: it never reaches another
 * call or the next borrower of the connection.
 *
 * <pre>{@code
 * TenantClient tenant = db.forTenant("t1");
 * List<Alert> alerts = tenant.fetchMany(Alert.class, "SELECT * FROM alerts ORDER BY id");  // t1's rows only
 * tenant.transaction(tx -> tx.execute("UPDATE alerts SET severity = 5 WHERE id = $1", 42L));
 * }</pre>
 *
 * <p>What binding costs:
 * <ul>
 * <li>{@code execute}, {@code fetchOne}, {@code fetchMany}, {@code fetchValue}: nothing in round trips.
 * The binding travels in the statement's own message, in a transaction block of its own
 * ({@code BEGIN ... COMMIT}) that holds the two together whatever Syncs the driver sends between them;
 * the result is the statement's. A failed statement costs one round trip more, for the rollback.</li>
 * <li>{@link #transaction}: nothing either; each statement of the callback carries the binding.</li>
 * <li>{@code stream}: one round trip, when the stream's transaction begins.</li>
 * <li>{@code executeBatch}: one round trip, ahead of the first chunk.</li>
 * <li>{@code copyOut}: two, as it runs in a transaction of its own: the binding, COPY, the commit.</li>
 * <li>{@code copyIn}: three. PostgreSQL refuses {@code COPY FROM} into a table under row-level security,
 * so the rows are copied into a temporary table (created with the binding, dropped before the commit)
 * and moved on with one {@code INSERT ... SELECT}, which the policies check.</li>
 * </ul>
 *
 * <p>Inside a transaction that is already open on the thread ({@code @Transactional}, or an unscoped
 * {@link PostgresClient#transaction}) the calls join it, and the binding then lasts until that
 * transaction ends: a later call for another tenant binds its own, except while a stream of another
 * tenant is open in that transaction, which it would make read the other tenant's rows: that call is
 * refused. A statement that fails aborts its transaction, binding included. Statements that
 * PostgreSQL refuses to run in a transaction ({@code VACUUM}, {@code CREATE INDEX CONCURRENTLY}) cannot
 * be run for a tenant.
 *
 * <p>{@link #withStatementTimeout} gives this tenant's calls a statement timeout of their own; inside a
 * transaction callback {@link Transaction#forTenant} and {@link Transaction#withStatementTimeout} give
 * the same views of the transaction's statements, in either order.
 *
 * <p>Thread-safe and cheap: make one per request or per unit of work.
 */
public final class TenantClient extends DelegatingOperations {

	private final PostgresClient client;

	private final String tenantId;

	/** The client's statements for this tenant. */
	private final Operations operations;

	TenantClient(PostgresClient client, String tenantId) {
		this.client = client;
		this.tenantId = client.core.tenancy.policy.checkTenantId(tenantId);
		this.operations = client.operations().forCheckedTenant(this.tenantId);
	}

	/** The tenant this client's calls run for. */
	public String tenantId() {
		return this.tenantId;
	}

	/**
	 * {@link PostgresClient#transaction(TransactionCallback)} for this tenant: every statement of the
	 * callback runs for it.
	 */
	public <T extends @Nullable Object> T transaction(TransactionCallback<T> callback) {
		return this.client.transactionFor(this.tenantId, null, callback);
	}

	/**
	 * {@link PostgresClient#transaction(TransactionOptions, TransactionCallback)} for this tenant.
	 * @throws IllegalArgumentException when the options contradict each other
	 */
	public <T extends @Nullable Object> T transaction(TransactionOptions options, TransactionCallback<T> callback) {
		return this.client.transactionFor(this.tenantId, Objects.requireNonNull(options, "options"), callback);
	}

	/**
	 * This tenant's calls with another statement timeout, as {@link PostgresClient#withStatementTimeout}
	 * gives the client's: each runs in a transaction (the caller's, or one of its own) that first sets
	 * {@code SET LOCAL statement_timeout}, and binds the tenant in that transaction, as inside a
	 * caller's transaction. Inside a caller's transaction the setting lasts until that transaction ends.
	 * @throws IllegalArgumentException when the timeout is zero or negative
	 */
	@Override
	public PostgresOperations withStatementTimeout(Duration statementTimeout) {
		return this.operations.withStatementTimeout(statementTimeout);
	}

	/**
	 * The same calls for another tenant: a view binds one tenant, the last one it was given.
	 * @throws InvalidTenantIdException when the id is empty, longer than the policy allows or does not
	 * match its pattern; nothing is sent then
	 */
	@Override
	public PostgresOperations forTenant(String tenantId) {
		return this.operations.forTenant(tenantId);
	}

	@Override
	Operations operations() {
		return this.operations;
	}

	@Override
	public String toString() {
		return "TenantClient[" + this.tenantId + "]";
	}

}
