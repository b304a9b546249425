package io.aluskort.postgres;

import java.time.Duration;

import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A timeout shorter than a millisecond, the unit of {@code statement_timeout}, is rounded up to one:
 * truncated, it would be {@code statement_timeout = 0}, which turns the timeout off.
 */
@PostgresTest
class SubMillisecondTimeoutTest {

	private static final Duration HALF_A_MILLISECOND = Duration.ofNanos(500_000);

	private final PostgresClient db;

	SubMillisecondTimeoutTest(PostgresClient db) {
		this.db = db;
	}

	@Test
	void withStatementTimeoutUnderOneMillisecondStillLimitsStatements() {
		// Asserted through a statement that outlasts 1 ms, not through SHOW, which might itself take longer on
		// a busy machine.
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> this.db.withStatementTimeout(HALF_A_MILLISECOND).execute("SELECT pg_sleep(1)"));
		assertThat(this.db.fetchValue(String.class, "SELECT current_setting('statement_timeout')")).contains("30s");
	}

	@Test
	void timeoutJustOverAWholeMillisecondIsRoundedUp() {
		PostgresOperations view = this.db.withStatementTimeout(Duration.ofMillis(250).plusNanos(1));
		assertThat(view.fetchValue(String.class, "SELECT current_setting('statement_timeout')")).contains("251ms");
	}

	@Test
	void transactionTimeoutUnderOneMillisecondStillLimitsStatements() {
		TransactionOptions options = TransactionOptions.defaults().timeout(Duration.ofNanos(1));
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> this.db.transaction(options, (tx) -> tx.execute("SELECT pg_sleep(1)")));
		assertThat(this.db.fetchValue(String.class, "SELECT current_setting('statement_timeout')")).contains("30s");
	}

	@Test
	void transactionTimeoutIsSetInWholeMillisecondsRoundedUp() {
		TransactionOptions options = TransactionOptions.defaults().timeout(Duration.ofMillis(1500).plusNanos(10));
		String setting = this.db.transaction(options,
				(tx) -> tx.fetchValue(String.class, "SELECT current_setting('statement_timeout')").orElseThrow());
		assertThat(setting).isEqualTo("1501ms");
	}

}
