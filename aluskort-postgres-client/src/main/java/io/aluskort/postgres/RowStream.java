package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of an open cursor, read one at a time as a stream consumes them, and everything the cursor
 * holds (its connection, the transaction opened for it, the client's call count) given back exactly
 * once, when the stream is closed.
 */
final class RowStream<T> extends Spliterators.AbstractSpliterator<T> implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RowStream.class);

	/** What to do once the cursor's connection is no longer needed; told whether reading failed. */
	@FunctionalInterface
	interface Release {

		void release(Connection connection, @Nullable Throwable failure);

	}

	private final Connection connection;

	private final StatementRunner.OpenResult result;

	private final @Nullable RowMapping<T> mapping;

	private final String sql;

	private final ClientCore core;

	private final Release release;

	private @Nullable Throwable failure;

	private boolean closed;

	RowStream(Connection connection, StatementRunner.OpenResult result, @Nullable RowMapping<T> mapping, String sql,
			ClientCore core, Release release) {
		super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
		this.connection = connection;
		this.result = result;
		this.mapping = mapping;
		this.sql = sql;
		this.core = core;
		this.release = release;
	}

	@Override
	public boolean tryAdvance(Consumer<? super T> action) {
		if (this.closed) {
			throw new IllegalStateException("The stream is closed");
		}
		if (this.result.resultSet == null || this.mapping == null) {
			return false;
		}
		T row;
		try {
			if (!this.result.resultSet.next()) {
				return false;
			}
			row = this.mapping.map(this.result.resultSet);
		}
		catch (SQLException ex) {
			this.failure = ex;
			throw this.core.translate(Operation.STREAM.tagValue(), this.sql, ex);
		}
		catch (RuntimeException ex) {
			this.failure = ex;
			throw ex;
		}
		action.accept(row);
		return true;
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			this.result.close();
		}
		catch (SQLException ex) {
			logger.debug("Closing a stream's cursor failed with SQLState {}", ex.getSQLState());
			if (this.failure == null) {
				this.failure = ex;
			}
		}
		finally {
			this.release.release(this.connection, this.failure);
		}
	}

}
