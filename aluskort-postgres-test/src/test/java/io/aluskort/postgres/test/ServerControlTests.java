package io.aluskort.postgres.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.aluskort.postgres.test.EmbeddedServerTests.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fault controls: stop, start, restart and terminating connections.
 */
@PostgresTest
class ServerControlTests {

	@BeforeAll
	static void requireControllableServer(PostgresServer server) {
		assumeTrue(server.controllable(), "needs the embedded server");
	}

	@Test
	void stopAndStartKeepDataAndPort(PostgresDatabase database) throws SQLException {
		execute(database, "CREATE TABLE kept (value text)", "INSERT INTO kept VALUES ('before the stop')");
		int port = database.port();
		database.server().stop();
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> database.openConnection().close())
			.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
		database.server().start();
		assertThat(database.port()).isEqualTo(port);
		assertThat(query(database, "SELECT value FROM kept")).isEqualTo("before the stop");
	}

	@Test
	void stopAndStartAreIdempotent(PostgresServer server, PostgresDatabase database) throws SQLException {
		server.start();
		server.stop();
		server.stop();
		server.start();
		assertThat(query(database, "SELECT 1")).isEqualTo("1");
	}

	@Test
	void restartBreaksOpenConnections(PostgresDatabase database) throws SQLException {
		OffsetDateTime startedBefore;
		try (Connection connection = database.openConnection()) {
			startedBefore = postmasterStartTime(connection);
			database.server().restart();
			assertBroken(connection);
		}
		try (Connection connection = database.openConnection()) {
			assertThat(postmasterStartTime(connection)).isAfter(startedBefore);
		}
	}

	@Test
	void terminateBackendsKillsTheConnectionsToOneDatabase(PostgresDatabase database, PostgresServer server)
			throws SQLException {
		PostgresDatabase other = server.createDatabase("bystander");
		try (Connection first = database.openConnection();
				Connection second = database.openConnection();
				Connection bystander = other.openConnection()) {
			assertThat(database.terminateBackends()).isEqualTo(2);
			assertBroken(first);
			assertBroken(second);
			assertThat(select(bystander, "SELECT 1")).isEqualTo("1");
			assertThat(query(database, "SELECT 1")).isEqualTo("1");
		}
		finally {
			server.dropDatabase(other.name());
		}
	}

	@Test
	void aFailedStartReportsWhatTheServerLogged(PostgresServer server) throws IOException {
		Path settings = ((EmbeddedPostgresServer) server).dataDirectory().resolve("postgresql.conf");
		String original = Files.readString(settings);
		server.stop();
		try {
			Files.writeString(settings, original + "no_such_setting = 1\n");
			assertThatIllegalStateException().isThrownBy(server::start)
				.withMessageContaining("PostgreSQL exited with status")
				.withMessageContaining("unrecognized configuration parameter \"no_such_setting\"");
		}
		finally {
			Files.writeString(settings, original);
			server.start();
		}
	}

	private static OffsetDateTime postmasterStartTime(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT pg_postmaster_start_time()")) {
			result.next();
			return result.getObject(1, OffsetDateTime.class);
		}
	}

	private static void assertBroken(Connection connection) {
		// 57P01 when the termination notice arrives first, 08006 when only the closed socket does.
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> select(connection, "SELECT 1"))
			.satisfies((ex) -> assertThat(ex.getSQLState()).matches("57P01|08\\d{3}"));
	}

	private static String select(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getString(1);
		}
	}

	private static void execute(PostgresDatabase database, String... statements) throws SQLException {
		try (Connection connection = database.openConnection(); Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

}
