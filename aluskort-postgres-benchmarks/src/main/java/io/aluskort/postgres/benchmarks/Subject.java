package io.aluskort.postgres.benchmarks;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One client under test, doing each workload's unit of work the way an application written for it
 * would. Implementations are thread-safe.
 */
interface Subject extends AutoCloseable {

	ClientKind kind();

	/** W1: the row with this id, as a column-to-value map. */
	@Nullable Map<String, @Nullable Object> pointSelect(long id) throws Exception;

	/** W2: the rows with ids {@code first..first+count-1} as maps; returns how many there were. */
	int fetchRange(long first, int count, boolean withPayload) throws Exception;

	/** W3: inserts the rows (tenant_id, created_at, severity, source, payload) with batched INSERTs. */
	default void insertBatch(List<Object[]> rows) throws Exception {
		throw new UnsupportedOperationException(kind().label() + " has no batch insert");
	}

	/** W3: inserts the rows (tenant_id, created_at, severity, source, payload) with COPY. */
	default void copyIn(List<Object[]> rows) throws Exception {
		throw new UnsupportedOperationException(kind().label() + " has no COPY");
	}

	/** W4: one transaction: insert a row returning its id, update it, commit. Returns the id. */
	long writeTransaction(String tenant, int severity) throws Exception;

	/** W5: {@code SELECT 1}, one round trip. */
	Object selectOne() throws Exception;

	@Override
	void close();

}
