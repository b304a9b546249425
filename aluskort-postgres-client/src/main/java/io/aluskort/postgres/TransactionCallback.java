package io.aluskort.postgres;

import org.jspecify.annotations.Nullable;

/**
 * The work of one transaction. An exception it throws rolls the transaction back and reaches the
 * caller of {@link PostgresClient#transaction} unchanged.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface TransactionCallback<T extends @Nullable Object> {

	T doInTransaction(Transaction tx);

}
