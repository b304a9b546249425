package io.aluskort.postgres.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/env} and {@code /actuator/configprops} never show the database password, even with
 * {@code show-values=always}, where Spring Boot masks nothing by itself: neither
 * {@code aluskort.postgres.password} nor the password inside {@code aluskort.postgres.url}.
 */
@SpringBootTest(classes = StarterTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,env,configprops",
				"management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always",
				"aluskort.postgres.pool.min-size=1" })
class SecretsInEndpointsIntegrationTests {

	private static final String USER = "aluskort_secrets_it";

	private static final String PASSWORD = "Pw-" + Long.toHexString(System.nanoTime()) + "-never-shown";

	private static final String URL_PASSWORD = "Url" + PASSWORD;

	private static PostgresDatabase database;

	@LocalServerPort
	private int port;

	@Autowired
	private PostgresClient db;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) throws SQLException {
		database = PostgresServer.shared().createDatabase("secrets");
		try (Connection connection = database.openConnection(); Statement statement = connection.createStatement()) {
			statement.execute("DROP ROLE IF EXISTS " + USER);
			statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + URL_PASSWORD + "'");
		}
		// The url's password is the one that logs in: the password property is set too, and wins.
		registry.add("aluskort.postgres.url", () -> "postgresql://" + USER + ":" + URL_PASSWORD + "@" + database.host()
				+ ":" + database.port() + "/" + database.name());
		registry.add("aluskort.postgres.password", () -> URL_PASSWORD);
		registry.add("aluskort.postgres.driver-properties.sslpassword", () -> PASSWORD);
	}

	@Test
	void theServiceLoggedInWithThosePasswords() {
		assertThat(this.db.fetchOne("SELECT current_user AS name").orElseThrow().get("name")).isEqualTo(USER);
	}

	@Test
	void envShowsValuesButNotThePasswords() {
		Http.Response env = http().get("/actuator/env");
		assertThat(env.status()).isEqualTo(200);
		assertThat(env.body()).contains(USER).contains(database.name()).contains("******");
		assertThat(env.body()).doesNotContain(PASSWORD).doesNotContain(URL_PASSWORD);
		Http.Response one = http().get("/actuator/env/aluskort.postgres.password");
		assertThat(one.status()).isEqualTo(200);
		assertThat(one.body()).contains("******").doesNotContain(URL_PASSWORD);
		Http.Response url = http().get("/actuator/env/aluskort.postgres.url");
		assertThat(url.<String>read("$.property.value"))
			.isEqualTo("postgresql://" + USER + ":******@" + database.host() + ":" + database.port() + "/"
					+ database.name());
	}

	@Test
	void configpropsShowsValuesButNotThePasswords() {
		Http.Response configprops = http().get("/actuator/configprops");
		assertThat(configprops.status()).isEqualTo(200);
		assertThat(configprops.body()).contains("aluskort.postgres").contains(database.name()).contains("******");
		assertThat(configprops.body()).doesNotContain(PASSWORD).doesNotContain(URL_PASSWORD);
		Http.Response prefix = http().get("/actuator/configprops/aluskort.postgres");
		assertThat(prefix.status()).isEqualTo(200);
		assertThat(prefix.body()).doesNotContain(PASSWORD).doesNotContain(URL_PASSWORD);
	}

	private Http http() {
		return new Http(this.port);
	}

}
