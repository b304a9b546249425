package io.aluskort.postgres;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What one health probe found.
 *
 * @param up whether the server answered {@code SELECT 1} in time
 * @param responseTime how long the probe took
 * @param serverVersion the server's version, for example {@code 17.6}, when it answered
 * @param errorType the simple name of the failure's type when it did not, for example
 * {@code PSQLException} or {@code TimeoutException}
 * @param errorMessage the failure's message: never credentials or bound values
 */
public record HealthStatus(boolean up, Duration responseTime, @Nullable String serverVersion,
		@Nullable String errorType, @Nullable String errorMessage) {

	static HealthStatus up(Duration responseTime, String serverVersion) {
		return new HealthStatus(true, responseTime, serverVersion, null, null);
	}

	static HealthStatus down(Duration responseTime, String errorType, @Nullable String errorMessage) {
		return new HealthStatus(false, responseTime, null, errorType, errorMessage);
	}

}
