package io.aluskort.postgres;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;

import static io.aluskort.postgres.PasswordShapes.assertNoPieceOf;
import static io.aluskort.postgres.PasswordShapes.encoded;
import static io.aluskort.postgres.PasswordShapes.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * With every logger at DEBUG, a run with successes and failures logs neither the password nor any
 * bound value, in messages or in logged stack traces; and no exception the client throws quotes them,
 * not even where the server's message does ({@code invalid input syntax for type integer: "..."}).
 * pgjdbc's own {@code java.util.logging} output, where it would log bound values at FINEST, stays off.
 */
@PostgresTest
class SecretsInLogsTest {

	private static final String PASSWORD = "pw-PLANTED-7f3a";

	private static final String BIND_VALUE = "bind-PLANTED-91c2";

	/** The role that logs in with passwords of every shape. */
	private static final String SHAPED_ROLE = "secrets_shaped";

	/** pgjdbc's {@code java.util.logging} logger, which logs bound values at FINEST. */
	private static final java.util.logging.Logger DRIVER_LOGGER = java.util.logging.Logger.getLogger("org.postgresql");

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final List<String> driverLog = Collections.synchronizedList(new ArrayList<>());

	private final Handler driverLogHandler = new Handler() {

		@Override
		public void publish(LogRecord record) {
			SecretsInLogsTest.this.driverLog.add(record.getMessage() + " " + Arrays.toString(record.getParameters()));
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private Level previousLevel;

	@BeforeAll
	static void shapedRole(PostgresClient admin) {
		admin.execute("DROP ROLE IF EXISTS " + SHAPED_ROLE);
		admin.execute("CREATE ROLE " + SHAPED_ROLE + " LOGIN");
	}

	@BeforeEach
	void captureEverything() {
		Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		this.previousLevel = root.getLevel();
		root.setLevel(Level.DEBUG);
		this.appender.start();
		root.addAppender(this.appender);
		DRIVER_LOGGER.addHandler(this.driverLogHandler);
	}

	@AfterEach
	void restore() {
		Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		root.detachAppender(this.appender);
		root.setLevel(this.previousLevel);
		DRIVER_LOGGER.removeHandler(this.driverLogHandler);
	}

	@Test
	void neitherPasswordNorBoundValuesAreLogged(PostgresClient admin, PostgresDatabase database) {
		admin.execute("DROP ROLE IF EXISTS planted");
		admin.execute("CREATE ROLE planted LOGIN PASSWORD '" + PASSWORD + "'");
		admin.execute("CREATE TABLE planted_rows (v text PRIMARY KEY)");
		admin.execute("GRANT ALL ON planted_rows TO planted");
		try (PostgresClient client = new PostgresClient(
				database.clientConfig().user("planted").password(PASSWORD).minSize(1).build())) {
			client.connect();
			client.execute("INSERT INTO planted_rows VALUES ($1)", BIND_VALUE);
			assertThat(client.fetchMany("SELECT v FROM planted_rows WHERE v = $1", BIND_VALUE)).hasSize(1);
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> client.execute("INSERT INTO planted_rows VALUES ($1)", BIND_VALUE));
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> client.execute("SELECT * FROM no_such_table WHERE v = $1", BIND_VALUE));
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> client.transaction((tx) -> {
				tx.execute("INSERT INTO planted_rows VALUES ($1)", BIND_VALUE + "-tx");
				return tx.execute("INSERT INTO planted_rows VALUES ($1)", BIND_VALUE);
			}));
			assertThat(client.healthCheck()).isTrue();
		}
		PostgresClient wrong = new PostgresClient(database.clientConfig().user("planted").password(PASSWORD + "x").build());
		assertThatExceptionOfType(DataAccessException.class).isThrownBy(wrong::connect);

		List<String> lines = this.appender.list.stream()
			.map((event) -> event.getFormattedMessage()
					+ ((event.getThrowableProxy() != null) ? ThrowableProxyUtil.asString(event.getThrowableProxy()) : ""))
			.collect(Collectors.toList());
		assertThat(lines).as("captured log lines").isNotEmpty();
		assertThat(lines).anyMatch((line) -> line.contains("connected to"));
		assertThat(String.join("\n", lines)).doesNotContain(PASSWORD).doesNotContain(BIND_VALUE);
	}

	@Test
	void failuresQuoteNeitherThePasswordNorBoundValues(PostgresClient admin, PostgresDatabase database)
			throws Exception {
		admin.execute("DROP ROLE IF EXISTS planted_failures");
		admin.execute("CREATE ROLE planted_failures LOGIN PASSWORD '" + PASSWORD + "'");
		admin.execute("CREATE TABLE planted_failures_rows (v text PRIMARY KEY CHECK (length(v) < 40), n int, "
				+ "t timestamptz, note text NOT NULL DEFAULT 'x')");
		admin.execute("CREATE TYPE planted_mood AS ENUM ('ok')");
		admin.execute("GRANT ALL ON planted_failures_rows TO planted_failures");
		List<String> thrown = new ArrayList<>();
		try (PostgresClient client = new PostgresClient(database.clientConfig()
			.user("planted_failures")
			.password(PASSWORD)
			.applicationName("planted")
			.minSize(1)
			.maxSize(2)
			.acquireTimeout(Duration.ofMillis(300))
			.statementTimeout(Duration.ofMillis(500))
			.build())) {
			client.connect();
			client.execute("INSERT INTO planted_failures_rows (v) VALUES ($1)", BIND_VALUE);
			// The server's messages that quote the value it could not take.
			thrown.add(failure(() -> client.fetchValue(Integer.class, "SELECT $1::int", BIND_VALUE)));
			thrown.add(failure(() -> client.fetchValue(Object.class, "SELECT $1::timestamptz", BIND_VALUE)));
			thrown.add(failure(() -> client.fetchValue(Object.class, "SELECT $1::planted_mood", BIND_VALUE)));
			thrown.add(failure(() -> client.fetchValue(Object.class, "SELECT $1::jsonb", BIND_VALUE)));
			thrown.add(failure(() -> client.fetchValue(Object.class, "SELECT $1::regclass", BIND_VALUE)));
			thrown.add(failure(() -> client.fetchValue(Object.class, "SELECT set_config('TimeZone', $1, true)", BIND_VALUE)));
			// Constraint violations, whose details quote the row.
			thrown.add(failure(() -> client.execute("INSERT INTO planted_failures_rows (v) VALUES ($1)", BIND_VALUE)));
			thrown.add(failure(() -> client.execute("INSERT INTO planted_failures_rows (v) VALUES ($1)",
					BIND_VALUE.repeat(3))));
			thrown.add(failure(() -> client.execute("INSERT INTO planted_failures_rows (v, note) VALUES ($1, NULL)",
					BIND_VALUE + "-n")));
			thrown.add(failure(() -> client.copyIn("planted_failures_rows", List.of("v", "n"),
					List.<Object[]>of(new Object[] { BIND_VALUE + "-c", BIND_VALUE }))));
			thrown.add(failure(() -> client.transaction((tx) -> {
				tx.execute("INSERT INTO planted_failures_rows (v) VALUES ($1)", BIND_VALUE + "-tx");
				return tx.fetchValue(Integer.class, "SELECT $1::int", BIND_VALUE);
			})));
			// Timeouts, a killed backend and an exhausted pool, with the value bound.
			thrown.add(failure(() -> client.execute("SELECT pg_sleep(5) WHERE $1::text IS NOT NULL", BIND_VALUE)));
			CompletableFuture<Object> busy = CompletableFuture
				.supplyAsync(() -> client.withStatementTimeout(Duration.ofSeconds(10))
					.execute("SELECT pg_sleep(5), $1::text", BIND_VALUE + "-busy"), ThreadPerTask.INSTANCE);
			await().atMost(Duration.ofSeconds(5)).until(() -> admin.fetchValue(Long.class, "SELECT count(*) FROM "
					+ "pg_stat_activity WHERE application_name = 'planted' AND state = 'active'").orElse(0L) > 0);
			admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'planted' "
					+ "AND state = 'active'");
			thrown.add(failure(busy::join));
			CountDownLatch holding = new CountDownLatch(2);
			CountDownLatch release = new CountDownLatch(1);
			List<CompletableFuture<Object>> holders = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				holders.add(CompletableFuture.supplyAsync(() -> client.transaction((tx) -> {
					holding.countDown();
					try {
						return release.await(10, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						throw new IllegalStateException(ex);
					}
				}), ThreadPerTask.INSTANCE));
			}
			assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
			thrown.add(failure(() -> client.execute("SELECT $1::text", BIND_VALUE)));
			release.countDown();
			holders.forEach(CompletableFuture::join);
			assertThat(client.fetchValue(Integer.class, "SELECT 1")).contains(1);
		}
		thrown.add(failure(new PostgresClient(database.clientConfig()
			.user("planted_failures")
			.password(PASSWORD + "-wrong")
			.build())::connect));

		assertThat(thrown).hasSize(15);
		assertThat(thrown).allSatisfy((trace) -> assertThat(trace.toLowerCase(Locale.ROOT))
			.doesNotContain(PASSWORD.toLowerCase(Locale.ROOT))
			.doesNotContain(BIND_VALUE.toLowerCase(Locale.ROOT)));
		assertThat(thrown.get(0)).contains("invalid input syntax for type integer: \"***\"");
		List<String> lines = this.appender.list.stream()
			.map((event) -> event.getFormattedMessage()
					+ ((event.getThrowableProxy() != null) ? ThrowableProxyUtil.asString(event.getThrowableProxy()) : ""))
			.collect(Collectors.toList());
		assertThat(String.join("\n", lines).toLowerCase(Locale.ROOT)).doesNotContain(PASSWORD.toLowerCase(Locale.ROOT))
			.doesNotContain(BIND_VALUE.toLowerCase(Locale.ROOT));
		assertThat(String.join("\n", this.driverLog)).doesNotContain(PASSWORD).doesNotContain(BIND_VALUE);
		// Nothing the project does switches on pgjdbc's logging of bound values.
		assertThat(DRIVER_LOGGER.isLoggable(java.util.logging.Level.FINEST))
			.isFalse();
	}

	/**
	 * A password of every shape logs in through the dsn, raw and percent-encoded, and through the
	 * builder; with {@code com.zaxxer.hikari}, {@code org.postgresql} and {@code io.aluskort} at DEBUG,
	 * neither it nor an {@code sslpassword} from the dsn or the driver properties reaches the log, not
	 * even HikariCP's dump of its configuration.
	 */
	@ParameterizedTest
	@MethodSource("io.aluskort.postgres.PasswordShapes#passwords")
	void everyShapeOfPasswordLogsInAndNeverReachesADebugLog(String password, PostgresClient admin,
			PostgresDatabase database) {
		admin.execute("ALTER ROLE " + SHAPED_ROLE + " PASSWORD '" + password.replace("'", "''") + "'");
		String dsnSslPassword = "Qj" + password;
		String driverSslPassword = "Jq" + password;
		// The database's own dsn, whose user info is percent-encoded, with the role's user info instead.
		String server = database.dsn().substring(database.dsn().indexOf('@') + 1);
		String sslPassword = ((server.indexOf('?') >= 0) ? "&" : "?") + "sslpassword=" + encoded(dsnSslPassword);
		List<String> thrown = new ArrayList<>();
		try (DebugLogs logs = DebugLogs.capture()) {
			for (PostgresClientConfig.Builder config : List.of(
					PostgresClientConfig.builder().dsn("postgresql://" + SHAPED_ROLE + ":" + raw(password) + "@" + server
							+ sslPassword),
					PostgresClientConfig.builder().dsn("postgresql://" + SHAPED_ROLE + ":" + encoded(password) + "@"
							+ server + sslPassword),
					database.clientConfig()
						.user(SHAPED_ROLE)
						.password(password)
						.driverProperty("sslpassword", driverSslPassword))) {
				try (PostgresClient client = new PostgresClient(config.minSize(1).maxSize(1).build())) {
					client.connect();
					assertThat(client.fetchValue(String.class, "SELECT current_user::text")).contains(SHAPED_ROLE);
				}
			}
			if (PasswordShapes.reserved().anyMatch(password::equals)) {
				// A server that is not there, and a wrong password: the failures quote neither.
				thrown.add(failure(new PostgresClient(database.clientConfig()
					.port(closedPort())
					.user(SHAPED_ROLE)
					.password(password)
					.driverProperty("sslpassword", driverSslPassword)
					.build())::connect));
				thrown.add(failure(new PostgresClient(PostgresClientConfig.builder()
					.dsn("postgresql://" + SHAPED_ROLE + ":" + raw(password) + "x@" + server + sslPassword)
					.build())::connect));
			}
			assertThat(logs.lines()).anyMatch((line) -> line.contains("aluskort-postgres - configuration:"))
				.anyMatch((line) -> line.contains("dataSource"))
				.anyMatch((line) -> line.contains("Connecting with URL"));
			for (String secret : List.of(password, dsnSslPassword, driverSslPassword)) {
				assertNoPieceOf(secret, String.join("\n", logs.lines()));
				assertNoPieceOf(secret, String.join("\n", thrown));
			}
		}
	}

	/** The call's exception, as a logged stack trace would show it: messages and causes. */
	private static String failure(ThrowingCallable call) {
		Throwable failure = catchThrowable(call);
		assertThat(failure).as("expected a failure").isNotNull();
		StringWriter trace = new StringWriter();
		failure.printStackTrace(new PrintWriter(trace));
		return failure.getClass().getName() + " " + failure.getMessage() + "\n" + trace;
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Everything {@code com.zaxxer.hikari}, {@code io.aluskort} and pgjdbc's {@code java.util.logging}
	 * logger {@code org.postgresql} log at DEBUG (FINE), formatted as they would be written, stack traces
	 * included; the levels are put back on close.
	 */
	private static final class DebugLogs implements AutoCloseable {

		private static final List<String> LOGBACK_LOGGERS = List.of("com.zaxxer.hikari", "io.aluskort");

		private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

		private final Map<String, @Nullable Level> previousLevels = new HashMap<>();

		private final java.util.logging.@Nullable Level previousDriverLevel = DRIVER_LOGGER.getLevel();

		private final List<String> driverLines = Collections.synchronizedList(new ArrayList<>());

		private final Handler driverHandler = new Handler() {

			private final SimpleFormatter formatter = new SimpleFormatter();

			@Override
			public void publish(LogRecord record) {
				DebugLogs.this.driverLines.add(this.formatter.format(record));
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}

		};

		static DebugLogs capture() {
			DebugLogs logs = new DebugLogs();
			LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
			logs.appender.start();
			for (String name : LOGBACK_LOGGERS) {
				Logger logger = context.getLogger(name);
				logs.previousLevels.put(name, logger.getLevel());
				logger.setLevel(Level.DEBUG);
				logger.addAppender(logs.appender);
			}
			DRIVER_LOGGER.setLevel(java.util.logging.Level.FINE);
			DRIVER_LOGGER.addHandler(logs.driverHandler);
			return logs;
		}

		List<String> lines() {
			List<String> lines = new ArrayList<>(this.driverLines);
			for (ILoggingEvent event : this.appender.list) {
				lines.add(event.getFormattedMessage()
						+ ((event.getThrowableProxy() != null) ? ThrowableProxyUtil.asString(event.getThrowableProxy()) : ""));
			}
			return lines;
		}

		@Override
		public void close() {
			LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
			for (String name : LOGBACK_LOGGERS) {
				Logger logger = context.getLogger(name);
				logger.detachAppender(this.appender);
				logger.setLevel(this.previousLevels.get(name));
			}
			DRIVER_LOGGER.removeHandler(this.driverHandler);
			DRIVER_LOGGER.setLevel(this.previousDriverLevel);
		}

	}

}
