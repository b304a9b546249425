package io.aluskort.postgres.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.PostgresClientConfig;
import org.jspecify.annotations.Nullable;

/** {@link PostgresClient} as a service uses it, with the configuration the harness gives it. */
final class PostgresClientSubject implements Subject {

	private static final List<String> LOAD_COLUMNS = List.of(Sql.LOAD_COLUMNS.split(", "));

	private final PostgresClient db;

	PostgresClientSubject(PostgresClientConfig config) {
		this.db = new PostgresClient(config);
		this.db.connect();
	}

	@Override
	public ClientKind kind() {
		return ClientKind.POSTGRES_CLIENT;
	}

	@Override
	@SuppressWarnings("NullAway") // The client's row maps say Object, yet hold a SQL NULL as null.
	public @Nullable Map<String, @Nullable Object> pointSelect(long id) {
		return this.db.fetchOne(Sql.POINT_SELECT, id).orElse(null);
	}

	@Override
	public int fetchRange(long first, int count, boolean withPayload) {
		List<Map<String, Object>> rows = this.db.fetchMany(withPayload ? Sql.RANGE_JSONB : Sql.RANGE, first,
				first + count - 1);
		return rows.size();
	}

	@Override
	public void insertBatch(List<Object[]> rows) {
		this.db.executeBatch(Sql.INSERT_LOAD, rows);
	}

	@Override
	public void copyIn(List<Object[]> rows) {
		this.db.copyIn(Sql.LOAD_TABLE, LOAD_COLUMNS, rows);
	}

	@Override
	public long writeTransaction(String tenant, int severity) {
		return this.db.transaction((tx) -> {
			Map<String, Object> row = tx.fetchOne(Sql.INSERT_RETURNING, tenant, severity, Sql.TX_PAYLOAD).orElseThrow();
			long id = (Long) Objects.requireNonNull(row.get("id"));
			tx.execute(Sql.UPDATE, severity + 1, id);
			return id;
		});
	}

	@Override
	public Object selectOne() {
		return this.db.fetchOne(Sql.SELECT_ONE).orElseThrow();
	}

	@Override
	public void close() {
		this.db.close();
	}

}
