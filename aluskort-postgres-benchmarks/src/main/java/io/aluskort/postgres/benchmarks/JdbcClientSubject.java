package io.aluskort.postgres.benchmarks;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring's {@link JdbcClient} on the baseline's pool, as an application would write it: rows as
 * {@code listOfRows()} maps (Spring's own value types: {@code Timestamp}, {@code PGobject}),
 * transactions through a {@link TransactionTemplate}, batches through {@link JdbcTemplate}.
 */
final class JdbcClientSubject implements Subject {

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private final TransactionTemplate transactions;

	JdbcClientSubject(DataSource pool) {
		this.template = new JdbcTemplate(pool);
		this.jdbc = JdbcClient.create(this.template);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
	}

	@Override
	public ClientKind kind() {
		return ClientKind.JDBC_CLIENT;
	}

	@Override
	public @Nullable Map<String, @Nullable Object> pointSelect(long id) {
		List<Map<String, @Nullable Object>> rows = this.jdbc.sql(Sql.JDBC_POINT_SELECT).param(id).query().listOfRows();
		return rows.isEmpty() ? null : rows.get(0);
	}

	@Override
	public int fetchRange(long first, int count, boolean withPayload) {
		return this.jdbc.sql(withPayload ? Sql.JDBC_RANGE_JSONB : Sql.JDBC_RANGE)
			.param(first)
			.param(first + count - 1)
			.query()
			.listOfRows()
			.size();
	}

	@Override
	public void insertBatch(List<Object[]> rows) {
		this.transactions.executeWithoutResult((status) -> {
			for (int from = 0; from < rows.size(); from += Sql.BATCH_SIZE) {
				this.template.batchUpdate(Sql.JDBC_INSERT_LOAD,
						rows.subList(from, Math.min(rows.size(), from + Sql.BATCH_SIZE)));
			}
		});
	}

	@Override
	public long writeTransaction(String tenant, int severity) {
		Long id = this.transactions.execute((status) -> {
			Long inserted = this.jdbc.sql(Sql.JDBC_INSERT_RETURNING)
				.params(tenant, severity, Sql.TX_PAYLOAD)
				.query(Long.class)
				.single();
			this.jdbc.sql(Sql.JDBC_UPDATE).params(severity + 1, inserted).update();
			return inserted;
		});
		return (id != null) ? id : -1;
	}

	@Override
	public Object selectOne() {
		return this.jdbc.sql(Sql.SELECT_ONE).query().singleRow();
	}

	@Override
	public void close() {
	}

}
