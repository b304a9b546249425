package io.aluskort.postgres;

import java.util.function.Supplier;

import javax.sql.DataSource;

/**
 * How the calls of a {@link View} are let in and made atomic. The client's calls pass its
 * {@link CallGate} and, when they must be atomic, run in a transaction of their own (or a savepoint of
 * the one running on the thread); a transaction's calls run in it, and only while its callback runs.
 */
interface Scope {

	/** Lets a call in and returns the pool it runs on; each return is matched by one {@link #exit()}. */
	DataSource enter();

	void exit();

	/** Runs a call whose statements must commit or roll back together, in one transaction. */
	<R> R atomically(Supplier<R> call);

}
