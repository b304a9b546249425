package io.aluskort.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class NotificationListenerTest {

	@Test
	void backoffDoublesWithJitterUpToItsBound() {
		assertThat(ListenerLoop.backoff(0)).isZero();
		assertThat(ListenerLoop.backoff(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
		assertThat(ListenerLoop.backoff(4)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
		for (int setbacks = 1; setbacks < 100; setbacks++) {
			assertThat(ListenerLoop.backoff(setbacks)).isBetween(Duration.ofMillis(50), Duration.ofSeconds(10));
		}
		assertThat(ListenerLoop.backoff(1000)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void aBadChannelOrNoHandlerIsRefusedBeforeAnyConnection() throws IOException {
		NotificationListener listener = listenerOf(unreachable());
		assertThatIllegalArgumentException().isThrownBy(() -> listener.listen("2fa", (notification) -> {
		})).withMessageContaining("'2fa'");
		assertThatNullPointerException().isThrownBy(() -> listener.listen("alerts", null)).withMessage("handler");
		listener.stop();
		listener.awaitStopped(System.nanoTime());
	}

	@Test
	void listenFailsWithinItsBoundWhenTheServerCannotBeReached() throws IOException {
		PostgresClientConfig config = unreachable();
		NotificationListener listener = listenerOf(config);
		long start = System.nanoTime();
		assertThatExceptionOfType(CannotGetJdbcConnectionException.class)
			.isThrownBy(() -> listener.listen("alerts", (notification) -> {
			}))
			.withMessageStartingWith("Cannot listen on channel 'alerts': cannot connect to " + config.describeTarget())
			.withMessageContaining("as user 'listener-unit'")
			.withMessageNotContaining("pw-PLANTED-listener-unit");
		// The next call waits for an attempt of its own, not for the backoff of the failed one.
		assertThatExceptionOfType(CannotGetJdbcConnectionException.class)
			.isThrownBy(() -> listener.listen("alerts", (notification) -> {
			}));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		long stopping = System.nanoTime();
		listener.stop();
		listener.awaitStopped(System.nanoTime() + Duration.ofSeconds(2).toNanos());
		assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(3));
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> thread.getName().startsWith("aluskort-postgres-listener-") && thread.isAlive());
	}

	@Test
	void aStoppedListenerRefusesSubscriptions() throws IOException {
		NotificationListener listener = listenerOf(unreachable());
		listener.stop();
		assertThatIllegalStateException().isThrownBy(() -> listener.listen("alerts", (notification) -> {
		})).withMessageEndingWith("is closed");
		listener.awaitStopped(System.nanoTime());
	}

	private static NotificationListener listenerOf(PostgresClientConfig config) {
		return new NotificationListener(config, new ClientCore(config, null));
	}

	/** A config for a local port nothing listens on: connecting is refused at once. */
	private static PostgresClientConfig unreachable() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		return PostgresClientConfig.builder()
			.host("127.0.0.1")
			.port(port)
			.user("listener-unit")
			.password("pw-PLANTED-listener-unit")
			.connectTimeout(Duration.ofSeconds(1))
			.healthTimeout(Duration.ofSeconds(1))
			.build();
	}

}
