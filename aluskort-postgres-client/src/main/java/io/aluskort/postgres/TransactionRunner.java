package io.aluskort.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the transactions of one client's pool: a {@link PostgresClient#transaction} callback with its
 * options and retries, as a savepoint when a transaction is running on the thread already, and the
 * client's own calls that must be atomic.
 */
final class TransactionRunner {

	private final ClientCore core;

	private final CallGate gate;

	private final DataSource pool;

	private final ClientTransactionManager transactionManager;

	/** Outside a transaction NESTED starts one; inside one it sets a savepoint. */
	private final TransactionTemplate nested;

	TransactionRunner(ClientCore core, CallGate gate, DataSource pool) {
		this.core = core;
		this.gate = gate;
		this.pool = pool;
		this.transactionManager = new ClientTransactionManager(pool);
		this.nested = new TransactionTemplate(this.transactionManager);
		this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
	}

	/** Runs a call of the client's in a transaction; the caller has been admitted, and exits. */
	<R> R atomically(Supplier<R> call) {
		try {
			return this.nested.execute((status) -> call.get());
		}
		catch (RuntimeException ex) {
			throw this.core.transactionFailure(this.pool, ex);
		}
	}

	/**
	 * Runs a transaction callback. The caller has been admitted; this exits. Only an outermost
	 * transaction can be run again.
	 * @param tenant the tenant the callback's statements run for, checked already; null for none
	 * @param options validated options, or null for the defaults
	 */
	<T extends @Nullable Object> T run(@Nullable String tenant, @Nullable TransactionOptions options,
			TransactionCallback<T> callback) {
		long start = this.core.startTiming();
		Throwable failure = null;
		try {
			TransactionTemplate template = this.nested;
			if (options != null) {
				template = template(options);
				if (this.transactionManager.isTransactionRunning()) {
					requireApplicableInside(options);
				}
			}
			TransactionTemplate chosen = template;
			int retries = (options != null) ? options.retries() : 0;
			return TransactionRetry.run(retries, () -> runOnce(chosen, tenant, options, callback));
		}
		catch (RuntimeException | Error ex) {
			failure = ex;
			throw ex;
		}
		finally {
			this.gate.exit();
			this.core.completed(Operation.TRANSACTION, start, failure);
		}
	}

	private TransactionTemplate template(TransactionOptions options) {
		TransactionTemplate template = new TransactionTemplate(this.transactionManager);
		template.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		if (options.isolation() != null) {
			template.setIsolationLevel(isolationLevel(options.isolation()));
		}
		template.setReadOnly(options.readOnly());
		if (options.timeout() != null) {
			template.setTimeout((int) DriverProperties.ceilSeconds(options.timeout()));
		}
		return template;
	}

	private static int isolationLevel(TransactionOptions.Isolation isolation) {
		return switch (isolation) {
			case READ_COMMITTED -> TransactionDefinition.ISOLATION_READ_COMMITTED;
			case REPEATABLE_READ -> TransactionDefinition.ISOLATION_REPEATABLE_READ;
			case SERIALIZABLE -> TransactionDefinition.ISOLATION_SERIALIZABLE;
		};
	}

	/**
	 * Refuses options that the savepoint a nested transaction becomes cannot have: a timeout, deferrable,
	 * retries (the outer transaction's failure, not the savepoint's, is what could be run again), and an
	 * isolation level or read-only that the running transaction does not have already. Spring's own
	 * participating transactions fail the same way, with the same exception, when told to validate.
	 */
	private static void requireApplicableInside(TransactionOptions options) {
		List<String> refused = new ArrayList<>();
		TransactionOptions.Isolation isolation = options.isolation();
		Integer running = TransactionSynchronizationManager.getCurrentTransactionIsolationLevel();
		if (isolation != null && (running == null || running != isolationLevel(isolation))) {
			refused.add("isolation " + isolation + " (the running transaction has " + describeIsolation(running) + ")");
		}
		if (options.readOnly() && !TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
			refused.add("readOnly (the running transaction is read-write)");
		}
		if (options.deferrable()) {
			refused.add("deferrable");
		}
		if (options.timeout() != null) {
			refused.add("timeout " + options.timeout());
		}
		if (options.retries() > 0) {
			refused.add("retries " + options.retries());
		}
		if (!refused.isEmpty()) {
			throw new IllegalTransactionStateException("transaction(options, ...) was called inside a running "
					+ "transaction, where it is a savepoint, which cannot have " + String.join(", ", refused)
					+ ": give these options to the outermost transaction, or call this one outside any");
		}
	}

	private static String describeIsolation(@Nullable Integer level) {
		if (level == null) {
			return "the server's default";
		}
		for (TransactionOptions.Isolation isolation : TransactionOptions.Isolation.values()) {
			if (isolationLevel(isolation) == level) {
				return isolation.name();
			}
		}
		return "JDBC isolation level " + level;
	}

	/**
	 * One attempt: the options' setup runs unscoped, as the client's own statements, before the
	 * callback gets its {@link Transaction}, which binds the tenant when there is one.
	 */
	private <T extends @Nullable Object> T runOnce(TransactionTemplate template, @Nullable String tenant,
			@Nullable TransactionOptions options, TransactionCallback<T> callback) {
		try {
			return template.execute((status) -> {
				TransactionScope scope = new TransactionScope(this.pool,
						options != null && options.timeout() != null && status.isNewTransaction());
				Operations tx = new Operations(this.core, new View(scope));
				try {
					String setup = (options != null && status.isNewTransaction()) ? options.setupSql() : null;
					if (options != null && setup != null) {
						tx.execute(setup);
						if (options.timeout() != null) {
							this.core.allowStatementTimeout(this.pool, options.timeout());
						}
					}
					return callback.doInTransaction((tenant != null) ? tx.forCheckedTenant(tenant) : tx);
				}
				finally {
					scope.end();
				}
			});
		}
		catch (RuntimeException ex) {
			throw this.core.transactionFailure(this.pool, ex);
		}
	}

}
