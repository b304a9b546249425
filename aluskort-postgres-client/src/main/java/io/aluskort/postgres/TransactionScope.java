package io.aluskort.postgres;

import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The {@link Scope} of one transaction callback's statements: they run in its transaction, only while
 * the callback runs, and, when the transaction has a timeout, only before its deadline. The client's
 * gate let the transaction in already, so its statements do not pass it again.
 */
final class TransactionScope implements Scope {

	private final DataSource pool;

	/** Whether calls check the deadline of a transaction with a timeout before they start. */
	private final boolean timed;

	private volatile boolean active = true;

	TransactionScope(DataSource pool, boolean timed) {
		this.pool = pool;
		this.timed = timed;
	}

	@Override
	public DataSource enter() {
		if (!this.active) {
			throw new IllegalStateException("This transaction has ended; use the Transaction only inside its callback");
		}
		if (this.timed && TransactionSynchronizationManager.getResource(this.pool) instanceof ConnectionHolder holder
				&& holder.hasTimeout()) {
			// Throws TransactionTimedOutException once the deadline has passed.
			holder.getTimeToLiveInMillis();
		}
		return this.pool;
	}

	@Override
	public void exit() {
	}

	/** The call runs in this transaction, which makes it atomic already. */
	@Override
	public <R> R atomically(Supplier<R> call) {
		return call.get();
	}

	/** The callback has returned or thrown: every view of this transaction is unusable from now on. */
	void end() {
		this.active = false;
	}

}
