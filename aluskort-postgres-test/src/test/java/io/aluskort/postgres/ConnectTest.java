package io.aluskort.postgres;

import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@PostgresTest
class ConnectTest {

	private static final String SPECIAL_PASSWORD = "p@ss:w/rd%+ é";

	@BeforeAll
	static void userWithSpecialPassword(PostgresClient db, PostgresDatabase database) {
		db.execute("DROP ROLE IF EXISTS special_user");
		db.execute("CREATE ROLE special_user LOGIN PASSWORD '" + SPECIAL_PASSWORD.replace("'", "''") + "'");
		db.execute("GRANT ALL ON DATABASE " + database.name() + " TO special_user");
	}

	@Test
	void poolHasTheConfiguredSizes(PostgresDatabase database) {
		try (PostgresClient client = new PostgresClient(database.clientConfig().applicationName("sizes").build())) {
			client.connect();
			HikariDataSource pool = (HikariDataSource) client.dataSource();
			assertThat(pool.getMinimumIdle()).isEqualTo(5);
			assertThat(pool.getMaximumPoolSize()).isEqualTo(20);
			assertThat(client.poolStats().max()).isEqualTo(20);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.poolStats().idle()).isEqualTo(5));
			assertThat(backendsNamed(client, "sizes")).isEqualTo(5);
		}
	}

	private static long backendsNamed(PostgresClient client, String applicationName) {
		return (Long) client.fetchOne("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1",
				applicationName).orElseThrow().get("n");
	}

	@Test
	void unreachableServerFailsFastNamingTheTargetButNotThePassword(PostgresDatabase database) throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		PostgresClient client = new PostgresClient(
				database.clientConfig().port(closedPort).password("hunter2-secret").minSize(1).build());
		long start = System.nanoTime();
		assertThatExceptionOfType(CannotGetJdbcConnectionException.class).isThrownBy(client::connect)
			.withMessageContaining(database.host() + ":" + closedPort + "/" + database.name())
			.withMessageNotContaining("hunter2-secret");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void wrongPasswordFailsFastWithoutShowingIt(PostgresDatabase database) {
		PostgresClient client = new PostgresClient(database.clientConfig().password("wrong-secret-99").build());
		assertThatExceptionOfType(CannotGetJdbcConnectionException.class).isThrownBy(client::connect)
			.withMessageContaining(database.port() + "/" + database.name())
			.withMessageContaining("password authentication failed")
			.withMessageNotContaining("wrong-secret-99");
	}

	@Test
	void libpqUriWithPercentEncodedPasswordConnects(PostgresDatabase database) {
		String dsn = "postgresql://special_user:" + encode(SPECIAL_PASSWORD) + "@" + database.host() + ":"
				+ database.port() + "/" + database.name() + "?sslmode=disable&application_name=from-dsn";
		assertConnectsAs(PostgresClientConfig.builder().dsn(dsn).minSize(1).build(), "special_user", "from-dsn");
		assertConnectsAs(PostgresClientConfig.builder().dsn(dsn.replace("postgresql://", "postgres://")).minSize(1).build(),
				"special_user", "from-dsn");
	}

	@Test
	void jdbcUrlConnects(PostgresDatabase database) {
		String dsn = "jdbc:postgresql://" + database.host() + ":" + database.port() + "/" + database.name()
				+ "?user=special_user&password=" + encode(SPECIAL_PASSWORD) + "&ApplicationName=from-jdbc";
		assertConnectsAs(PostgresClientConfig.builder().dsn(dsn).minSize(1).build(), "special_user", "from-jdbc");
	}

	@Test
	void explicitValuesOverrideTheDsn(PostgresDatabase database) {
		String dsn = "postgresql://nobody:nothing@" + database.host() + ":" + database.port() + "/" + database.name();
		PostgresClientConfig config = PostgresClientConfig.builder()
			.dsn(dsn)
			.user("special_user")
			.password(SPECIAL_PASSWORD)
			.applicationName("explicit")
			.minSize(1)
			.build();
		assertConnectsAs(config, "special_user", "explicit");
	}

	private static void assertConnectsAs(PostgresClientConfig config, String user, String applicationName) {
		try (PostgresClient client = new PostgresClient(config)) {
			client.connect();
			assertThat(client.fetchOne("SELECT current_user AS u, current_setting('application_name') AS app")
				.orElseThrow()).containsEntry("u", user).containsEntry("app", applicationName);
		}
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

	@Test
	void statementTimeoutIsTheServerSetting(PostgresDatabase database) {
		try (PostgresClient client = new PostgresClient(
				database.clientConfig().statementTimeout(Duration.ofMillis(1500)).minSize(1).build())) {
			client.connect();
			assertThat(client.fetchOne("SELECT current_setting('statement_timeout') AS t").orElseThrow())
				.containsEntry("t", "1500ms");
		}
	}

}
