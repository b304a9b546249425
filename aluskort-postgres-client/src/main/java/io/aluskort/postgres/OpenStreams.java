package io.aluskort.postgres;

import java.sql.Connection;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps a stream open inside a transaction reading for the tenant it was opened for. Row-level
 * security reads the tenant setting again at each fetch of a cursor, and a tenant binding lasts until
 * the transaction ends, so a statement binding another tenant on the same transaction would hand the
 * rest of the stream's rows to that tenant. Such a statement is refused while the stream is open.
 *
 * <p>The streams open on a transaction's connection are a resource of the transaction, keyed by that
 * connection, so that a transaction suspended for {@code REQUIRES_NEW} keeps its own. A stream outside
 * a transaction has a connection and a transaction of its own, which nothing else uses.
 */
final class OpenStreams {

	/** The tenant the streams open on one connection read for (null for unscoped ones), and how many. */
	private final @Nullable String tenant;

	private int count = 1;

	private OpenStreams(@Nullable String tenant) {
		this.tenant = tenant;
	}

	/**
	 * Refuses to bind the tenant on the connection of the current transaction while a stream reading
	 * for another tenant (or for none) is open on it.
	 * @throws InvalidDataAccessApiUsageException when such a stream is open; nothing was sent
	 */
	static void checkBinding(Connection connection, String tenant) {
		if (TransactionSynchronizationManager.getResource(connection) instanceof OpenStreams open
				&& !Objects.equals(open.tenant, tenant)) {
			throw new InvalidDataAccessApiUsageException("A stream opened in this transaction for another tenant is "
					+ "still open: binding a different tenant now would change the rows it reads. Close the stream "
					+ "first, or run the other tenant's work in a transaction of its own");
		}
	}

	/**
	 * Records a stream opened on the connection of the current transaction; the record ends when each
	 * stream it counts is {@link #closed}, or with the transaction.
	 * @return the record, to be told when the stream is closed; null when the transaction has no
	 * synchronization that would end it
	 * @throws InvalidDataAccessApiUsageException when a stream for another tenant is open on it
	 */
	static @Nullable OpenStreams opened(Connection connection, @Nullable String tenant) {
		if (TransactionSynchronizationManager.getResource(connection) instanceof OpenStreams open) {
			if (!Objects.equals(open.tenant, tenant)) {
				throw new InvalidDataAccessApiUsageException("A stream opened in this transaction for another "
						+ "tenant is still open: close it before opening one for a different tenant");
			}
			open.count++;
			return open;
		}
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return null;
		}
		OpenStreams open = new OpenStreams(tenant);
		TransactionSynchronizationManager.bindResource(connection, open);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCompletion(int status) {
				TransactionSynchronizationManager.unbindResourceIfPossible(connection);
			}

		});
		return open;
	}

	/** One of the streams this record counts has been closed. */
	void closed(Connection connection) {
		if (--this.count == 0 && TransactionSynchronizationManager.getResource(connection) == this) {
			TransactionSynchronizationManager.unbindResource(connection);
		}
	}

}
