package io.aluskort.postgres;

import java.util.ArrayList;
import java.util.List;

import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DuplicateKeyException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@PostgresTest
class BatchTest {

	private final PostgresClient db;

	BatchTest(PostgresClient db) {
		this.db = db;
	}

	@BeforeEach
	void schema() {
		this.db.execute("DROP TABLE IF EXISTS alerts");
		this.db.execute("CREATE TABLE alerts (id bigint PRIMARY KEY, tenant_id text NOT NULL, severity int)");
	}

	private static List<Object[]> rows(int count) {
		List<Object[]> rows = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			rows.add(new Object[] { (long) i, "t" + (i % 3), i % 5 });
		}
		return rows;
	}

	private long count() {
		return this.db.fetchValue(Long.class, "SELECT count(*) FROM alerts").orElseThrow();
	}

	@Test
	void plainInsertIsSentAsMultiRowInsertsAndEveryRowCountsOne() {
		long[] counts = this.db.executeBatch("INSERT INTO alerts (id, tenant_id, severity) VALUES ($1, $2, $3)", rows(1000));
		assertThat(counts).hasSize(1000).containsOnly(1L);
		assertThat(count()).isEqualTo(1000);
		assertThat(this.db.fetchValue(Long.class, "SELECT sum(severity) FROM alerts")).contains(2000L);
	}

	@Test
	void otherStatementsReturnEachRowsCount() {
		this.db.executeBatch("INSERT INTO alerts VALUES ($1, $2, $3)", rows(300));
		List<Object[]> updates = List.of(new Object[] { 9, "t0" }, new Object[] { 9, "nobody" }, new Object[] { 8, "t1" });
		long[] counts = this.db.executeBatch("UPDATE alerts SET severity = $1 WHERE tenant_id = $2", updates);
		assertThat(counts).containsExactly(100L, 0L, 100L);
		long[] upserts = this.db.executeBatch(
				"INSERT INTO alerts VALUES ($1, $2, 0) ON CONFLICT (id) DO NOTHING",
				List.of(new Object[] { 1L, "x" }, new Object[] { 5000L, "y" }));
		assertThat(upserts).containsExactly(0L, 1L);
	}

	@Test
	void aFailingRowRollsBackTheWholeBatch() {
		List<Object[]> rows = rows(500);
		rows.set(400, new Object[] { 3L, "dup", 0 });
		assertThatExceptionOfType(DuplicateKeyException.class)
			.isThrownBy(() -> this.db.executeBatch("INSERT INTO alerts VALUES ($1, $2, $3)", rows));
		assertThat(count()).isZero();
	}

	@Test
	void batchJoinsTheCallersTransaction() {
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.db.transaction((tx) -> {
			tx.executeBatch("INSERT INTO alerts VALUES ($1, $2, $3)", rows(10));
			throw new IllegalStateException("undo");
		}));
		assertThat(count()).isZero();
		this.db.transaction((tx) -> tx.executeBatch("INSERT INTO alerts VALUES ($1, $2, $3)", rows(10)));
		assertThat(count()).isEqualTo(10);
	}

	@Test
	void wrongRowWidthIsNamedBeforeAnythingIsSent() {
		List<Object[]> rows = rows(5);
		rows.set(3, new Object[] { 1L });
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.db.executeBatch("INSERT INTO alerts VALUES ($1, $2, $3)", rows))
			.withMessage("Batch row 3 has 1 arguments; the statement expects 3");
		assertThat(count()).isZero();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.db.executeBatch("SELECT $1; SELECT $1", List.<Object[]>of(new Object[] { 1 })))
			.withMessageContaining("one statement");
		assertThat(this.db.executeBatch("INSERT INTO alerts VALUES ($1, $2, $3)", List.of())).isEmpty();
	}

	@Test
	void returningAndOddShapesAreRepeatedNotRewritten() {
		assertThat(this.db.executeBatch("INSERT INTO alerts VALUES ($1, $2, $3) RETURNING id", rows(3)))
			.containsExactly(1L, 1L, 1L);
		assertThat(this.db.executeBatch("insert into alerts values ($1, $2, 1);", List.<Object[]>of(new Object[] { 10L, "x" })))
			.containsExactly(1L);
		assertThat(count()).isEqualTo(4);
	}

}
