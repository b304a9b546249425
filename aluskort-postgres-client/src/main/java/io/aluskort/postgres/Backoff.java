package io.aluskort.postgres;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pause before a retry: random below a ceiling that doubles with each attempt, up to a cap.
 *
 * <p>The randomness ("jitter") keeps the clients that failed together from retrying in step. With
 * {@linkplain #fullJitter full jitter} a pause lies anywhere between zero and the ceiling; with
 * {@linkplain #equalJitter equal jitter} in its upper half, for a caller that must never retry at once.
 */
final class Backoff {

	private final long baseMillis;

	private final long maxMillis;

	/** Whether a pause is at least half its ceiling. */
	private final boolean halfFloor;

	private Backoff(Duration base, Duration max, boolean halfFloor) {
		if (base.toMillis() <= 0 || max.compareTo(base) < 0) {
			throw new IllegalArgumentException("A backoff needs 0 ms < base <= max, not " + base + " and " + max);
		}
		this.baseMillis = base.toMillis();
		this.maxMillis = max.toMillis();
		this.halfFloor = halfFloor;
	}

	/** Pauses between zero and {@code base} doubled per attempt, at most {@code max}. */
	static Backoff fullJitter(Duration base, Duration max) {
		return new Backoff(base, max, false);
	}

	/** Pauses between half and all of {@code base} doubled per attempt, at most {@code max}. */
	static Backoff equalJitter(Duration base, Duration max) {
		return new Backoff(base, max, true);
	}

	/**
	 * A random pause in whole milliseconds.
	 * @param attempt how many retries came before this one: 0 for the first
	 */
	long pauseMillis(int attempt) {
		long ceiling = ceilingMillis(attempt);
		long floor = this.halfFloor ? ceiling / 2 : 0;
		return floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1);
	}

	/** {@code base} doubled {@code attempt} times, at most {@code max}; doubling stops before it overflows. */
	long ceilingMillis(int attempt) {
		int doublings = Math.min(Math.max(attempt, 0), Long.numberOfLeadingZeros(this.baseMillis) - 1);
		return Math.min(this.maxMillis, this.baseMillis << doublings);
	}

}
