package io.aluskort.postgres;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The handshake, with the test playing the listener thread. */
class SubscriptionsTest {

	private final PostgresClientConfig config = PostgresClientConfig.builder()
		.host("127.0.0.1")
		.connectTimeout(Duration.ofSeconds(1))
		.healthTimeout(Duration.ofSeconds(1))
		.build();

	private final Subscriptions subscriptions = new Subscriptions(this.config, new ClientCore(this.config, null));

	private final AtomicInteger starts = new AtomicInteger();

	@Test
	void subscribeReturnsOnceTheThreadSaysTheServerListens() throws Exception {
		CompletableFuture<Subscription> subscribing = subscribeAsync("alerts");
		Subscriptions.Wanted wanted = this.subscriptions.next(false);
		assertThat(wanted).isNotNull();
		assertThat(wanted.channels()).containsExactly("alerts");
		assertThat(this.starts).hasPositiveValue();
		assertThat(subscribing).isNotDone();
		this.subscriptions.listened(wanted);
		Subscription subscription = subscribing.get(5, TimeUnit.SECONDS);
		assertThat(subscription.channel()).isEqualTo("alerts");
		assertThat(this.subscriptions.listening()).containsExactly("alerts");
		// Listening already: a second handler on the channel does not wait.
		this.subscriptions.subscribe("alerts", (notification) -> {
		}, this.starts::incrementAndGet, false);
		assertThat(this.subscriptions.handlers("alerts")).hasSize(2);
	}

	@Test
	void aFailedAttemptForItsVersionEndsTheWait() throws Exception {
		CompletableFuture<Subscription> subscribing = subscribeAsync("alerts");
		Subscriptions.Wanted wanted = this.subscriptions.next(false);
		this.subscriptions.failed(wanted.version(), new SQLException("Connection refused", "08001"), true);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> subscribing.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(CannotGetJdbcConnectionException.class)
			.withMessageContaining("Cannot listen on channel 'alerts': cannot connect to");
		// The failed caller's handler is gone again.
		assertThat(this.subscriptions.handlers("alerts")).isNull();
	}

	@Test
	void aHandlerSubscribingOnTheListenerThreadDoesNotWaitForIt() {
		Subscription subscription = this.subscriptions.subscribe("alerts", (notification) -> {
		}, this.starts::incrementAndGet, true);
		assertThat(subscription.channel()).isEqualTo("alerts");
		assertThat(this.starts).hasValue(1);
	}

	@Test
	void closingTheLastHandlerMakesANewVersionWithoutTheChannel() throws Exception {
		Subscription first = this.subscriptions.subscribe("alerts", (notification) -> {
		}, this.starts::incrementAndGet, true);
		Subscriptions.Wanted before = this.subscriptions.next(false);
		this.subscriptions.listened(before);
		first.close();
		first.close();
		assertThat(first).hasToString("Subscription[alerts, closed]");
		Subscriptions.Wanted after = this.subscriptions.next(true);
		assertThat(after.version()).isGreaterThan(before.version());
		assertThat(after.channels()).isEmpty();
	}

	@Test
	void aRetryWaitsItsPauseUnlessANewerVersionIsAskedFor() throws Exception {
		this.subscriptions.subscribe("alerts", (notification) -> {
		}, this.starts::incrementAndGet, true);
		Subscriptions.Wanted wanted = this.subscriptions.next(false);
		this.subscriptions.failed(wanted.version(), new SQLException("refused", "08001"), true);
		long start = System.nanoTime();
		assertThat(this.subscriptions.awaitRetry(Duration.ofMillis(200))).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
		// A caller waiting for a newer version cuts the pause short.
		CompletableFuture<Subscription> subscribing = subscribeAsync("other");
		start = System.nanoTime();
		assertThat(this.subscriptions.awaitRetry(Duration.ofSeconds(30))).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		this.subscriptions.listened(this.subscriptions.next(false));
		subscribing.get(5, TimeUnit.SECONDS);
	}

	@Test
	void stopEndsEveryWaitAndRefusesNewSubscriptions() throws Exception {
		CompletableFuture<Subscription> subscribing = subscribeAsync("alerts");
		Subscriptions.Wanted wanted = this.subscriptions.next(false);
		assertThat(wanted).isNotNull();
		assertThat(this.subscriptions.stop()).as("connecting").isTrue();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> subscribing.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessageEndingWith("is closed");
		assertThat(this.subscriptions.next(false)).isNull();
		assertThat(this.subscriptions.awaitRetry(Duration.ofSeconds(30))).isFalse();
		assertThatIllegalStateException().isThrownBy(() -> this.subscriptions.subscribe("alerts", (notification) -> {
		}, this.starts::incrementAndGet, false));
		assertThat(this.subscriptions.isStopped()).isTrue();
	}

	private CompletableFuture<Subscription> subscribeAsync(String channel) throws InterruptedException {
		CompletableFuture<Subscription> subscribing = CompletableFuture.supplyAsync(() -> this.subscriptions
			.subscribe(channel, (notification) -> {
			}, this.starts::incrementAndGet, false));
		// The caller is waiting once it has asked for its version.
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.starts.get() == 0 && !subscribing.isDone() && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		return subscribing;
	}

}
