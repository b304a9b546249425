package io.aluskort.postgres.reliability;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;

import io.aluskort.postgres.ChannelBinding;
import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.PostgresClientConfig;
import io.aluskort.postgres.SslMode;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code channelBinding(REQUIRE)} connects only when the server logs the client in with SCRAM bound to
 * the TLS channel (SCRAM-SHA-256-PLUS), which a man in the middle terminating TLS cannot relay. The
 * embedded server authenticates with scram-sha-256 and turns TLS on at run time.
 */
@PostgresTest
class ChannelBindingTest {

	private static final TestCertificates authority = TestCertificates.authority("aluskort channel binding CA");

	private static final String TRUSTED_ROLE = "aluskort_trusted";

	@BeforeEach
	void needsTheEmbeddedServer(PostgresDatabase database) {
		assumeTrue(database.server().controllable(), "needs the embedded server");
	}

	@AfterEach
	void plainTcpAgain(PostgresDatabase database) {
		if (database.server().controllable()) {
			database.server().disableTls();
		}
	}

	/** pgjdbc 42.7.4 to 42.7.11 may downgrade channelBinding=require silently (CVE-2026-54291). */
	@Test
	void theDriverIsOneThatHonoursRequire(PostgresDatabase database) throws SQLException {
		try (Connection connection = database.openConnection()) {
			String version = connection.getMetaData().getDriverVersion();
			int[] parts = Arrays.stream(version.split("[.-]", 4)).limit(3).mapToInt(Integer::parseInt).toArray();
			assertThat(parts[0] * 1_000_000 + parts[1] * 1_000 + parts[2]).as("pgjdbc %s", version)
				.isGreaterThanOrEqualTo(42_007_012);
		}
	}

	@Test
	void requireConnectsOverTlsWithScram(PostgresDatabase database) {
		serveTls(database);
		try (PostgresClient client = new PostgresClient(config(database, SslMode.REQUIRE, ChannelBinding.REQUIRE))) {
			client.connect();
			assertThat(client.fetchValue(Boolean.class, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
				.contains(true);
			assertThat(client.healthCheck()).isTrue();
			for (int i = 0; i < 7; i++) {
				assertThat(client.fetchValue(String.class, "SELECT $1::text", "bound")).contains("bound");
			}
		}
	}

	@Test
	void requireRefusesAServerWithoutTls(PostgresDatabase database) {
		// sslmode prefer, the driver's default: plain TCP, since the server offers no TLS.
		PostgresClient client = new PostgresClient(config(database, null, ChannelBinding.REQUIRE));
		assertThatExceptionOfType(CannotGetJdbcConnectionException.class).isThrownBy(client::connect)
			.withMessageContaining("Channel Binding is required, but SSL is not in use")
			.satisfies((ex) -> assertThat(((SQLException) ex.getCause()).getSQLState()).startsWith("08"));
		client.close();
	}

	@Test
	void requireRefusesPlainTcpToAServerThatOffersTls(PostgresDatabase database) {
		serveTls(database);
		PostgresClient client = new PostgresClient(config(database, SslMode.DISABLE, ChannelBinding.REQUIRE));
		assertThatExceptionOfType(CannotGetJdbcConnectionException.class).isThrownBy(client::connect)
			.withMessageContaining("Channel Binding is required, but SSL is not in use");
		client.close();
	}

	@Test
	void requireRefusesAServerThatLogsInWithoutScram(PostgresDatabase database) throws SQLException {
		serveTls(database);
		try (Connection admin = database.openConnection(); Statement statement = admin.createStatement()) {
			statement.execute("DROP ROLE IF EXISTS " + TRUSTED_ROLE);
			statement.execute("CREATE ROLE " + TRUSTED_ROLE + " LOGIN");
			String original = single(statement, "SELECT pg_read_file(current_setting('hba_file'))");
			try {
				// What a man in the middle can do: log the client in without asking for its password.
				writeHbaFile(statement, "host all " + TRUSTED_ROLE + " 127.0.0.1/32 trust\n" + original);
				PostgresClientConfig.Builder trusted = database.clientConfig()
					.user(TRUSTED_ROLE)
					.password("")
					.minSize(1)
					.maxSize(1)
					.sslMode(SslMode.REQUIRE);
				// The postmaster rereads the file on SIGHUP, soon after pg_reload_conf() returns.
				await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
					try (PostgresClient client = new PostgresClient(trusted.build())) {
						client.connect();
						assertThat(client.fetchValue(String.class, "SELECT current_user")).contains(TRUSTED_ROLE);
					}
				});
				PostgresClient client = new PostgresClient(trusted.channelBinding(ChannelBinding.REQUIRE).build());
				assertThatExceptionOfType(CannotGetJdbcConnectionException.class).isThrownBy(client::connect)
					.withMessageContaining("Channel binding is required, but server skipped authentication");
				client.close();
			}
			finally {
				writeHbaFile(statement, original);
				statement.execute("DROP ROLE " + TRUSTED_ROLE);
			}
		}
	}

	/**
	 * Rewrites pg_hba.conf through the server, which owns it, one line per row (COPY's text format
	 * would escape a tab, which separates fields just as a space does), and has the server reread it.
	 */
	private static void writeHbaFile(Statement statement, String content) throws SQLException {
		String path = single(statement, "SELECT current_setting('hba_file')");
		statement.execute("COPY (SELECT unnest(string_to_array(" + literal(content.replace('\t', ' '))
				+ ", E'\\n'))) TO " + literal(path));
		single(statement, "SELECT pg_reload_conf()::text");
	}

	private static String single(Statement statement, String query) throws SQLException {
		try (ResultSet result = statement.executeQuery(query)) {
			result.next();
			return result.getString(1);
		}
	}

	private static String literal(String text) {
		return "'" + text.replace("'", "''") + "'";
	}

	@Test
	void disableConnectsOverTlsWithoutBinding(PostgresDatabase database) {
		serveTls(database);
		try (PostgresClient client = new PostgresClient(config(database, SslMode.REQUIRE, ChannelBinding.DISABLE))) {
			client.connect();
			assertThat(client.fetchValue(Integer.class, "SELECT 1")).contains(1);
		}
		assertThat(config(database, SslMode.REQUIRE, ChannelBinding.DISABLE).driverProperties())
			.containsEntry("channelBinding", "disable");
	}

	private static void serveTls(PostgresDatabase database) {
		TestCertificates.Issued certificate = authority.issueServer("localhost", "127.0.0.1");
		database.server().enableTls(certificate.certificatePem(), certificate.privateKeyPem());
	}

	private static PostgresClientConfig config(PostgresDatabase database, SslMode sslMode, ChannelBinding binding) {
		PostgresClientConfig.Builder builder = database.clientConfig().minSize(1).maxSize(1).channelBinding(binding);
		return ((sslMode != null) ? builder.sslMode(sslMode) : builder).build();
	}

}
