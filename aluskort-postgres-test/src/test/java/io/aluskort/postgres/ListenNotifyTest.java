package io.aluskort.postgres;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

@PostgresTest
class ListenNotifyTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String PASSWORD = "pw-PLANTED-listen-5d1e";

	private final PostgresDatabase database;

	/** Sends the notifications and watches the server. */
	private final PostgresClient db;

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	private Level previousLevel;

	ListenNotifyTest(PostgresDatabase database, PostgresClient db) {
		this.database = database;
		this.db = db;
	}

	@BeforeEach
	void captureListenerLog() {
		Logger logger = (Logger) LoggerFactory.getLogger(NotificationListener.class);
		this.previousLevel = logger.getLevel();
		logger.setLevel(Level.DEBUG);
		this.log.start();
		logger.addAppender(this.log);
	}

	@AfterEach
	void restoreListenerLog() {
		Logger logger = (Logger) LoggerFactory.getLogger(NotificationListener.class);
		logger.detachAppender(this.log);
		logger.setLevel(this.previousLevel);
	}

	private PostgresClient connectedClient(String applicationName) {
		PostgresClient client = new PostgresClient(
				this.database.clientConfig().applicationName(applicationName).minSize(1).build());
		client.connect();
		return client;
	}

	/** The backend that listens for a client, once it has run its LISTENs. */
	private Optional<Integer> listeningBackend(String applicationName) {
		return this.db.fetchValue(Integer.class, "SELECT pid FROM pg_stat_activity WHERE application_name = $1 "
				+ "AND state = 'idle' AND query LIKE 'LISTEN%'", applicationName + "-listener");
	}

	private List<String> logLines() {
		return this.log.list.stream()
			.map((event) -> event.getFormattedMessage()
					+ ((event.getThrowableProxy() != null) ? ThrowableProxyUtil.asString(event.getThrowableProxy()) : ""))
			.collect(Collectors.toList());
	}

	@Test
	void manyNotificationsArriveInTheOrderTheyWereSent() {
		try (PostgresClient client = connectedClient("ordered")) {
			Received received = new Received();
			client.listen("ordered", received);
			// Its own connection: nothing borrowed from the pool.
			assertThat(client.poolStats().active()).isZero();
			for (int i = 0; i < 2000; i++) {
				this.db.sendNotification("ordered", Integer.toString(i));
			}
			this.db.transaction((tx) -> {
				for (int i = 2000; i < 3000; i++) {
					tx.sendNotification("ordered", Integer.toString(i));
				}
				return null;
			});
			await().atMost(WAIT).until(() -> received.size() >= 3000);
			assertThat(received.payloads())
				.containsExactlyElementsOf(IntStream.range(0, 3000).mapToObj(Integer::toString).toList());
		}
	}

	@Test
	void payloadsArriveExactlyWithTheSendersPid() {
		String payload = "it's \"quoted\", back\\slash, tab\t, new\nline, ünïcødé ✓ 🐘 日本語";
		try (PostgresClient client = connectedClient("payloads")) {
			Received received = new Received();
			client.listen("payloads", received);
			int pid = this.db.transaction((tx) -> {
				tx.sendNotification("payloads", payload);
				tx.sendNotification("payloads", "");
				return tx.fetchValue(Integer.class, "SELECT pg_backend_pid()").orElseThrow();
			});
			this.db.execute("NOTIFY payloads, 'from SQL'");
			await().atMost(WAIT).until(() -> received.size() >= 3);
			assertThat(received.notifications.subList(0, 2)).containsExactly(new Notification("payloads", payload, pid),
					new Notification("payloads", "", pid));
			assertThat(received.notifications.get(2).payload()).isEqualTo("from SQL");
		}
	}

	@Test
	void eachHandlerGetsTheNotificationsOfItsOwnChannel() {
		try (PostgresClient client = connectedClient("channels")) {
			Received alpha = new Received();
			Received alphaToo = new Received();
			Received beta = new Received();
			Received keyword = new Received();
			client.listen("alpha", alpha);
			client.listen("alpha", alphaToo);
			// Quoted: the case is kept, and a keyword is a name like any other.
			client.listen("Beta", beta);
			client.listen("select", keyword);
			this.db.sendNotification("alpha", "a1");
			this.db.sendNotification("Beta", "b1");
			this.db.sendNotification("beta", "lower case: another channel");
			this.db.sendNotification("gamma", "nobody listens");
			this.db.sendNotification("select", "s1");
			this.db.sendNotification("alpha", "a2");
			await().atMost(WAIT).until(() -> alpha.size() == 2 && alphaToo.size() == 2);
			assertThat(alpha.payloads()).containsExactly("a1", "a2");
			assertThat(alphaToo.payloads()).containsExactly("a1", "a2");
			assertThat(beta.payloads()).containsExactly("b1");
			assertThat(keyword.payloads()).containsExactly("s1");
			assertThat(beta.notifications).allSatisfy((notification) -> assertThat(notification.channel()).isEqualTo("Beta"));
		}
	}

	@Test
	void closingASubscriptionStopsDeliveryAndTheLastOneUnlistens() {
		try (PostgresClient client = connectedClient("unlisten")) {
			Received first = new Received();
			Received second = new Received();
			Subscription one = client.listen("news", first);
			Subscription two = client.listen("news", second);
			assertThat(one.channel()).isEqualTo("news");
			this.db.sendNotification("news", "both");
			await().atMost(WAIT).until(() -> first.size() == 1 && second.size() == 1);
			one.close();
			one.close();
			this.db.sendNotification("news", "second only");
			await().atMost(WAIT).until(() -> second.size() == 2);
			two.close();
			await().atMost(WAIT)
				.until(() -> this.db
					.fetchValue(String.class, "SELECT query FROM pg_stat_activity WHERE application_name = $1 "
							+ "AND state = 'idle'", "unlisten-listener")
					.filter((query) -> query.startsWith("UNLISTEN \"news\""))
					.isPresent());
			this.db.sendNotification("news", "nobody");
			// The server sends in commit order: once the marker is in, "nobody" would have been too.
			Received marker = new Received();
			client.listen("marker", marker);
			this.db.sendNotification("marker", "m");
			await().atMost(WAIT).until(() -> marker.size() == 1);
			assertThat(first.payloads()).containsExactly("both");
			assertThat(second.payloads()).containsExactly("both", "second only");
		}
	}

	@Test
	void aNotificationInATransactionArrivesAtCommitAndNeverAfterRollback() {
		try (PostgresClient client = connectedClient("transactional")) {
			Received received = new Received();
			client.listen("tx", received);
			this.db.transaction((tx) -> {
				tx.sendNotification("tx", "committed");
				await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(received::isEmpty);
				return null;
			});
			await().atMost(WAIT).until(() -> received.size() == 1);
			assertThatIllegalStateException().isThrownBy(() -> this.db.transaction((tx) -> {
				tx.sendNotification("tx", "rolled back");
				throw new IllegalStateException("roll back");
			}));
			this.db.sendNotification("tx", "after");
			await().atMost(WAIT).until(() -> received.size() >= 2);
			assertThat(received.payloads()).containsExactly("committed", "after");
		}
	}

	@Test
	void aHandlersExceptionIsLoggedAndDeliveryGoesOn() {
		try (PostgresClient client = connectedClient("failing")) {
			Received received = new Received();
			client.listen("fragile", (notification) -> {
				if (notification.payload().equals("boom")) {
					throw new IllegalStateException("handler failed");
				}
				received.accept(notification);
			});
			Received other = new Received();
			client.listen("fragile", other);
			this.db.sendNotification("fragile", "boom");
			this.db.sendNotification("fragile", "fine");
			await().atMost(WAIT).until(() -> received.size() == 1 && other.size() == 2);
			assertThat(received.payloads()).containsExactly("fine");
			assertThat(logLines()).anyMatch((line) -> line.contains("A handler of channel 'fragile' failed")
					&& line.contains("handler failed"));
		}
	}

	@Test
	void handlersMaySubscribeAndUnsubscribe() {
		try (PostgresClient client = connectedClient("reentrant")) {
			Received later = new Received();
			Received once = new Received();
			AtomicReference<Subscription> own = new AtomicReference<>();
			own.set(client.listen("once", (notification) -> {
				once.accept(notification);
				own.get().close();
				client.listen("later", later);
			}));
			this.db.sendNotification("once", "1");
			// A subscription made in a handler takes effect once the handler has returned.
			await().atMost(WAIT).until(() -> {
				this.db.sendNotification("later", "ping");
				return later.size() > 0;
			});
			this.db.sendNotification("once", "2");
			this.db.sendNotification("later", "marker");
			await().atMost(WAIT).until(() -> later.payloads().contains("marker"));
			assertThat(once.payloads()).containsExactly("1");
		}
	}

	@Test
	void survivesTheTerminationOfItsBackendAndLogsNoPassword() {
		this.db.execute("DROP ROLE IF EXISTS listen_planted");
		this.db.execute("CREATE ROLE listen_planted LOGIN PASSWORD '" + PASSWORD + "'");
		try (PostgresClient client = new PostgresClient(this.database.clientConfig()
			.user("listen_planted")
			.password(PASSWORD)
			.applicationName("terminated")
			.minSize(1)
			.build())) {
			client.connect();
			Received received = new Received();
			client.listen("survivor", received);
			this.db.sendNotification("survivor", "before");
			await().atMost(WAIT).until(() -> received.size() == 1);
			int victim = listeningBackend("terminated").orElseThrow();
			assertThat(this.db.fetchValue(Boolean.class, "SELECT pg_terminate_backend($1)", victim)).contains(true);
			await().atMost(WAIT)
				.until(() -> listeningBackend("terminated").filter((pid) -> pid != victim).isPresent());
			this.db.sendNotification("survivor", "after");
			await().atMost(WAIT).until(() -> received.size() == 2);
			assertThat(received.payloads()).containsExactly("before", "after");
		}
		finally {
			this.db.execute("DROP ROLE IF EXISTS listen_planted");
		}
		List<String> lines = logLines();
		assertThat(lines).anyMatch((line) -> line.startsWith("Lost the LISTEN connection") && line.contains("57P01"));
		assertThat(lines).anyMatch((line) -> line.startsWith("Reconnected the LISTEN connection")
				&& line.contains("[survivor]"));
		assertThat(String.join("\n", lines)).doesNotContain(PASSWORD);
	}

	@Test
	void survivesAServerStopAndStart() {
		Assumptions.assumeTrue(this.database.server().controllable(), "needs the embedded server");
		try (PostgresClient client = connectedClient("restarted")) {
			Received received = new Received();
			client.listen("restart", received);
			this.db.sendNotification("restart", "before");
			await().atMost(WAIT).until(() -> received.size() == 1);
			this.database.server().stop();
			try {
				long start = System.nanoTime();
				assertThatExceptionOfType(CannotGetJdbcConnectionException.class)
					.isThrownBy(() -> client.listen("while_down", new Received()))
					.withMessageContaining("'while_down'");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			}
			finally {
				this.database.server().start();
			}
			await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
				.until(() -> listeningBackend("restarted").isPresent());
			// The pool's connections died with the server too: the first call may fail.
			await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> this.db.sendNotification("restart", "after"));
			await().atMost(WAIT).until(() -> received.size() == 2);
			assertThat(received.payloads()).containsExactly("before", "after");
		}
	}

	@Test
	void rejectsChannelsThatAreNotIdentifiers() {
		List<String> invalid = List.of("", "two words", "semi;colon", "quo\"te", "1st", "dash-ed", "dot.ted",
				"x'); DROP TABLE t; --", "nul\0", "a".repeat(64), "é".repeat(32));
		for (String channel : invalid) {
			assertThatIllegalArgumentException().isThrownBy(() -> this.db.listen(channel, new Received()))
				.withMessageContaining("'" + channel + "'");
			assertThatIllegalArgumentException().isThrownBy(() -> this.db.sendNotification(channel, "x"))
				.withMessageContaining("'" + channel + "'");
		}
	}

	@Test
	void theLongestChannelsAreUsedWhole() {
		String ascii = "c".repeat(63);
		String accented = "é".repeat(31);
		try (PostgresClient client = connectedClient("longest")) {
			Received received = new Received();
			client.listen(ascii, received);
			client.listen(accented, received);
			this.db.sendNotification(ascii, "1");
			this.db.sendNotification(accented, "2");
			await().atMost(WAIT).until(() -> received.size() == 2);
			assertThat(received.notifications).extracting(Notification::channel).containsExactly(ascii, accented);
		}
	}

	@Test
	void listenBeforeConnectFails() {
		PostgresClient client = new PostgresClient(this.database.clientConfig().build());
		assertThatIllegalStateException().isThrownBy(() -> client.listen("early", new Received()))
			.withMessageContaining("connect() first");
	}

	@Test
	void closingTheClientStopsTheListenerThreadAndClosesItsConnection() {
		PostgresClient client = connectedClient("closing");
		AtomicReference<Thread> listenerThread = new AtomicReference<>();
		client.listen("closing", (notification) -> listenerThread.set(Thread.currentThread()));
		this.db.sendNotification("closing", "x");
		await().atMost(WAIT).until(() -> listenerThread.get() != null);
		Thread thread = listenerThread.get();
		assertThat(thread.getName()).startsWith("aluskort-postgres-listener-");
		assertThat(thread.isDaemon()).isTrue();
		long start = System.nanoTime();
		client.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		assertThat(thread.isAlive()).isFalse();
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((live) -> live.getName().equals(thread.getName()) && live.isAlive());
		await().atMost(WAIT).until(() -> this.db
			.fetchValue(Long.class, "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
					"closing-listener")
			.orElseThrow() == 0);
		assertThatIllegalStateException().isThrownBy(() -> client.listen("closing", new Received()))
			.withMessageContaining("is closed");
	}

	@Test
	void closeIsBoundedWhileAHandlerHangs() throws InterruptedException {
		PostgresClient client = new PostgresClient(this.database.clientConfig()
			.applicationName("hanging")
			.minSize(1)
			.shutdownTimeout(Duration.ofMillis(500))
			.build());
		client.connect();
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch never = new CountDownLatch(1);
		AtomicReference<Thread> listenerThread = new AtomicReference<>();
		client.listen("hang", (notification) -> {
			listenerThread.set(Thread.currentThread());
			entered.countDown();
			try {
				never.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		this.db.sendNotification("hang", "x");
		assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
		long start = System.nanoTime();
		client.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		await().atMost(Duration.ofSeconds(2)).until(() -> !listenerThread.get().isAlive());
		assertThat(logLines()).anyMatch((line) -> line.contains("aborting its connection"));
	}

	/** Collects what a handler is given, on the listener thread. */
	private static final class Received implements Consumer<Notification> {

		final List<Notification> notifications = new CopyOnWriteArrayList<>();

		@Override
		public void accept(Notification notification) {
			this.notifications.add(notification);
		}

		int size() {
			return this.notifications.size();
		}

		boolean isEmpty() {
			return this.notifications.isEmpty();
		}

		List<String> payloads() {
			return this.notifications.stream().map(Notification::payload).collect(Collectors.toList());
		}

	}

}
