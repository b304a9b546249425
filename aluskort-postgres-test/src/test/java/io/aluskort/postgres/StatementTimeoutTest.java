package io.aluskort.postgres;

import java.time.Duration;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@PostgresTest
class StatementTimeoutTest {

	private PostgresClient client;

	@BeforeEach
	void connect(PostgresDatabase database) {
		this.client = new PostgresClient(database.clientConfig()
			.statementTimeout(Duration.ofMillis(300))
			.minSize(1)
			.maxSize(1)
			.applicationName("timeouts")
			.build());
		this.client.connect();
	}

	@AfterEach
	void close() {
		this.client.close();
	}

	@Test
	void serverCancelsTheStatementAndTheConnectionStaysUsable(PostgresClient observer) {
		Object pid = this.client.fetchOne("SELECT pg_backend_pid() AS pid").orElseThrow().get("pid");
		long start = System.nanoTime();
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> this.client.execute("SELECT pg_sleep(30)"))
			.satisfies((ex) -> assertThat(((java.sql.SQLException) ex.getCause()).getSQLState()).isEqualTo("57014"));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(observer.fetchMany("SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1",
				"SELECT pg_sleep(30)%")).isEmpty();
		// maxSize 1: the same physical connection serves the next call, unharmed.
		assertThat(this.client.fetchOne("SELECT pg_backend_pid() AS pid").orElseThrow()).containsEntry("pid", pid);
	}

	@Test
	void timeoutInsideATransactionRollsItBack() {
		this.client.execute("CREATE TABLE IF NOT EXISTS touched (id int)");
		assertThatExceptionOfType(QueryTimeoutException.class).isThrownBy(() -> this.client.transaction((tx) -> {
			tx.execute("INSERT INTO touched VALUES (1)");
			return tx.execute("SELECT pg_sleep(30)");
		}));
		assertThat(this.client.fetchOne("SELECT count(*) AS n FROM touched").orElseThrow()).containsEntry("n", 0L);
		assertThat(this.client.fetchOne("SELECT pg_current_xact_id_if_assigned() IS NULL AS idle").orElseThrow())
			.containsEntry("idle", true);
	}

	@Test
	void theNextBorrowerOfTheConnectionFindsItClean(PostgresClient observer) {
		this.client.execute("CREATE TABLE IF NOT EXISTS kept (id int)");
		int pid = this.client.fetchValue(Integer.class, "SELECT pg_backend_pid()").orElseThrow();
		assertThatExceptionOfType(QueryTimeoutException.class).isThrownBy(() -> this.client.transaction((tx) -> {
			tx.execute("INSERT INTO kept VALUES (1)");
			return tx.execute("SELECT pg_sleep(30)");
		}));
		// maxSize 1: the same backend, neither aborted ("current transaction is aborted") nor left in a transaction.
		assertThat(observer.fetchValue(String.class, "SELECT state FROM pg_stat_activity WHERE pid = $1", pid))
			.contains("idle");
		assertThat(this.client.fetchValue(Integer.class, "SELECT pg_backend_pid()")).contains(pid);
		assertThat(this.client.fetchValue(Long.class, "SELECT count(*) FROM kept")).contains(0L);
		// A timeout in a nested transaction undoes its savepoint only; the outer one commits.
		this.client.transaction((tx) -> {
			tx.execute("INSERT INTO kept VALUES (2)");
			assertThatExceptionOfType(QueryTimeoutException.class)
				.isThrownBy(() -> this.client.transaction((inner) -> inner.execute("SELECT pg_sleep(30)")));
			return tx.execute("INSERT INTO kept VALUES (3)");
		});
		assertThat(this.client.fetchMany(Integer.class, "SELECT id FROM kept ORDER BY id")).containsExactly(2, 3);
		assertThat(this.client.fetchValue(Integer.class, "SELECT pg_backend_pid()")).contains(pid);
	}

}
