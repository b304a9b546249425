package io.aluskort.postgres;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.TypeMismatchDataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@PostgresTest
class TypedRowsTest {

	enum Severity {

		LOW, HIGH

	}

	record Alert(long id, String tenantId, OffsetDateTime createdAt, Severity severity, List<String> tags) {
	}

	record Summary(String tenantId, int count, Instant latest) {
	}

	record NeedsPrimitive(int severityNumber) {
	}

	interface NoRow {
	}

	record MissingColumn(long id, String notThere) {
	}

	public static class AlertBean {

		private long id;

		private String tenantId;

		public void setId(long id) {
			this.id = id;
		}

		public void setTenantId(String tenantId) {
			this.tenantId = tenantId;
		}

	}

	private final PostgresClient db;

	TypedRowsTest(PostgresClient db) {
		this.db = db;
	}

	@BeforeAll
	static void schema(PostgresClient db) {
		db.execute("CREATE TYPE severity AS ENUM ('LOW', 'HIGH')");
		db.execute("""
				CREATE TABLE alerts (id bigint PRIMARY KEY, tenant_id text NOT NULL, created_at timestamptz NOT NULL,
				  severity severity NOT NULL, severity_number int, tags text[] NOT NULL)""");
		db.execute("INSERT INTO alerts VALUES (1, 't1', '2024-01-01T00:00:00Z', 'LOW', NULL, '{a,b}'), "
				+ "(2, 't1', '2024-02-01T00:00:00Z', 'HIGH', 2, '{}'), (3, 't2', '2024-03-01T00:00:00Z', 'HIGH', 3, '{c}')");
	}

	@Test
	void rowsBecomeRecordsBySnakeToCamelCase() {
		List<Alert> alerts = this.db.fetchMany(Alert.class, "SELECT * FROM alerts WHERE tenant_id = $1 ORDER BY id", "t1");
		assertThat(alerts).containsExactly(
				new Alert(1, "t1", OffsetDateTime.parse("2024-01-01T00:00:00Z"), Severity.LOW, List.of("a", "b")),
				new Alert(2, "t1", OffsetDateTime.parse("2024-02-01T00:00:00Z"), Severity.HIGH, List.of()));
		assertThat(this.db.fetchOne(Alert.class, "SELECT * FROM alerts WHERE id = $1", 3L).orElseThrow().severity())
			.isEqualTo(Severity.HIGH);
		assertThat(this.db.fetchOne(Alert.class, "SELECT * FROM alerts WHERE id = $1", 99L)).isEmpty();
	}

	@Test
	void componentsConvertLosslessly() {
		Summary summary = this.db.fetchOne(Summary.class, """
				SELECT tenant_id, count(*)::int AS count, max(created_at) AS latest FROM alerts
				WHERE tenant_id = $1 GROUP BY tenant_id""", "t1").orElseThrow();
		assertThat(summary).isEqualTo(new Summary("t1", 2, Instant.parse("2024-02-01T00:00:00Z")));
	}

	@Test
	void beansAreFilledThroughSetters() {
		AlertBean bean = this.db.fetchOne(AlertBean.class, "SELECT id, tenant_id, 'ignored' AS other FROM alerts WHERE id = 3")
			.orElseThrow();
		assertThat(bean.id).isEqualTo(3);
		assertThat(bean.tenantId).isEqualTo("t2");
	}

	@Test
	void singleColumnQueriesReadAsTheirType() {
		assertThat(this.db.fetchMany(Long.class, "SELECT id FROM alerts ORDER BY id")).containsExactly(1L, 2L, 3L);
		assertThat(this.db.fetchMany(Severity.class, "SELECT DISTINCT severity FROM alerts ORDER BY 1"))
			.containsExactly(Severity.LOW, Severity.HIGH);
		assertThat(this.db.fetchValue(Long.class, "SELECT count(*) FROM alerts WHERE tenant_id = $1", "t1")).contains(2L);
		assertThat(this.db.fetchValue(UUID.class, "SELECT NULL::uuid")).isEmpty();
		assertThat(this.db.fetchValue(String.class, "SELECT tenant_id, id FROM alerts WHERE id = 3")).contains("t2");
		assertThat(this.db.fetchValue(long.class, "SELECT 5")).contains(5L);
	}

	@Test
	void mismatchesAreErrorsNamingTheColumn() {
		assertThatExceptionOfType(InvalidDataAccessApiUsageException.class)
			.isThrownBy(() -> this.db.fetchMany(MissingColumn.class, "SELECT id FROM alerts"))
			.withMessageContaining("notThere")
			.withMessageContaining("not_there");
		assertThatExceptionOfType(TypeMismatchDataAccessException.class)
			.isThrownBy(() -> this.db.fetchMany(NeedsPrimitive.class, "SELECT severity_number FROM alerts ORDER BY id"))
			.withMessageContaining("'severity_number' is NULL");
		assertThatExceptionOfType(TypeMismatchDataAccessException.class)
			.isThrownBy(() -> this.db.fetchOne(Long.class, "SELECT tenant_id FROM alerts WHERE id = 1"))
			.withMessageContaining("'tenant_id'");
		assertThatExceptionOfType(InvalidDataAccessApiUsageException.class)
			.isThrownBy(() -> this.db.fetchMany(Long.class, "SELECT id, tenant_id FROM alerts"))
			.withMessageContaining("one column");
	}

	@Test
	void aTypeNoRowCanBeMappedToIsAnIllegalArgument() {
		// The type argument is wrong whatever the result holds: refused as an illegal argument, before
		// the statement is sent.
		assertThatIllegalArgumentException().isThrownBy(() -> this.db.fetchMany(NoRow.class, "SELECT id FROM nowhere"))
			.withMessageStartingWith(NoRow.class.getName() + " cannot be mapped from a row");
	}

	@Test
	void typedCallsWorkInsideTransactions() {
		List<Long> ids = this.db.transaction((tx) -> tx.fetchMany(Long.class, "SELECT id FROM alerts WHERE id < $1", 3L));
		assertThat(ids).containsExactlyInAnyOrder(1L, 2L);
		Map<String, Object> row = this.db.transaction((tx) -> tx.fetchOne("SELECT 1 AS one").orElseThrow());
		assertThat(row).containsEntry("one", 1);
	}

}
