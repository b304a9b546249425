package io.aluskort.postgres.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.aluskort.postgres.PasswordShapes;
import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresServer;
import io.aluskort.postgres.test.http.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.aluskort.postgres.PasswordShapes.assertNoPieceOf;
import static io.aluskort.postgres.PasswordShapes.encoded;
import static io.aluskort.postgres.PasswordShapes.raw;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/env} and {@code /actuator/configprops} never show the database password, even with
 * {@code show-values=always}, where Spring Boot masks nothing by itself: neither
 * {@code aluskort.postgres.password} nor the password inside {@code aluskort.postgres.url}, nor an
 * {@code sslpassword} in the url or the driver properties; not even a piece of one, whatever
 * characters it holds. The service logs in with each.
 */
@SpringBootTest(classes = StarterTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,env,configprops",
				"management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always",
				"aluskort.postgres.pool.min-size=1" })
class SecretsInEndpointsIntegrationTests {

	private static final String USER = "aluskort_secrets_it";

	/** The login password: every ASCII punctuation character and space. */
	private static final String PASSWORD = PasswordShapes.EVERY;

	private static final String URL_SSL_PASSWORD = "Qj" + PASSWORD;

	private static final String DRIVER_SSL_PASSWORD = "Jq" + PASSWORD;

	private static final List<String> SECRETS = List.of(PASSWORD, URL_SSL_PASSWORD, DRIVER_SSL_PASSWORD);

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
			statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD.replace("'", "''") + "'");
		}
		// The password as a user pastes it, raw; the password property is set too, to the same, and wins.
		registry.add("aluskort.postgres.url", () -> url(raw(PASSWORD)) + "?sslpassword=" + encoded(URL_SSL_PASSWORD));
		registry.add("aluskort.postgres.password", () -> PASSWORD);
		registry.add("aluskort.postgres.driver-properties.sslpassword", () -> DRIVER_SSL_PASSWORD);
	}

	@Test
	void theServiceLoggedInWithThosePasswords() {
		assertThat(this.db.fetchValue(String.class, "SELECT current_user::text")).contains(USER);
	}

	@Test
	void envShowsValuesButNotThePasswords() {
		assertEnvHidesTheSecrets(this.port);
		Http.Response one = http(this.port).get("/actuator/env/aluskort.postgres.password");
		assertThat(one.status()).isEqualTo(200);
		assertThat(one.<String>read("$.property.value")).isEqualTo("******");
		Http.Response url = http(this.port).get("/actuator/env/aluskort.postgres.url");
		assertThat(url.<String>read("$.property.value")).isEqualTo(url("******") + "?sslpassword=******");
	}

	@Test
	void configpropsShowsValuesButNotThePasswords() {
		assertConfigpropsHidesTheSecrets(this.port);
	}

	/**
	 * The url with the password percent-encoded, and the password given on its own with host, port and
	 * database: each logs in, and neither endpoint shows it.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "url", "properties" })
	void otherShapesOfThePassword(String shape) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("management.endpoints.web.exposure.include", "env,configprops");
		properties.put("management.endpoint.env.show-values", "always");
		properties.put("management.endpoint.configprops.show-values", "always");
		properties.put("aluskort.postgres.pool.min-size", "1");
		if (shape.equals("url")) {
			properties.put("aluskort.postgres.url", url(encoded(PASSWORD)) + "?sslpassword=" + encoded(URL_SSL_PASSWORD));
		}
		else {
			properties.put("aluskort.postgres.host", database.host());
			properties.put("aluskort.postgres.port", database.port());
			properties.put("aluskort.postgres.database", database.name());
			properties.put("aluskort.postgres.username", USER);
			properties.put("aluskort.postgres.password", PASSWORD);
		}
		properties.put("aluskort.postgres.driver-properties.sslpassword", DRIVER_SSL_PASSWORD);
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(StarterTestApplication.class)
			.properties(properties)
			.run()) {
			PostgresClient client = app.getBean(PostgresClient.class);
			assertThat(client.fetchValue(String.class, "SELECT current_user::text")).contains(USER);
			int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
			assertEnvHidesTheSecrets(port);
			assertConfigpropsHidesTheSecrets(port);
		}
	}

	private static void assertEnvHidesTheSecrets(int port) {
		Http.Response env = http(port).get("/actuator/env");
		assertThat(env.status()).isEqualTo(200);
		assertThat(env.body()).contains(USER).contains(database.name()).contains("******");
		assertHidesTheSecrets(env);
	}

	private static void assertConfigpropsHidesTheSecrets(int port) {
		Http.Response configprops = http(port).get("/actuator/configprops");
		assertThat(configprops.status()).isEqualTo(200);
		assertThat(configprops.body()).contains("aluskort.postgres").contains("******");
		assertHidesTheSecrets(configprops);
		Http.Response prefix = http(port).get("/actuator/configprops/aluskort.postgres");
		assertThat(prefix.status()).isEqualTo(200);
		assertHidesTheSecrets(prefix);
	}

	/** Neither in the JSON as sent nor in its values, where quotes and backslashes are no longer escaped. */
	private static void assertHidesTheSecrets(Http.Response response) {
		String values = String.valueOf(JsonPath.<Object>read(response.body(), "$..*"));
		for (String secret : SECRETS) {
			assertNoPieceOf(secret, response.body());
			assertNoPieceOf(secret, values);
		}
	}

	private static String url(String password) {
		return "postgresql://" + USER + ":" + password + "@" + database.host() + ":" + database.port() + "/"
				+ database.name();
	}

	private static Http http(int port) {
		return new Http(port);
	}

}
