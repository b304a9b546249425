package io.aluskort.postgres;

import java.util.List;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * With every logger at DEBUG, a run with successes and failures logs neither the password nor any
 * bound value, in messages or in logged stack traces.
 */
@PostgresTest
class SecretsInLogsTest {

	private static final String PASSWORD = "pw-PLANTED-7f3a";

	private static final String BIND_VALUE = "bind-PLANTED-91c2";

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private Level previousLevel;

	@BeforeEach
	void captureEverything() {
		Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		this.previousLevel = root.getLevel();
		root.setLevel(Level.DEBUG);
		this.appender.start();
		root.addAppender(this.appender);
	}

	@AfterEach
	void restore() {
		Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		root.detachAppender(this.appender);
		root.setLevel(this.previousLevel);
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

}
