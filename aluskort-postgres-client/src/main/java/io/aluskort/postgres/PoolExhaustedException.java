package io.aluskort.postgres;

import java.sql.SQLException;
import java.time.Duration;

import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Every connection of the pool was in use for the whole acquire timeout: the server is fine, the client
 * has more work in flight than {@code maxSize} connections carry (or something holds connections it
 * no longer uses). A call waits at most {@code acquireTimeout} before it gets this.
 */
public class PoolExhaustedException extends CannotGetJdbcConnectionException {

	private final int maxSize;

	private final Duration acquireTimeout;

	/**
	 * @param cause the pool's own timeout, which also counts the waiting callers
	 */
	public PoolExhaustedException(int maxSize, Duration acquireTimeout, SQLException cause) {
		super("Connection pool exhausted: all " + maxSize + " connections (maxSize) were in use and none came free "
				+ "within the acquire timeout of " + acquireTimeout.toMillis() + " ms. Raise maxSize, keep "
				+ "transactions short, or look for connections that are never given back (leakDetectionThreshold)",
				cause);
		this.maxSize = maxSize;
		this.acquireTimeout = acquireTimeout;
	}

	/** The size of the pool, all of it in use. */
	public int maxSize() {
		return this.maxSize;
	}

	/** How long the caller waited. */
	public Duration acquireTimeout() {
		return this.acquireTimeout;
	}

}
