package io.aluskort.postgres.autoconfigure.metrics;

import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.aluskort.postgres.CallListener;
import io.aluskort.postgres.Operation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Times every call of a {@link io.aluskort.postgres.PostgresClient} as {@value #METER_NAME}, tagged
 * with the {@code operation} (an {@link Operation#tagValue() Operation's tag value}: {@code execute},
 * {@code fetchOne}, {@code fetchMany}, {@code transaction}, ...) and the {@code outcome}: {@code success},
 * {@code timeout} (the server cancelled the statement at the statement timeout, or no pooled connection
 * came free within the acquire timeout) or {@code error}; and counts as {@value #LEFT_OPEN_METER_NAME},
 * tagged with the {@code operation}, the connections a call gave back with a server transaction still
 * open or failed, which the client rolled back. No SQL, no values, nothing about tenants: the timers
 * are registered up front, so timing a call allocates nothing.
 */
public class PostgresClientMetrics implements CallListener {

	/** Name of the timer. */
	public static final String METER_NAME = "aluskort.postgres.client.calls";

	/** Name of the counter of transactions left open by a call. */
	public static final String LEFT_OPEN_METER_NAME = "aluskort.postgres.client.transactions.left.open";

	/** The outcome tag's values, by index. */
	static final List<String> OUTCOMES = List.of("success", "timeout", "error");

	private static final int SUCCESS = 0;

	private static final int TIMEOUT = 1;

	private static final int ERROR = 2;

	private final MeterRegistry registry;

	/** By operation's ordinal: one timer per outcome. */
	private final Timer[][] timers;

	/**
	 * Registers the timers of every {@link Operation}.
	 * @param registry where to register them
	 */
	public PostgresClientMetrics(MeterRegistry registry) {
		this.registry = registry;
		Operation[] operations = Operation.values();
		this.timers = new Timer[operations.length][];
		for (Operation operation : operations) {
			this.timers[operation.ordinal()] = register(operation);
		}
	}

	private Timer[] register(Operation operation) {
		Timer[] byOutcome = new Timer[OUTCOMES.size()];
		for (int outcome = 0; outcome < byOutcome.length; outcome++) {
			byOutcome[outcome] = Timer.builder(METER_NAME)
				.description("Calls of the PostgresClient")
				.tag("operation", operation.tagValue())
				.tag("outcome", OUTCOMES.get(outcome))
				.register(this.registry);
		}
		return byOutcome;
	}

	@Override
	public void callCompleted(Operation operation, long durationNanos, @Nullable Throwable failure) {
		this.timers[operation.ordinal()][outcome(failure)].record(durationNanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void transactionLeftOpen(Operation operation) {
		Counter.builder(LEFT_OPEN_METER_NAME)
			.description("Connections a call gave back with a server transaction open, rolled back by the client")
			.tag("operation", operation.tagValue())
			.register(this.registry)
			.increment();
	}

	private static int outcome(@Nullable Throwable failure) {
		if (failure == null) {
			return SUCCESS;
		}
		if (failure instanceof QueryTimeoutException) {
			return TIMEOUT;
		}
		if (failure instanceof CannotGetJdbcConnectionException
				&& failure.getCause() instanceof SQLTransientConnectionException) {
			// HikariCP's "Connection is not available, request timed out".
			return TIMEOUT;
		}
		return ERROR;
	}

}
