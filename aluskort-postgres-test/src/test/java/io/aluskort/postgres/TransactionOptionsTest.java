package io.aluskort.postgres;

import java.time.Duration;

import io.aluskort.postgres.TransactionOptions.Isolation;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.transaction.TransactionTimedOutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@PostgresTest
class TransactionOptionsTest {

	private final PostgresClient db;

	TransactionOptionsTest(PostgresClient db) {
		this.db = db;
	}

	private String setting(Transaction tx, String name) {
		return tx.fetchValue(String.class, "SELECT current_setting($1)", name).orElseThrow();
	}

	@Test
	void isolationReadOnlyAndDeferrableReachTheServer() {
		TransactionOptions report = TransactionOptions.defaults()
			.isolation(Isolation.SERIALIZABLE)
			.readOnly(true)
			.deferrable(true);
		this.db.transaction(report, (tx) -> {
			assertThat(setting(tx, "transaction_isolation")).isEqualTo("serializable");
			assertThat(setting(tx, "transaction_read_only")).isEqualTo("on");
			assertThat(setting(tx, "transaction_deferrable")).isEqualTo("on");
			return null;
		});
		this.db.transaction(TransactionOptions.defaults().isolation(Isolation.REPEATABLE_READ), (tx) -> {
			assertThat(setting(tx, "transaction_isolation")).isEqualTo("repeatable read");
			assertThat(setting(tx, "transaction_read_only")).isEqualTo("off");
			return null;
		});
		// The pooled connection comes back to the defaults.
		this.db.transaction((tx) -> {
			assertThat(setting(tx, "transaction_isolation")).isEqualTo("read committed");
			assertThat(setting(tx, "transaction_read_only")).isEqualTo("off");
			return null;
		});
	}

	@Test
	void readOnlyRefusesWrites() {
		this.db.execute("CREATE TABLE IF NOT EXISTS guarded (n int)");
		assertThatExceptionOfType(org.springframework.dao.DataAccessException.class)
			.isThrownBy(() -> this.db.transaction(TransactionOptions.defaults().readOnly(true),
					(tx) -> tx.execute("INSERT INTO guarded VALUES (1)")))
			.satisfies((ex) -> assertThat(((java.sql.SQLException) ex.getCause()).getSQLState()).isEqualTo("25006"));
	}

	@Test
	void timeoutLimitsStatementsAndTheWholeTransaction() {
		TransactionOptions quick = TransactionOptions.defaults().timeout(Duration.ofMillis(900));
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> this.db.transaction(quick, (tx) -> tx.execute("SELECT pg_sleep(5)")));
		assertThatExceptionOfType(TransactionTimedOutException.class).isThrownBy(() -> this.db.transaction(quick, (tx) -> {
			tx.execute("SELECT pg_sleep(0.6)");
			tx.execute("SELECT pg_sleep(0.6)");
			return tx.execute("SELECT 1");
		}));
		assertThat(this.db.fetchValue(String.class, "SELECT current_setting('statement_timeout')")).contains("30s");
	}

	@Test
	void contradictoryOptionsAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.db.transaction(TransactionOptions.defaults().deferrable(true), (tx) -> null))
			.withMessageContaining("SERIALIZABLE");
		assertThatIllegalArgumentException().isThrownBy(() -> TransactionOptions.defaults().timeout(Duration.ZERO));
	}

	@Test
	void perCallStatementTimeoutOverride(PostgresDatabase database) {
		PostgresOperations patient = this.db.withStatementTimeout(Duration.ofMillis(200));
		assertThatExceptionOfType(QueryTimeoutException.class).isThrownBy(() -> patient.execute("SELECT pg_sleep(3)"));
		assertThat(patient.fetchValue(String.class, "SELECT current_setting('statement_timeout')")).contains("200ms");
		assertThat(patient.execute("SELECT pg_sleep(0.01)").tag()).isEqualTo("SELECT 1");
		assertThat(this.db.fetchValue(String.class, "SELECT current_setting('statement_timeout')")).contains("30s");
		try (var rows = patient.stream("SELECT current_setting('statement_timeout') AS t")) {
			assertThat(rows.findFirst().orElseThrow()).containsEntry("t", "200ms");
		}
	}

}
