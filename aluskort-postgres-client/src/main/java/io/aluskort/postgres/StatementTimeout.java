package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

/**
 * A view's own statement timeout, set at the start of each of its calls with
 * {@code SET LOCAL statement_timeout}, which lasts until the transaction the call runs in ends.
 */
final class StatementTimeout {

	private static final Object[] NO_ARGS = {};

	private final Duration duration;

	private final String setup;

	private StatementTimeout(Duration duration) {
		this.duration = duration;
		this.setup = "SET LOCAL statement_timeout = " + DriverProperties.ceilMillis(duration);
	}

	/**
	 * @throws IllegalArgumentException when the timeout is zero or negative
	 */
	static StatementTimeout of(Duration statementTimeout) {
		Objects.requireNonNull(statementTimeout, "statementTimeout");
		if (statementTimeout.isZero() || statementTimeout.isNegative()) {
			throw new IllegalArgumentException("statementTimeout (" + statementTimeout + ") must be positive");
		}
		return new StatementTimeout(statementTimeout);
	}

	/**
	 * Sets the timeout on a connection in a transaction, after lengthening the socket timeout when the
	 * statement timeout is longer than the client's.
	 */
	void apply(Connection connection, ClientCore core) throws SQLException {
		core.allowStatementTimeout(connection, this.duration);
		StatementRunner.execute(connection, core.sqlCache.get(this.setup), NO_ARGS, null);
	}

}
