package io.aluskort.postgres.autoconfigure;

import java.util.Map;

import javax.sql.DataSource;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.autoconfigure.StarterTestApplication.AlertService;
import io.aluskort.postgres.test.spring.AutoConfigureTestPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * With the starter alone, {@code @Transactional} works and {@code PostgresClient} calls join the
 * transaction: a rollback rolls back {@code db.execute} too.
 */
@SpringBootTest(classes = StarterTestApplication.class, properties = "spring.application.name=starter-it")
@AutoConfigureTestPostgres
class TransactionalIntegrationTests {

	@Autowired
	private PostgresClient db;

	@Autowired
	private AlertService alerts;

	@Autowired
	private DataSource dataSource;

	@Autowired
	private PlatformTransactionManager transactionManager;

	@Autowired
	private TransactionTemplate transactionTemplate;

	@BeforeEach
	void createTable() {
		this.db.execute("CREATE TABLE IF NOT EXISTS alerts (id bigserial PRIMARY KEY, tenant_id text NOT NULL UNIQUE)");
		this.db.execute("TRUNCATE alerts");
	}

	@Test
	void thePoolIsTheApplicationsDataSourceWithItsTransactionManager() {
		assertThat(this.dataSource).isSameAs(this.db.dataSource());
		assertThat(this.transactionManager).isInstanceOf(JdbcTransactionManager.class);
		assertThat(((JdbcTransactionManager) this.transactionManager).getDataSource()).isSameAs(this.db.dataSource());
	}

	@Test
	void rollbackOfATransactionalMethodRollsBackDbExecute() {
		assertThatIllegalStateException().isThrownBy(() -> this.alerts.insertThenFail("t1"));
		assertThat(this.db.fetchMany("SELECT * FROM alerts")).isEmpty();
	}

	@Test
	void aFailedStatementRollsBackTheEarlierOnes() {
		assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> this.alerts.insertTwice("t1"));
		assertThat(this.db.fetchMany("SELECT * FROM alerts")).isEmpty();
	}

	@Test
	void transactionTemplateCommitsAndRollsBackTheClientsCalls() {
		this.transactionTemplate.executeWithoutResult((status) -> this.db.execute("INSERT INTO alerts(tenant_id) VALUES ('kept')"));
		this.transactionTemplate.executeWithoutResult((status) -> {
			this.db.execute("INSERT INTO alerts(tenant_id) VALUES ('dropped')");
			status.setRollbackOnly();
		});
		assertThat(this.db.fetchMany("SELECT tenant_id FROM alerts")).extracting((row) -> row.get("tenant_id"))
			.containsExactly("kept");
	}

	@Test
	void applicationNameIsSpringApplicationName() {
		Map<String, Object> row = this.db.fetchOne("SELECT current_setting('application_name') AS name").orElseThrow();
		assertThat(row.get("name")).isEqualTo("starter-it");
	}

}
