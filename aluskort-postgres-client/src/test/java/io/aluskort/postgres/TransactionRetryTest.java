package io.aluskort.postgres;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TransactionRetryTest {

	@Test
	void conflictsAreRetriedUpToTheLimitThenSurface() {
		AtomicInteger attempts = new AtomicInteger();
		assertThatExceptionOfType(CannotAcquireLockException.class).isThrownBy(() -> TransactionRetry.run(3, () -> {
			attempts.incrementAndGet();
			throw new CannotAcquireLockException("conflict", new SQLException("could not serialize", "40001"));
		}));
		assertThat(attempts).hasValue(4);
	}

	@Test
	void aDeadlockIsRetriedAndTheNextAttemptsAnswerReturned() {
		AtomicInteger attempts = new AtomicInteger();
		String result = TransactionRetry.run(2, () -> {
			if (attempts.incrementAndGet() == 1) {
				throw new PessimisticLockingFailureException("deadlock", new SQLException("deadlock", "40P01"));
			}
			return "done";
		});
		assertThat(result).isEqualTo("done");
		assertThat(attempts).hasValue(2);
	}

	@Test
	void otherFailuresAndUnknownOutcomesAreNeverRetried() {
		AtomicInteger attempts = new AtomicInteger();
		assertThatExceptionOfType(DataIntegrityViolationException.class).isThrownBy(() -> TransactionRetry.run(5, () -> {
			attempts.incrementAndGet();
			throw new DataIntegrityViolationException("dup", new SQLException("dup", "23505"));
		}));
		assertThatExceptionOfType(TransactionOutcomeUnknownException.class)
			.isThrownBy(() -> TransactionRetry.run(5, () -> {
				attempts.incrementAndGet();
				// Even one whose cause looks like a conflict.
				throw new TransactionOutcomeUnknownException("lost", new SQLException("x", "40001"));
			}));
		assertThat(attempts).hasValue(2);
	}

	@Test
	void backoffIsJitteredAndBounded() {
		for (int attempt = 0; attempt < 40; attempt++) {
			long ceiling = Math.min(500, 5L << Math.min(attempt, 20));
			for (int i = 0; i < 50; i++) {
				assertThat(TransactionRetry.BACKOFF.pauseMillis(attempt)).isBetween(0L, ceiling);
			}
		}
	}

	@Test
	void retriesMustNotBeNegative() {
		assertThat(TransactionOptions.defaults().retries()).isZero();
		assertThat(TransactionOptions.defaults().retries(3).retries()).isEqualTo(3);
		assertThatIllegalArgumentException().isThrownBy(() -> TransactionOptions.defaults().retries(-1));
	}

}
