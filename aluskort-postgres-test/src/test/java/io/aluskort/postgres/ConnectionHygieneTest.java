package io.aluskort.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * No transaction outlives the call that opened it. A transaction-control statement sent through a
 * statement call is refused before anything is sent; a connection that still goes back to the pool with
 * a transaction open or failed on the server is rolled back and reset, once, with one WARN; and the
 * session changes of a {@code REQUIRES_NEW} transaction are reset although the outer one already
 * marked its own. The client under test connects as an application role that row-level security binds,
 * with a pool of one connection, so that whatever one call leaves behind, the next one meets.
 */
@PostgresTest
class ConnectionHygieneTest {

	private static final String ROLE = "connection_hygiene_app";

	/** Statements that begin, end or divide a transaction: {@code transaction(...)} does that. */
	private static final List<String> TRANSACTION_CONTROL = List.of("BEGIN", "START TRANSACTION", "COMMIT",
			"COMMIT AND CHAIN", "END", "ROLLBACK", "ABORT", "SAVEPOINT x", "RELEASE x", "PREPARE TRANSACTION 'x'");

	/** A write to a table without row-level security, which shows whether a string was sent. */
	private static final String JOURNAL_INSERT = "INSERT INTO journal VALUES ('sent')";

	private final PostgresClient admin;

	private final PostgresDatabase database;

	/** The client under test: the application role, one connection. */
	private PostgresClient app;

	ConnectionHygieneTest(PostgresClient admin, PostgresDatabase database) {
		this.admin = admin;
		this.database = database;
	}

	@BeforeAll
	static void schema(PostgresClient admin) throws IOException {
		RowLevelSecurity.createRole(admin, ROLE);
		admin.execute("CREATE TABLE events (id bigint PRIMARY KEY, tenant_id text NOT NULL, payload text)");
		RowLevelSecurity.protect(admin, "events", ROLE);
		admin.execute("INSERT INTO events VALUES (1, 't1', 'a'), (2, 't1', 'b'), (3, 't2', 'c')");
		admin.execute("CREATE TABLE journal (note text)");
		admin.execute("GRANT SELECT, INSERT ON journal TO " + ROLE);
	}

	@BeforeEach
	void connect() {
		// DELETE, not TRUNCATE: it waits for no lock a transaction left open by a call that was not refused holds.
		this.admin.execute("DELETE FROM journal");
		this.app = new PostgresClient(RowLevelSecurity.connectAs(this.database, ROLE).minSize(1).maxSize(1).build());
		this.app.connect();
	}

	@AfterEach
	void close() {
		this.app.close();
	}

	/** A statement call of {@link PostgresOperations}. */
	enum StatementCall {

		EXECUTE {
			@Override
			void run(PostgresOperations operations, String sql) {
				operations.execute(sql);
			}
		},

		FETCH_ONE {
			@Override
			void run(PostgresOperations operations, String sql) {
				operations.fetchOne(sql);
			}
		},

		FETCH_MANY {
			@Override
			void run(PostgresOperations operations, String sql) {
				operations.fetchMany(sql);
			}
		},

		FETCH_MANY_TYPED {
			@Override
			void run(PostgresOperations operations, String sql) {
				operations.fetchMany(Integer.class, sql);
			}
		},

		FETCH_VALUE {
			@Override
			void run(PostgresOperations operations, String sql) {
				operations.fetchValue(Integer.class, sql);
			}
		},

		STREAM {
			@Override
			void run(PostgresOperations operations, String sql) {
				try (Stream<Map<String, Object>> rows = operations.stream(sql)) {
					rows.forEach((row) -> {
					});
				}
			}
		},

		EXECUTE_BATCH {
			@Override
			void run(PostgresOperations operations, String sql) {
				operations.executeBatch(sql, List.<Object[]>of(new Object[0]));
			}
		};

		abstract void run(PostgresOperations operations, String sql);

	}

	/** How a statement call reaches the client. */
	enum Route {

		UNSCOPED {
			@Override
			void run(PostgresClient client, StatementCall call, String sql) {
				call.run(client, sql);
			}
		},

		FOR_TENANT {
			@Override
			void run(PostgresClient client, StatementCall call, String sql) {
				call.run(client.forTenant("t1"), sql);
			}
		},

		IN_A_TRANSACTION {
			@Override
			void run(PostgresClient client, StatementCall call, String sql) {
				client.transaction((tx) -> {
					call.run(tx, sql);
					return null;
				});
			}
		},

		FOR_TENANT_IN_A_TRANSACTION {
			@Override
			void run(PostgresClient client, StatementCall call, String sql) {
				client.forTenant("t1").transaction((tx) -> {
					call.run(tx, sql);
					return null;
				});
			}
		};

		abstract void run(PostgresClient client, StatementCall call, String sql);

	}

	/** Each statement alone and after a write; then other spellings, and the issue's strings. */
	static Stream<Arguments> transactionControl() {
		Stream<Arguments> listed = TRANSACTION_CONTROL.stream()
			.flatMap((statement) -> Stream.of(Arguments.of(statement, firstWord(statement)),
					Arguments.of(JOURNAL_INSERT + "; " + statement, firstWord(statement))));
		Stream<Arguments> spelled = Stream.of(Arguments.of("begin isolation level serializable", "begin"),
				Arguments.of("start transaction read only", "start"), Arguments.of("-- done\ncommit", "commit"),
				Arguments.of("/* undo */ rollback to savepoint x", "rollback"),
				Arguments.of("release savepoint x", "release"),
				Arguments.of("BEGIN; " + JOURNAL_INSERT + "; SELECT 1/0; COMMIT", "BEGIN"),
				Arguments.of(JOURNAL_INSERT + "; COMMIT AND CHAIN; " + JOURNAL_INSERT, "COMMIT"));
		return Stream.concat(listed, spelled);
	}

	private static String firstWord(String statement) {
		return statement.split(" ")[0];
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("transactionControl")
	void aTransactionControlStatementIsRefusedThroughEveryCallBeforeAnythingIsSent(String sql, String keyword) {
		SoftAssertions softly = new SoftAssertions();
		for (Route route : Route.values()) {
			for (StatementCall call : StatementCall.values()) {
				Throwable thrown = catchThrowable(() -> route.run(this.app, call, sql));
				softly.assertThat(thrown).as("%s %s", route, call).isInstanceOf(InvalidDataAccessApiUsageException.class);
				if (thrown instanceof InvalidDataAccessApiUsageException) {
					softly.assertThat(thrown.getMessage())
						.as("%s %s: the message", route, call)
						.containsIgnoringCase(keyword)
						.contains("transaction(");
				}
				softly.assertThat(journalRows()).as("%s %s: rows the string wrote", route, call).isZero();
			}
		}
		softly.assertAll();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "COMMIT PREPARED 'x'", "ROLLBACK PREPARED 'x'" })
	void commitAndRollbackPreparedAreNoTransactionControlOfTheCall(String sql) {
		SoftAssertions softly = new SoftAssertions();
		for (Route route : Route.values()) {
			for (StatementCall call : StatementCall.values()) {
				// The server refuses them (no such prepared transaction, or inside a transaction block): not the client.
				softly.assertThat(catchThrowable(() -> route.run(this.app, call, sql)))
					.as("%s %s", route, call)
					.isNotInstanceOf(InvalidDataAccessApiUsageException.class);
			}
		}
		softly.assertAll();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "DO $$ BEGIN PERFORM 1; END $$", "SELECT CASE WHEN true THEN 'BEGIN' END AS \"commit\"",
			"-- BEGIN\nSELECT 'ROLLBACK; COMMIT' AS \"end\"" })
	void keywordsInsideOtherStatementsAreNoTransactionControl(String sql) {
		SoftAssertions softly = new SoftAssertions();
		for (Route route : Route.values()) {
			for (StatementCall call : List.of(StatementCall.EXECUTE, StatementCall.FETCH_MANY, StatementCall.STREAM)) {
				softly.assertThatCode(() -> route.run(this.app, call, sql)).as("%s %s", route, call).doesNotThrowAnyException();
			}
		}
		softly.assertAll();
	}

	@Test
	void theIssuesScenarioOnAPoolOfOne() {
		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(catchThrowable(() -> this.app.forTenant("t1").execute("BEGIN")))
			.as("BEGIN through forTenant")
			.isInstanceOf(InvalidDataAccessApiUsageException.class);
		softly.assertThatCode(() -> assertThat(this.app.fetchMany("SELECT tenant_id FROM events")).isEmpty())
			.as("an unscoped read afterwards")
			.doesNotThrowAnyException();
		softly.assertThat(catchThrowable(
				() -> this.app.execute("BEGIN; INSERT INTO journal VALUES ('x'); SELECT 1/0; COMMIT")))
			.as("BEGIN; INSERT ...; SELECT 1/0; COMMIT")
			.isInstanceOf(InvalidDataAccessApiUsageException.class);
		softly.assertThatCode(() -> assertThat(this.app.fetchValue(Integer.class, "SELECT 1")).contains(1))
			.as("SELECT 1 afterwards")
			.doesNotThrowAnyException();
		softly.assertThat(journalRows()).as("rows written").isZero();
		softly.assertAll();
	}

	/** How a connection goes back to the pool, and what pg_stat_activity says of its backend then. */
	enum LeftBehind {

		OPEN_TRANSACTION("BEGIN; SET LOCAL application_name = 'planted-name'; "
				+ "SELECT set_config('aluskort.tenant_id', 'planted-tenant', true)", false, "idle in transaction"),

		FAILED_TRANSACTION("BEGIN; SET LOCAL application_name = 'planted-name'; "
				+ "SELECT set_config('aluskort.tenant_id', 'planted-tenant', true); SELECT 1/0", true,
				"idle in transaction (aborted)");

		final String sql;

		final boolean fails;

		final String activity;

		LeftBehind(String sql, boolean fails, String activity) {
			this.sql = sql;
			this.fails = fails;
			this.activity = activity;
		}

	}

	@ParameterizedTest
	@EnumSource(LeftBehind.class)
	void aConnectionGivenBackWithATransactionOnTheServerIsRolledBackAndResetWithOneWarning(LeftBehind left)
			throws SQLException {
		int pid;
		List<ILoggingEvent> warnings;
		try (ClientLog log = new ClientLog()) {
			pid = giveBack(this.app, left);
			warnings = log.warnings();
		}
		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(activity(pid)).as("the backend's state once given back").isEqualTo("idle");
		softly.assertThat(warnings).as("WARNs logged by io.aluskort.postgres").hasSize(1);
		for (ILoggingEvent warning : warnings) {
			softly.assertThat(render(warning)).as("a WARN").contains(Operation.EXECUTE.tagValue()).doesNotContain("planted");
		}
		softly.assertThatCode(() -> {
			Map<String, Object> session = this.app.fetchOne("SELECT pg_backend_pid() AS pid, "
					+ "current_setting('aluskort.tenant_id', true) AS tenant, current_setting('application_name') AS name")
				.orElseThrow();
			assertThat(session.get("pid")).as("the same connection").isEqualTo(pid);
			assertThat((String) session.get("tenant")).as("tenant").isNullOrEmpty();
			assertThat(session.get("name")).as("application_name").isNotEqualTo("planted-name");
			assertThat(this.app.fetchValue(Integer.class, "SELECT 1")).contains(1);
		}).as("the next borrower").doesNotThrowAnyException();
		softly.assertAll();
	}

	@Test
	void aConnectionRolledBackWhenGivenBackIsCounted() throws SQLException {
		List<Operation> rolledBack = new ArrayList<>();
		CallListener listener = new CallListener() {

			@Override
			public void callCompleted(Operation operation, long durationNanos, @Nullable Throwable failure) {
			}

			@Override
			public void transactionLeftOpen(Operation operation) {
				rolledBack.add(operation);
			}

		};
		try (PostgresClient counted = new PostgresClient(
				RowLevelSecurity.connectAs(this.database, ROLE).minSize(1).maxSize(1).build(), listener)) {
			counted.connect();
			giveBack(counted, LeftBehind.OPEN_TRANSACTION);
			assertThat(counted.fetchValue(Integer.class, "SELECT 1")).contains(1);
		}
		assertThat(rolledBack).containsExactly(Operation.EXECUTE);
	}

	@Test
	void aRequiresNewTransactionsSessionChangesAreResetThoughTheOuterOneMarkedAResetFirst() throws SQLException {
		try (PostgresClient two = new PostgresClient(this.database.clientConfig().minSize(1).maxSize(2).build())) {
			two.connect();
			Map<Integer, Settings> before = settingsOfBothConnections(two);
			JdbcTransactionManager transactionManager = new JdbcTransactionManager(two.dataSource());
			TransactionTemplate outer = new TransactionTemplate(transactionManager);
			TransactionTemplate inner = new TransactionTemplate(transactionManager);
			inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);

			List<Integer> pids = outer.execute((outerStatus) -> {
				two.execute("SET work_mem = '7MB'");
				int innerPid = Objects.requireNonNull(inner.execute((innerStatus) -> {
					two.execute("SET statement_timeout = '17s'");
					return backend(two);
				}));
				return List.of(backend(two), innerPid);
			});

			assertThat(pids).as("outer and inner connection").doesNotHaveDuplicates();
			assertThat(before.values()).as("before").hasSize(2).doesNotContain(new Settings("7MB", "17s"));
			Settings defaults = before.values().iterator().next();
			assertThat(settingsOfBothConnections(two).values()).as("after both transactions").containsOnly(defaults);
		}
	}

	record Settings(String workMem, String statementTimeout) {
	}

	/** The settings of both pooled connections, by backend: both are borrowed at once, so both are seen. */
	private static Map<Integer, Settings> settingsOfBothConnections(PostgresClient client) throws SQLException {
		Map<Integer, Settings> settings = new HashMap<>();
		try (Connection first = client.dataSource().getConnection();
				Connection second = client.dataSource().getConnection()) {
			for (Connection connection : List.of(first, second)) {
				try (Statement statement = connection.createStatement();
						ResultSet row = statement.executeQuery("SELECT pg_backend_pid(), current_setting('work_mem'), "
								+ "current_setting('statement_timeout')")) {
					row.next();
					settings.put(row.getInt(1), new Settings(row.getString(2), row.getString(3)));
				}
			}
		}
		return settings;
	}

	private static int backend(PostgresClient client) {
		return client.fetchValue(Integer.class, "SELECT pg_backend_pid()").orElseThrow();
	}

	/**
	 * Borrows the pool's connection as the client does, leaves a transaction open or failed on it with
	 * plain JDBC (autocommit on, as pooled connections are), and gives it back through the client's own
	 * release.
	 * @return the connection's backend
	 */
	private int giveBack(PostgresClient client, LeftBehind left) throws SQLException {
		Connection connection = DataSourceUtils.getConnection(client.dataSource());
		int pid;
		try (Statement statement = connection.createStatement()) {
			try (ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
				row.next();
				pid = row.getInt(1);
			}
			if (left.fails) {
				assertThatExceptionOfType(SQLException.class).isThrownBy(() -> statement.execute(left.sql));
			}
			else {
				statement.execute(left.sql);
			}
		}
		assertThat(activity(pid)).as("the backend's state before it is given back").isEqualTo(left.activity);
		client.core.release(connection, client.dataSource(), Operation.EXECUTE, "SELECT 1");
		return pid;
	}

	/** What the server says its backend is doing; asked on another connection. */
	private String activity(int pid) {
		return this.admin.fetchValue(String.class, "SELECT state FROM pg_stat_activity WHERE pid = $1", pid)
			.orElseThrow();
	}

	private long journalRows() {
		return this.admin.fetchValue(Long.class, "SELECT count(*) FROM journal").orElseThrow();
	}

	private static String render(ILoggingEvent event) {
		return event.getFormattedMessage()
				+ ((event.getThrowableProxy() != null) ? ThrowableProxyUtil.asString(event.getThrowableProxy()) : "");
	}

	/** What the client's loggers log at WARN or above while it is open. */
	private static final class ClientLog implements AutoCloseable {

		private final Logger logger = (Logger) LoggerFactory.getLogger("io.aluskort.postgres");

		private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

		ClientLog() {
			this.appender.start();
			this.logger.addAppender(this.appender);
		}

		List<ILoggingEvent> warnings() {
			return this.appender.list.stream().filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN)).toList();
		}

		@Override
		public void close() {
			this.logger.detachAppender(this.appender);
		}

	}

}
