package io.aluskort.postgres;

/**
 * The statements of one transaction, handed to a {@link TransactionCallback}. Every call runs on the
 * transaction's connection; the transaction commits when the callback returns and rolls back when it
 * throws. Usable only while the callback runs.
 */
public interface Transaction extends PostgresOperations {

}
