package io.aluskort.postgres.autoconfigure.metrics;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.aluskort.postgres.CallListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Times every call of a {@link io.aluskort.postgres.PostgresClient} as {@value #METER_NAME}, tagged
 * with the {@code operation} (one of {@link CallListener}'s names: {@code execute}, {@code fetchOne},
 * {@code fetchMany}, {@code transaction}, ...) and the {@code outcome}: {@code success},
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

	/** By operation: one timer per outcome. */
	private final Map<String, Timer[]> timers = new ConcurrentHashMap<>();

	/**
	 * Registers the timers of every operation {@link CallListener} names.
	 * @param registry where to register them
	 */
	public PostgresClientMetrics(MeterRegistry registry) {
		this.registry = registry;
		for (String operation : operations()) {
			this.timers.put(operation, register(operation));
		}
	}

	/** The operation names that {@link CallListener} declares. */
	static List<String> operations() {
		List<String> operations = new ArrayList<>();
		for (Field field : CallListener.class.getFields()) {
			if (field.getType() == String.class && Modifier.isStatic(field.getModifiers())) {
				try {
					operations.add((String) field.get(null));
				}
				catch (IllegalAccessException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
		return operations;
	}

	private Timer[] register(String operation) {
		Timer[] byOutcome = new Timer[OUTCOMES.size()];
		for (int outcome = 0; outcome < byOutcome.length; outcome++) {
			byOutcome[outcome] = Timer.builder(METER_NAME)
				.description("Calls of the PostgresClient")
				.tag("operation", operation)
				.tag("outcome", OUTCOMES.get(outcome))
				.register(this.registry);
		}
		return byOutcome;
	}

	@Override
	public void callCompleted(String operation, long durationNanos, @Nullable Throwable failure) {
		Timer[] byOutcome = this.timers.get(operation);
		if (byOutcome == null) {
			// An operation newer than this class knew of: the client's names are few and fixed.
			byOutcome = this.timers.computeIfAbsent(operation, this::register);
		}
		byOutcome[outcome(failure)].record(durationNanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void transactionLeftOpen(String operation) {
		Counter.builder(LEFT_OPEN_METER_NAME)
			.description("Connections a call gave back with a server transaction open, rolled back by the client")
			.tag("operation", operation)
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
