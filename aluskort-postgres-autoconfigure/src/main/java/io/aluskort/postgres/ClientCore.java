package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * What every view of one client shares: the translated statements, the JSON codec, exception
 * translation and the call listener; and the one way a call gets its connection and gives it back.
 */
final class ClientCore {

	private static final Logger logger = LoggerFactory.getLogger(PostgresClient.class);

	final SqlCache sqlCache = new SqlCache(SqlCache.DEFAULT_CAPACITY);

	final @Nullable JsonCodec jsonCodec;

	private final SQLExceptionTranslator translator = new SQLExceptionSubclassTranslator();

	private final @Nullable CallListener callListener;

	ClientCore(@Nullable JsonCodec jsonCodec, @Nullable CallListener callListener) {
		this.jsonCodec = jsonCodec;
		this.callListener = callListener;
	}

	/**
	 * Runs the work on the connection of the current transaction, or on one borrowed for it, and
	 * translates what the driver throws.
	 */
	<R> R run(DataSource dataSource, String operation, String sql, ConnectionWork<R> work) {
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try {
			return work.doWith(connection);
		}
		catch (SQLException ex) {
			throw translate(operation, sql, ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

	DataAccessException translate(String operation, String sql, SQLException ex) {
		if (logger.isDebugEnabled()) {
			logger.debug("{} failed with SQLState {} ({})", operation, ex.getSQLState(), ex.getClass().getSimpleName());
		}
		DataAccessException translated = this.translator.translate(operation, sql, ex);
		return (translated != null) ? translated : new UncategorizedSQLException(operation, sql, ex);
	}

	/** A start time when a listener wants to know, else 0 with no clock read. */
	long startTiming() {
		return (this.callListener != null) ? System.nanoTime() : 0L;
	}

	/** Tells the listener; a listener's failure must never become the call's. */
	void completed(String operation, long start, @Nullable Throwable failure) {
		CallListener listener = this.callListener;
		if (listener == null) {
			return;
		}
		try {
			listener.callCompleted(operation, System.nanoTime() - start, failure);
		}
		catch (RuntimeException ex) {
			logger.warn("CallListener {} failed", listener.getClass().getName(), ex);
		}
	}

}
