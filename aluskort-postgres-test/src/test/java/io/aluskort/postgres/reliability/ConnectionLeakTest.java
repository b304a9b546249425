package io.aluskort.postgres.reliability;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A caller that never gives its connection back (here a stream it never closes) is reported in the log
 * with the stack of the code that borrowed it, and {@code close()} still ends within its drain timeout.
 */
@PostgresTest
class ConnectionLeakTest {

	private static final String SCENARIO = "7. connection leak";

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private Logger hikari;

	@BeforeEach
	void captureThePoolsWarnings() {
		this.hikari = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("com.zaxxer.hikari");
		this.appender.start();
		this.hikari.addAppender(this.appender);
	}

	@AfterEach
	void stopCapturing() {
		this.hikari.detachAppender(this.appender);
	}

	@Test
	void aLeakIsReportedWithItsStackAndCloseStillEndsInTime(PostgresDatabase database) {
		Duration shutdownTimeout = Duration.ofSeconds(1);
		PostgresClient client = new PostgresClient(database.clientConfig()
			.minSize(1)
			.maxSize(2)
			.leakDetectionThreshold(Duration.ofSeconds(2))
			.shutdownTimeout(shutdownTimeout)
			.build());
		client.connect();
		Stream<Map<String, Object>> leaked = leakAStream(client);
		assertThat(leaked).isNotNull();
		await().atMost(Duration.ofSeconds(10)).until(() -> leakReport() != null);
		String report = leakReport();
		assertThat(report).contains("Connection leak detection triggered")
			.contains("Apparent connection leak detected")
			.contains(ConnectionLeakTest.class.getName() + ".leakAStream");

		long start = System.nanoTime();
		client.close();
		Duration closing = Figures.since(start);
		assertThat(closing).isLessThan(shutdownTimeout.plusSeconds(2));
		Figures.record(SCENARIO, "leak reported with the borrower's stack after (threshold 2 s)", "yes");
		Figures.record(SCENARIO, "close() with the leaked connection (shutdown timeout 1 s)", closing);
	}

	/** The code the report must point at. */
	private static Stream<Map<String, Object>> leakAStream(PostgresClient client) {
		Stream<Map<String, Object>> rows = client.stream("SELECT generate_series(1, 10) AS n");
		rows.iterator().next();
		return rows;
	}

	private String leakReport() {
		return this.appender.list.stream()
			.filter((event) -> event.getFormattedMessage().contains("leak detection triggered"))
			.map((event) -> event.getFormattedMessage()
					+ ((event.getThrowableProxy() != null) ? ThrowableProxyUtil.asString(event.getThrowableProxy()) : ""))
			.findFirst()
			.orElse(null);
	}

}
