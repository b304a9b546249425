package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.InvalidDataAccessApiUsageException;

/**
 * One client's {@link TenantPolicy} at work: the statements that bind a tenant, and the check that
 * keeps the unscoped views off tenant tables.
 *
 * <p>A tenant is bound with {@code set_config(setting, tenant, true)}, which lasts until the
 * transaction ends, so it never reaches the next borrower of the connection. A single statement
 * carries it in its own message. Inside a transaction that is {@code SELECT set_config(...) IS NULL;
 * <statement>}; outside one the pair is wrapped in a transaction block of its own,
 * {@code BEGIN; SELECT set_config(...) IS NULL; <statement>; COMMIT}. The block is what holds binding
 * and statement together: pgjdbc may send a Sync between the statements of one string (its
 * {@code flushIfDeadlockRisk}, before a server-prepared statement it described and whose result row
 * has no bounded size), and a Sync ends an implicit transaction, binding included, but not a block
 * opened with {@code BEGIN}. Binding costs no round trip of its own either way; the caller gets its
 * statement's tag and rows, not those of the client's statements around it.
 */
final class Tenancy {

	/** Where a tenant's COPY lands first; created in the transaction and gone when it ends. */
	private static final String STAGING = "pg_temp.aluskort_tenant_copy";

	private static final Object[] NO_ARGS = {};

	final TenantPolicy policy;

	private final SqlCache statements;

	private final ParsedSql bind;

	/** How many statements {@link #standalone} adds after the caller's: the {@code COMMIT}. */
	static final int STANDALONE_TAIL = 1;


	/** The caller's statements with the binding before them, keyed by the caller's text. */
	private final SqlCache scopedStatements;

	/** The same in a transaction block of their own, for a connection outside a transaction. */
	private final SqlCache standaloneStatements;

	Tenancy(TenantPolicy policy, SqlCache statements) {
		this.policy = policy;
		this.statements = statements;
		this.bind = ParsedSql.parse(bindSql(1));
		// The tenant takes the number after the statement's own, so that the caller's $1.. stay as written.
		// The line breaks end a -- comment the caller's text may end with.
		this.scopedStatements = new SqlCache(SqlCache.DEFAULT_CAPACITY,
				(sql) -> ParsedSql.parse(bindSql(statements.get(sql).parameterCount() + 1) + ";\n" + sql));
		this.standaloneStatements = new SqlCache(SqlCache.DEFAULT_CAPACITY, (sql) -> ParsedSql
			.parse("BEGIN;\n" + bindSql(statements.get(sql).parameterCount() + 1) + ";\n" + sql + "\n;\nCOMMIT"));
	}

	/**
	 * The binding answers a boolean, not the text set_config returns: ahead of a server-prepared
	 * statement that has an untyped parameter (the tenant, a String) and a result row of no bounded
	 * size (a text column), pgjdbc sends a Sync and waits for it, a round trip of its own.
	 */
	private String bindSql(int parameter) {
		return "SELECT set_config('" + this.policy.setting() + "', $" + parameter + ", true) IS NULL";
	}

	/**
	 * The caller's statement, already parsed and checked, preceded by the binding, for a connection in
	 * a transaction; it takes the arguments of {@link #withTenant}.
	 */
	ParsedSql scoped(String sql) {
		return this.scopedStatements.get(sql);
	}

	/**
	 * {@link #scoped} in a transaction block of its own, for a connection outside a transaction; its
	 * last {@link #STANDALONE_TAIL} statement is the client's. A failure leaves the block aborted:
	 * {@link #endFailedBlock} ends it.
	 */
	ParsedSql standalone(String sql) {
		return this.standaloneStatements.get(sql);
	}

	/**
	 * Rolls back the block a {@link #standalone} statement left open when it failed (the server skips
	 * the {@code COMMIT} after an error), so that the connection goes back idle. A failure here is
	 * added to the statement's, which the caller throws; the pool evicts a connection that is broken.
	 */
	static void endFailedBlock(Connection connection, Exception failure) {
		try {
			if (ServerTransaction.on(connection) != null) {
				ServerTransaction.rollBack(connection);
			}
		}
		catch (SQLException ex) {
			failure.addSuppressed(ex);
		}
	}

	/** The caller's arguments and, after them, the tenant. */
	static @Nullable Object[] withTenant(@Nullable Object[] args, String tenantId) {
		@Nullable Object[] arguments = Arrays.copyOf(args, args.length + 1);
		arguments[args.length] = tenantId;
		return arguments;
	}

	/** Binds the tenant on a connection that is in a transaction, for work that cannot carry the binding. */
	void bind(Connection connection, String tenantId) throws SQLException {
		StatementRunner.execute(connection, this.bind, new Object[] { tenantId }, null);
	}

	/**
	 * Loads rows into a table for a tenant, on a connection in a transaction. PostgreSQL refuses
	 * {@code COPY FROM} into a table under row-level security (0A000), so the rows are copied into a
	 * temporary table of the same columns, and moved on with one {@code INSERT ... SELECT}, which the
	 * policies check like any other. Needs the {@code TEMPORARY} privilege on the database, which
	 * every role has by default.
	 * @return the rows loaded
	 */
	long copyIn(Connection connection, String tenantId, String table, List<String> columns,
			Iterator<? extends @Nullable Object[]> rows, @Nullable JsonCodec codec) throws SQLException {
		String list = String.join(", ", columns);
		String stage = "CREATE TEMPORARY TABLE " + STAGING + " ON COMMIT DROP AS SELECT " + list + " FROM " + table
				+ " WITH NO DATA";
		StatementRunner.execute(connection, scoped(stage), withTenant(NO_ARGS, tenantId), null);
		CopySupport.copyIn(connection, CopySupport.copyInStatement(STAGING, columns), columns.size(), rows, codec);
		// Dropped at once, so that another copy in the same transaction can stage again.
		List<String> tags = StatementRunner.executeEach(connection, this.statements.get(
				"INSERT INTO " + table + " (" + list + ") SELECT " + list + " FROM " + STAGING + "; DROP TABLE " + STAGING),
				NO_ARGS, null);
		return new CommandStatus(tags.get(0)).rows();
	}

	/**
	 * Refuses, when the policy requires a tenant, a statement of an unscoped view that names a tenant
	 * table. Without a tenant row-level security shows no rows at all: the error says why.
	 */
	void checkUnscoped(ParsedSql statement) {
		if (!this.policy.required()) {
			return;
		}
		String table = statement.firstNameOf(this.policy.tableNames());
		if (table != null) {
			throw new InvalidDataAccessApiUsageException("Statement names tenant table '" + table
					+ "' but has no tenant: run it through forTenant(tenantId), since a tenant is required");
		}
	}

}
