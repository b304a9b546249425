package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * The transaction the server has open on a connection, as pgjdbc read it from the server's last
 * ReadyForQuery (so knowing costs no round trip), and the rollback that ends it. Works in autocommit
 * too, where {@link Connection#rollback()} refuses to run.
 */
final class ServerTransaction {

	private static final String ROLLBACK = "ROLLBACK";

	private ServerTransaction() {
	}

	/** {@link TransactionState#OPEN} or {@link TransactionState#FAILED}, or null when the server is idle. */
	static @Nullable TransactionState on(Connection connection) throws SQLException {
		TransactionState state = connection.unwrap(BaseConnection.class).getTransactionState();
		return (state != TransactionState.IDLE) ? state : null;
	}

	static void rollBack(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(ROLLBACK);
		}
	}

}
