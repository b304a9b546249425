package io.aluskort.postgres;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BackoffTest {

	private static final int SAMPLES = 200;

	@Test
	void theCeilingDoublesPerAttemptUpToTheCap() {
		Backoff backoff = Backoff.fullJitter(Duration.ofMillis(5), Duration.ofMillis(500));
		assertThat(backoff.ceilingMillis(0)).isEqualTo(5);
		assertThat(backoff.ceilingMillis(1)).isEqualTo(10);
		assertThat(backoff.ceilingMillis(6)).isEqualTo(320);
		assertThat(backoff.ceilingMillis(7)).isEqualTo(500);
		assertThat(backoff.ceilingMillis(Integer.MAX_VALUE)).isEqualTo(500);
	}

	@Test
	void aFullJitterPauseLiesBetweenZeroAndTheCeiling() {
		Backoff backoff = Backoff.fullJitter(Duration.ofMillis(5), Duration.ofMillis(500));
		for (int attempt = 0; attempt < 70; attempt++) {
			long ceiling = Math.min(500, 5L << Math.min(attempt, 20));
			long lowest = Long.MAX_VALUE;
			for (int i = 0; i < SAMPLES; i++) {
				long pause = backoff.pauseMillis(attempt);
				assertThat(pause).isBetween(0L, ceiling);
				lowest = Math.min(lowest, pause);
			}
			if (attempt >= 4) {
				// Random over the whole range: some pause of so many falls in its lower half.
				assertThat(lowest).isLessThan(ceiling / 2);
			}
		}
	}

	@Test
	void anEqualJitterPauseLiesInTheUpperHalfOfTheCeiling() {
		Backoff backoff = Backoff.equalJitter(Duration.ofMillis(100), Duration.ofSeconds(10));
		for (int attempt = 0; attempt < 70; attempt++) {
			long ceiling = Math.min(10_000, 100L << Math.min(attempt, 20));
			for (int i = 0; i < SAMPLES; i++) {
				assertThat(backoff.pauseMillis(attempt)).isBetween(ceiling / 2, ceiling);
			}
		}
	}

	@Test
	void aLargeCapIsReachedWithoutOverflow() {
		Backoff backoff = Backoff.fullJitter(Duration.ofMillis(1), Duration.ofMillis(Long.MAX_VALUE / 2));
		assertThat(backoff.ceilingMillis(40)).isEqualTo(1L << 40);
		assertThat(backoff.ceilingMillis(1000)).isPositive().isLessThanOrEqualTo(Long.MAX_VALUE / 2);
		assertThat(backoff.pauseMillis(1000)).isNotNegative();
	}

	@Test
	void theBaseMustBePositiveAndAtMostTheCap() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Backoff.fullJitter(Duration.ZERO, Duration.ofMillis(500)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Backoff.equalJitter(Duration.ofSeconds(2), Duration.ofSeconds(1)));
		assertThat(Backoff.fullJitter(Duration.ofMillis(7), Duration.ofMillis(7)).ceilingMillis(3)).isEqualTo(7);
	}

}
