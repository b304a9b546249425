package io.aluskort.postgres;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.aluskort.postgres.TransactionOptions.Isolation;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@code transaction(options, …)} inside a running transaction is a savepoint: options it cannot have
 * are refused, naming them, and nothing runs; options the running transaction has, and the defaults,
 * are accepted.
 */
@PostgresTest
class NestedTransactionOptionsTest {

	private static final TransactionOptions DEFAULTS = TransactionOptions.defaults();

	private final PostgresClient db;

	private final AtomicInteger nestedRuns = new AtomicInteger();

	NestedTransactionOptionsTest(PostgresClient db) {
		this.db = db;
	}

	@BeforeEach
	void schema() {
		this.db.execute("DROP TABLE IF EXISTS entries");
		this.db.execute("CREATE TABLE entries (note text)");
	}

	private List<String> notes() {
		return this.db.fetchMany(String.class, "SELECT note FROM entries ORDER BY note");
	}

	/** Calls a nested transaction with the options inside the running one; it would write a row. */
	private void nested(TransactionOptions options) {
		this.db.transaction(options, (tx) -> {
			this.nestedRuns.incrementAndGet();
			return tx.execute("INSERT INTO entries VALUES ('nested')");
		});
	}

	private void assertRefused(TransactionOptions options, String... named) {
		assertThatExceptionOfType(IllegalTransactionStateException.class).isThrownBy(() -> nested(options))
			.withMessageContaining("inside a running transaction")
			.withMessageContainingAll(named);
	}

	@Test
	void insideTheClientsTransactionOptionsASavepointCannotHaveAreRefused() {
		this.db.transaction((tx) -> {
			tx.execute("INSERT INTO entries VALUES ('outer')");
			assertRefused(DEFAULTS.timeout(Duration.ofSeconds(2)), "timeout PT2S");
			assertRefused(DEFAULTS.isolation(Isolation.SERIALIZABLE), "isolation SERIALIZABLE", "the server's default");
			assertRefused(DEFAULTS.readOnly(true), "readOnly");
			assertRefused(DEFAULTS.isolation(Isolation.SERIALIZABLE).readOnly(true).deferrable(true),
					"isolation SERIALIZABLE", "readOnly", "deferrable");
			assertRefused(DEFAULTS.retries(3), "retries 3");
			assertRefused(DEFAULTS.timeout(Duration.ofMillis(500)).retries(1), "timeout PT0.5S", "retries 1");
			// Refused before anything ran: the outer transaction goes on and commits.
			tx.execute("INSERT INTO entries VALUES ('after')");
			return null;
		});
		assertThat(this.nestedRuns).hasValue(0);
		assertThat(notes()).containsExactly("after", "outer");
	}

	@Test
	void insideTheClientsTransactionTheDefaultsAreASavepoint() {
		this.db.transaction((tx) -> {
			assertThatIllegalStateException().isThrownBy(() -> this.db.transaction(DEFAULTS, (inner) -> {
				inner.execute("INSERT INTO entries VALUES ('rolled back')");
				throw new IllegalStateException("the savepoint is rolled back");
			}));
			nested(DEFAULTS);
			return null;
		});
		assertThat(notes()).containsExactly("nested");
	}

	@Test
	void optionsTheRunningTransactionHasAreAccepted() {
		TransactionOptions report = DEFAULTS.isolation(Isolation.SERIALIZABLE).readOnly(true);
		String isolation = this.db.transaction(report, (tx) -> this.db.transaction(report,
				(inner) -> inner.fetchValue(String.class, "SELECT current_setting('transaction_isolation')")
					.orElseThrow()));
		assertThat(isolation).isEqualTo("serializable");
		this.db.transaction(DEFAULTS.isolation(Isolation.REPEATABLE_READ), (tx) -> {
			nested(DEFAULTS.isolation(Isolation.REPEATABLE_READ));
			assertRefused(DEFAULTS.isolation(Isolation.SERIALIZABLE), "isolation SERIALIZABLE", "REPEATABLE_READ");
			assertRefused(DEFAULTS.isolation(Isolation.REPEATABLE_READ).readOnly(true), "readOnly");
			return null;
		});
		assertThat(notes()).containsExactly("nested");
	}

	@Test
	void insideASpringTransactionOnThePoolOptionsAreCheckedTheSameWay() {
		TransactionTemplate spring = new TransactionTemplate(new JdbcTransactionManager(this.db.dataSource()));
		spring.executeWithoutResult((status) -> {
			this.db.execute("INSERT INTO entries VALUES ('spring')");
			assertRefused(DEFAULTS.timeout(Duration.ofSeconds(1)), "timeout PT1S");
			assertRefused(DEFAULTS.retries(2), "retries 2");
			nested(DEFAULTS);
		});
		spring.setIsolationLevel(TransactionDefinition.ISOLATION_SERIALIZABLE);
		spring.setReadOnly(true);
		spring.executeWithoutResult((status) -> {
			assertRefused(DEFAULTS.isolation(Isolation.SERIALIZABLE).readOnly(true).deferrable(true), "deferrable");
			String readOnly = this.db.transaction(DEFAULTS.isolation(Isolation.SERIALIZABLE).readOnly(true),
					(tx) -> tx.fetchValue(String.class, "SELECT current_setting('transaction_read_only')").orElseThrow());
			assertThat(readOnly).isEqualTo("on");
		});
		assertThat(this.nestedRuns).hasValue(1);
		assertThat(notes()).containsExactly("nested", "spring");
	}

}
