package io.aluskort.postgres;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NotificationListenerTest {

	@Test
	void channelsAreIdentifiersOfAtMost63Bytes() {
		assertThat(NotificationListener.requireChannel("alerts")).isEqualTo("alerts");
		assertThat(NotificationListener.requireChannel("_Investigation$2")).isEqualTo("_Investigation$2");
		assertThat(NotificationListener.requireChannel("ünïcødé")).isEqualTo("ünïcødé");
		assertThat(NotificationListener.requireChannel("x".repeat(63))).hasSize(63);
		assertThatIllegalArgumentException().isThrownBy(() -> NotificationListener.requireChannel("x".repeat(64)))
			.withMessageContaining("is 64 bytes long");
		assertThatIllegalArgumentException().isThrownBy(() -> NotificationListener.requireChannel("é".repeat(32)))
			.withMessageContaining("is 64 bytes long");
		assertThatIllegalArgumentException().isThrownBy(() -> NotificationListener.requireChannel("a\"; DROP TABLE t"))
			.withMessage("Channel 'a\"; DROP TABLE t' is not an identifier: a letter or _, then letters, digits, _ or $");
		for (String invalid : new String[] { "", " alerts", "2fa", "$x", "a-b", "a.b", "a b", "a\0" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> NotificationListener.requireChannel(invalid))
				.withMessageContaining("'" + invalid + "'");
		}
	}

	@Test
	void backoffDoublesWithJitterUpToItsBound() {
		assertThat(NotificationListener.backoff(0)).isZero();
		assertThat(NotificationListener.backoff(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
		assertThat(NotificationListener.backoff(4)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
		for (int setbacks = 1; setbacks < 100; setbacks++) {
			assertThat(NotificationListener.backoff(setbacks)).isBetween(Duration.ofMillis(50), Duration.ofSeconds(10));
		}
		assertThat(NotificationListener.backoff(1000)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
	}

}
