package io.aluskort.postgres.reliability;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.PostgresClientConfig;
import io.aluskort.postgres.SslMode;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code sslMode(VERIFY_FULL)} accepts only a server whose certificate a trusted authority issued for
 * the host the client connects to. The embedded server turns TLS on at run time with certificates
 * made here; it connects as {@code 127.0.0.1}.
 */
@PostgresTest
class TlsTest {

	private static final TestCertificates authority = TestCertificates.authority("aluskort test CA");

	@TempDir
	static Path directory;

	private static Path trusted;

	@BeforeAll
	static void writeTrustedAuthority(PostgresDatabase database) throws Exception {
		assumeTrue(database.server().controllable(), "needs the embedded server");
		trusted = directory.resolve("root.crt");
		Files.writeString(trusted, authority.certificatePem(), StandardCharsets.US_ASCII);
	}

	@AfterAll
	static void plainTcpAgain(PostgresDatabase database) {
		if (database.server().controllable()) {
			database.server().disableTls();
		}
	}

	@Test
	void verifyFullConnectsToTheHostItsCertificateNames(PostgresDatabase database) {
		serve(database, authority.issueServer("localhost", "127.0.0.1"));
		try (PostgresClient client = new PostgresClient(verifyFull(database, trusted))) {
			client.connect();
			assertThat(client.fetchValue(Boolean.class, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
				.contains(true);
			assertThat(client.healthCheck()).isTrue();
		}
	}

	@Test
	void verifyFullRefusesACertificateForAnotherHost(PostgresDatabase database) {
		serve(database, authority.issueServer("db.other-host.invalid"));
		PostgresClient client = new PostgresClient(verifyFull(database, trusted));
		assertThatExceptionOfType(CannotGetJdbcConnectionException.class).isThrownBy(client::connect)
			.withMessageContaining("hostname 127.0.0.1 could not be verified")
			.satisfies((ex) -> assertThat(((SQLException) ex.getCause()).getSQLState()).startsWith("08"));
		client.close();
	}

	@Test
	void verifyFullRefusesACertificateFromAnUntrustedAuthority(PostgresDatabase database) {
		serve(database, TestCertificates.authority("someone else").issueServer("localhost", "127.0.0.1"));
		PostgresClient client = new PostgresClient(verifyFull(database, trusted));
		assertThatExceptionOfType(CannotGetJdbcConnectionException.class).isThrownBy(client::connect)
			.withMessageContaining("PKIX path building failed");
		client.close();
	}

	private static void serve(PostgresDatabase database, TestCertificates.Issued certificate) {
		database.server().enableTls(certificate.certificatePem(), certificate.privateKeyPem());
	}

	private static PostgresClientConfig verifyFull(PostgresDatabase database, Path rootCertificate) {
		return database.clientConfig()
			.minSize(1)
			.sslMode(SslMode.VERIFY_FULL)
			.driverProperty("sslrootcert", rootCertificate.toString())
			.build();
	}

}
