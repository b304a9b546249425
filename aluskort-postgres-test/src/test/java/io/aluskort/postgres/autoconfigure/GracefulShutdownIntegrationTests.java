package io.aluskort.postgres.autoconfigure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.ThreadPerTask;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresServer;
import io.aluskort.postgres.test.spring.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Closing the application context lets the client's running calls finish, bounded by
 * {@code aluskort.postgres.shutdown-timeout}, then closes the pool: no server connection is left.
 */
class GracefulShutdownIntegrationTests {

	private static PostgresDatabase database;

	@BeforeAll
	static void createDatabase() {
		database = PostgresServer.shared().createDatabase("shutdown");
	}

	@AfterAll
	static void dropDatabase() {
		database.server().dropDatabase(database.name());
	}

	@Test
	void aRunningCallFinishesBeforeThePoolCloses() throws Exception {
		ConfigurableApplicationContext context = start("drain-it", "5s");
		PostgresClient db = context.getBean(PostgresClient.class);
		CompletableFuture<Object> call = CompletableFuture
			.supplyAsync(() -> db.fetchOne("SELECT pg_sleep(1) AS slept, 42 AS answer").orElseThrow().get("answer"), ThreadPerTask.INSTANCE);
		await().atMost(Duration.ofSeconds(5)).until(() -> backends("drain-it", "active") == 1);
		long start = System.nanoTime();
		context.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(300));
		assertThat(call.get(1, TimeUnit.SECONDS)).isEqualTo(42);
		assertThatIllegalStateException().isThrownBy(() -> db.execute("SELECT 1")).withMessageContaining("closed");
		await().atMost(Duration.ofSeconds(5)).until(() -> backends("drain-it", null) == 0);
	}

	@Test
	void aCallThatOutlastsTheShutdownTimeoutIsAborted() throws Exception {
		ConfigurableApplicationContext context = start("abort-it", "500ms");
		PostgresClient db = context.getBean(PostgresClient.class);
		CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> db.execute("SELECT pg_sleep(30)"), ThreadPerTask.INSTANCE);
		await().atMost(Duration.ofSeconds(5)).until(() -> backends("abort-it", "active") == 1);
		long start = System.nanoTime();
		context.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(call).failsWithin(Duration.ofSeconds(5));
		await().atMost(Duration.ofSeconds(10)).until(() -> backends("abort-it", null) == 0);
	}

	private static ConfigurableApplicationContext start(String applicationName, String shutdownTimeout) {
		Map<String, Object> properties = new HashMap<>(TestPostgres.properties(database));
		properties.put("spring.application.name", applicationName);
		properties.put("aluskort.postgres.shutdown-timeout", shutdownTimeout);
		properties.put("aluskort.postgres.pool.min-size", "1");
		return new SpringApplicationBuilder(StarterTestApplication.class).web(WebApplicationType.NONE)
			.properties(properties)
			.run();
	}

	/** Server connections of the application, in the given state or any. */
	private static int backends(String applicationName, String state) throws SQLException {
		try (Connection connection = database.openConnection();
				PreparedStatement statement = connection.prepareStatement(
						"SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND (?::text IS NULL OR state = ?::text)")) {
			statement.setString(1, applicationName);
			statement.setString(2, state);
			statement.setString(3, state);
			try (ResultSet rows = statement.executeQuery()) {
				rows.next();
				return rows.getInt(1);
			}
		}
	}

}
