package io.aluskort.postgres.reliability;

import java.sql.Connection;
import java.sql.SQLException;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code channelBinding(REQUIRE)} connects only when the server logs the client in with SCRAM bound to
 * the TLS channel (SCRAM-SHA-256-PLUS), which a man in the middle terminating TLS cannot relay. The
 * embedded server authenticates with scram-sha-256 and turns TLS on at run time.
 */
@PostgresTest
class ChannelBindingTest {

	private static final TestCertificates authority = TestCertificates.authority("aluskort channel binding CA");

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
