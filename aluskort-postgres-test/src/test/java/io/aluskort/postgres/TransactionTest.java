package io.aluskort.postgres;

import java.util.concurrent.atomic.AtomicReference;

import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DuplicateKeyException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@PostgresTest
class TransactionTest {

	private final PostgresClient db;

	TransactionTest(PostgresClient db) {
		this.db = db;
	}

	@BeforeEach
	void schema() {
		this.db.execute("DROP TABLE IF EXISTS alerts");
		this.db.execute("CREATE TABLE alerts (id bigint PRIMARY KEY, severity int)");
		this.db.execute("INSERT INTO alerts VALUES (42, 1)");
	}

	private long count() {
		return (Long) this.db.fetchOne("SELECT count(*) AS n FROM alerts").orElseThrow().get("n");
	}

	@Test
	void commitsWhenTheCallbackReturns() {
		long id = this.db.transaction((tx) -> {
			tx.execute("UPDATE alerts SET severity = $1 WHERE id = $2", 5, 42L);
			return (Long) tx.fetchOne("SELECT id FROM alerts WHERE id = $1", 42L).orElseThrow().get("id");
		});
		assertThat(id).isEqualTo(42L);
		assertThat(this.db.fetchOne("SELECT severity FROM alerts WHERE id = 42").orElseThrow())
			.containsEntry("severity", 5);
	}

	@Test
	void rollsBackAndRethrowsTheSameExceptionWhenTheCallbackThrows() {
		IllegalStateException failure = new IllegalStateException("boom");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.db.transaction((tx) -> {
			tx.execute("INSERT INTO alerts VALUES (1, 1)");
			throw failure;
		})).isSameAs(failure);
		assertThat(count()).isEqualTo(1);
	}

	@Test
	void rollsBackWhenAStatementFails() {
		assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> this.db.transaction((tx) -> {
			tx.execute("INSERT INTO alerts VALUES (2, 1)");
			return tx.execute("INSERT INTO alerts VALUES (42, 1)");
		}));
		assertThat(count()).isEqualTo(1);
	}

	@Test
	void everyStatementRunsOnOneConnection() {
		this.db.transaction((tx) -> {
			Object pid = tx.fetchOne("SELECT pg_backend_pid() AS pid").orElseThrow().get("pid");
			for (int i = 0; i < 5; i++) {
				assertThat(tx.fetchOne("SELECT pg_backend_pid() AS pid").orElseThrow()).containsEntry("pid", pid);
			}
			assertThat(tx.fetchOne("SELECT now() = statement_timestamp() AS fresh").orElseThrow())
				.containsEntry("fresh", false);
			return null;
		});
	}

	@Test
	void nestedTransactionIsASavepointWhoseFailureUndoesOnlyItsOwnWork() {
		this.db.transaction((tx) -> {
			tx.execute("INSERT INTO alerts VALUES (1, 1)");
			assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> this.db.transaction((inner) -> {
				inner.execute("INSERT INTO alerts VALUES (2, 2)");
				throw new IllegalArgumentException("inner fails");
			}));
			this.db.transaction((inner) -> inner.execute("INSERT INTO alerts VALUES (3, 3)"));
			return null;
		});
		assertThat(this.db.fetchMany("SELECT id FROM alerts ORDER BY id")).extracting((row) -> row.get("id"))
			.containsExactly(1L, 3L, 42L);
	}

	@Test
	void clientCallsInsideTheCallbackJoinTheTransaction() {
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.db.transaction((tx) -> {
			this.db.execute("INSERT INTO alerts VALUES (7, 7)");
			throw new IllegalStateException("undo");
		}));
		assertThat(count()).isEqualTo(1);
	}

	@Test
	void transactionCannotBeUsedAfterItsCallback() {
		AtomicReference<Transaction> escaped = new AtomicReference<>();
		this.db.transaction((tx) -> {
			escaped.set(tx);
			return null;
		});
		assertThatIllegalStateException().isThrownBy(() -> escaped.get().execute("SELECT 1"))
			.withMessageContaining("transaction has ended");
	}

}
