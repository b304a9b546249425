package io.aluskort.postgres.test;

import java.net.ServerSocket;

import io.aluskort.postgres.SslMode;
import org.junit.jupiter.api.Test;

import static io.aluskort.postgres.test.EmbeddedServerTests.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A server named by {@code ALUSKORT_TEST_POSTGRES_URL}, played by the server of this JVM.
 */
@PostgresTest
class ExternalServerTests {

	@Test
	void createsDatabasesButCannotBeStoppedOrStarted(PostgresDatabase database) throws Exception {
		ExternalPostgresServer external = new ExternalPostgresServer(database.dsn());
		assertThat(external.controllable()).isFalse();
		assertThat(external.host()).isEqualTo(database.host());
		assertThat(external.port()).isEqualTo(database.port());
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(external::stop)
			.withMessageContaining(PostgresServer.URL_ENVIRONMENT_VARIABLE)
			.withMessageContaining("controllable()");
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(external::start);
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(external::restart);
		PostgresDatabase created = external.createDatabase("external");
		try {
			assertThat(created.server()).isSameAs(external);
			assertThat(query(created, "SELECT current_database()")).isEqualTo(created.name());
			assertThat(created.terminateBackends()).isZero();
		}
		finally {
			external.dropDatabase(created.name());
		}
	}

	@Test
	void acceptsJdbcUrlsAndPassesTheirParametersOn(PostgresDatabase database) throws Exception {
		ExternalPostgresServer external = new ExternalPostgresServer("jdbc:postgresql://" + database.host() + ":"
				+ database.port() + "/" + database.name() + "?user=postgres&password=postgres&sslmode=disable");
		PostgresDatabase created = external.createDatabase("jdbc");
		try {
			assertThat(created.jdbcUrl()).endsWith("/" + created.name() + "?sslmode=disable");
			assertThat(created.dsn()).endsWith("?sslmode=disable");
			assertThat(created.clientConfig().build().sslMode()).isEqualTo(SslMode.DISABLE);
			assertThat(query(created, "SELECT current_database()")).isEqualTo(created.name());
		}
		finally {
			external.dropDatabase(created.name());
		}
	}

	@Test
	void saysWhichServerItCouldNotReachWithoutThePassword() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		assertThatIllegalStateException()
			.isThrownBy(() -> new ExternalPostgresServer("postgresql://someone:secret@127.0.0.1:" + closedPort + "/postgres"))
			.withMessageContaining("someone@127.0.0.1:" + closedPort + "/postgres")
			.withMessageContaining(PostgresServer.URL_ENVIRONMENT_VARIABLE)
			.withMessageNotContaining("secret");
	}

	@Test
	void namesDatabasesAfterTheirHint() {
		assertThat(PostgresServer.uniqueDatabaseName("Order$Repository Tests"))
			.matches("test_order_repository_tests_[0-9a-f]{8}");
		assertThat(PostgresServer.uniqueDatabaseName("x".repeat(100))).hasSizeLessThanOrEqualTo(63);
		assertThat(PostgresServer.uniqueDatabaseName("same")).isNotEqualTo(PostgresServer.uniqueDatabaseName("same"));
	}

}
