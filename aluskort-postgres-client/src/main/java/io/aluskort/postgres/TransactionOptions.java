package io.aluskort.postgres;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How {@link PostgresClient#transaction(TransactionOptions, TransactionCallback)} runs its
 * transaction. Immutable; start from {@link #defaults()}:
 *
 * <pre>{@code
 * TransactionOptions report = TransactionOptions.defaults()
 *     .isolation(TransactionOptions.Isolation.SERIALIZABLE).readOnly(true).deferrable(true)
 *     .timeout(Duration.ofMinutes(2));
 * TransactionOptions transfer = TransactionOptions.defaults()
 *     .isolation(TransactionOptions.Isolation.SERIALIZABLE).retries(5);
 * }</pre>
 *
 * Options apply to an outermost transaction. A transaction called inside another one (another
 * {@code transaction} callback, a {@code @Transactional} method, a JPA transaction) is a savepoint of
 * it and has the outer one's settings. There, options a savepoint cannot have are refused, naming them,
 * with Spring's {@code IllegalTransactionStateException} before anything runs: a timeout, deferrable,
 * retries (only the outermost transaction can be run again), and an isolation level or read-only that
 * the running transaction does not already have. {@link #defaults()} is accepted anywhere.
 */
public final class TransactionOptions {

	private static final TransactionOptions DEFAULTS = new TransactionOptions(null, false, false, null, 0);

	/** PostgreSQL's isolation levels ({@code READ UNCOMMITTED} behaves as {@code READ COMMITTED} there). */
	public enum Isolation {

		READ_COMMITTED, REPEATABLE_READ, SERIALIZABLE

	}

	private final @Nullable Isolation isolation;

	private final boolean readOnly;

	private final boolean deferrable;

	private final @Nullable Duration timeout;

	private final int retries;

	private TransactionOptions(@Nullable Isolation isolation, boolean readOnly, boolean deferrable,
			@Nullable Duration timeout, int retries) {
		this.isolation = isolation;
		this.readOnly = readOnly;
		this.deferrable = deferrable;
		this.timeout = timeout;
		this.retries = retries;
	}

	/** The server's default isolation, read-write, not deferrable, no timeout of its own, no retries. */
	public static TransactionOptions defaults() {
		return DEFAULTS;
	}

	public TransactionOptions isolation(Isolation isolation) {
		return new TransactionOptions(Objects.requireNonNull(isolation, "isolation"), this.readOnly, this.deferrable,
				this.timeout, this.retries);
	}

	public TransactionOptions readOnly(boolean readOnly) {
		return new TransactionOptions(this.isolation, readOnly, this.deferrable, this.timeout, this.retries);
	}

	/**
	 * Whether a serializable read-only transaction may wait for a snapshot that can never fail with a
	 * serialization error: for long reports. Needs {@code SERIALIZABLE} and read-only.
	 */
	public TransactionOptions deferrable(boolean deferrable) {
		return new TransactionOptions(this.isolation, this.readOnly, deferrable, this.timeout, this.retries);
	}

	/**
	 * The longest the transaction may take: each statement in it is limited to this by the server
	 * ({@code SET LOCAL statement_timeout}), and a statement started after the deadline fails with
	 * Spring's {@code TransactionTimedOutException}. Whole milliseconds, rounded up, for the
	 * statements; whole seconds, rounded up, for the deadline.
	 */
	public TransactionOptions timeout(Duration timeout) {
		if (timeout.isZero() || timeout.isNegative()) {
			throw new IllegalArgumentException("timeout (" + timeout + ") must be positive");
		}
		return new TransactionOptions(this.isolation, this.readOnly, this.deferrable, timeout, this.retries);
	}

	/**
	 * How many times the whole transaction, callback included, runs again when the server rolls it back
	 * for a serialization failure ({@code 40001}) or a deadlock ({@code 40P01}); 0, the default, for
	 * never. Between attempts the caller sleeps a random time, up to 5 ms doubled per attempt and at
	 * most 500 ms. The callback must have no effects outside the transaction, since it may run several
	 * times. A failure whose outcome is unknown ({@link TransactionOutcomeUnknownException}: the
	 * connection failed during {@code COMMIT}) and every other failure reach the caller at once.
	 */
	public TransactionOptions retries(int retries) {
		if (retries < 0) {
			throw new IllegalArgumentException("retries (" + retries + ") must not be negative");
		}
		return new TransactionOptions(this.isolation, this.readOnly, this.deferrable, this.timeout, retries);
	}

	public @Nullable Isolation isolation() {
		return this.isolation;
	}

	public boolean readOnly() {
		return this.readOnly;
	}

	public boolean deferrable() {
		return this.deferrable;
	}

	public @Nullable Duration timeout() {
		return this.timeout;
	}

	public int retries() {
		return this.retries;
	}

	void validate() {
		if (this.deferrable && (this.isolation != Isolation.SERIALIZABLE || !this.readOnly)) {
			throw new IllegalArgumentException("deferrable needs isolation SERIALIZABLE and readOnly(true)");
		}
	}

	/** The statements that set the options the transaction manager cannot, or null when there are none. */
	@Nullable String setupSql() {
		StringBuilder sql = new StringBuilder();
		if (this.deferrable) {
			sql.append("SET TRANSACTION DEFERRABLE");
		}
		if (this.timeout != null) {
			sql.append((sql.length() > 0) ? "; " : "").append("SET LOCAL statement_timeout = ")
				.append(DriverProperties.ceilMillis(this.timeout));
		}
		return (sql.length() > 0) ? sql.toString() : null;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof TransactionOptions that && this.isolation == that.isolation
				&& this.readOnly == that.readOnly && this.deferrable == that.deferrable
				&& Objects.equals(this.timeout, that.timeout) && this.retries == that.retries);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.isolation, this.readOnly, this.deferrable, this.timeout, this.retries);
	}

	@Override
	public String toString() {
		return "TransactionOptions[isolation=" + this.isolation + ", readOnly=" + this.readOnly + ", deferrable="
				+ this.deferrable + ", timeout=" + this.timeout + ", retries=" + this.retries + "]";
	}

}
