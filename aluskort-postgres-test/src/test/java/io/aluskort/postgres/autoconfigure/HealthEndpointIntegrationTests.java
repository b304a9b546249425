package io.aluskort.postgres.autoconfigure;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.aluskort.postgres.Operation;
import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.http.HealthOverHttp;
import io.aluskort.postgres.test.http.Http;
import io.aluskort.postgres.test.spring.AutoConfigureTestPostgres;
import io.aluskort.postgres.test.spring.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A service with the starter and Actuator, and without Spring Boot's JDBC module (the sample's tests
 * cover a service with it): {@code /actuator/health} over HTTP, while the server is up, gone, and back,
 * and the metrics.
 */
@SpringBootTest(classes = StarterTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoint.health.show-details=always",
				"management.endpoint.health.group.readiness.include=postgres",
				"aluskort.postgres.health.timeout=1s", "aluskort.postgres.statement-timeout=1s",
				"aluskort.postgres.pool.max-size=2", "aluskort.postgres.pool.acquire-timeout=20s" })
@AutoConfigureTestPostgres
class HealthEndpointIntegrationTests {

	/** The health timeout, and what HTTP and JSON may add to it. */
	private static final Duration BOUND = Duration.ofMillis(1000 + 1500);

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private PostgresClient db;

	@Autowired
	private DataSource dataSource;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void springBootsJdbcModuleIsAbsentHere() {
		assertThat(ClassUtils.isPresent("org.springframework.boot.jdbc.health.DataSourceHealthIndicator", null))
			.isFalse();
	}

	@Test
	void upWithDetails() {
		Http.Response health = http().get("/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.<String>read("$.status")).isEqualTo("UP");
		Map<String, Object> details = health.read("$.components.postgres.details");
		assertThat(health.<String>read("$.components.postgres.status")).isEqualTo("UP");
		assertThat((String) details.get("version")).matches("1[6-9].*|[2-9][0-9].*");
		assertThat(details.get("database")).isEqualTo(TestPostgres.database(this.context).name());
		assertThat(details.get("responseTime")).asString().endsWith("ms");
		assertThat(health.<Map<String, Object>>read("$.components.postgres.details.pool")).containsKeys("active",
				"idle", "total", "pending", "max");
		assertThat(health.<Integer>read("$.components.postgres.details.pool.max")).isEqualTo(2);
		assertThat(health.<Map<String, Object>>read("$.components")).doesNotContainKey("db");
		Http.Response readiness = http().get("/actuator/health/readiness");
		assertThat(readiness.status()).isEqualTo(200);
		assertThat(readiness.<String>read("$.components.postgres.status")).isEqualTo("UP");
	}

	@Test
	void upAndBoundedWhileThePoolIsExhausted() throws Exception {
		List<Connection> held = new ArrayList<>();
		try {
			held.add(this.dataSource.getConnection());
			held.add(this.dataSource.getConnection());
			assertThat(this.db.poolStats().active()).isEqualTo(2);
			long start = System.nanoTime();
			Http.Response health = http().get("/actuator/health");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
			assertThat(health.status()).isEqualTo(200);
			assertThat(health.<Integer>read("$.components.postgres.details.pool.active")).isEqualTo(2);
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
	}

	@Test
	void downWithinTheHealthTimeoutWhenTheServerStopsThenUpAgain() {
		PostgresDatabase database = TestPostgres.database(this.context);
		HealthOverHttp health = new HealthOverHttp(http(), BOUND);
		health.downWhileTheServerIsStopped(database, (down) -> {
			assertThat(down.<String>read("$.components.postgres.details.error")).isNotBlank();
			assertThat(down.body()).doesNotContain(database.password() + "@");
		});
		health.awaitUp(Duration.ofSeconds(10), () -> {
		});
		// The application was not restarted, and its pool works again.
		await().atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(this.db.fetchOne("SELECT 1 AS one")).isPresent());
	}

	@Test
	void timesCallsByOperationAndOutcomeAndBindsThePoolMeters() {
		this.db.execute("SELECT 1");
		this.db.fetchOne("SELECT 1");
		this.db.fetchMany("SELECT 1");
		this.db.transaction((tx) -> tx.execute("SELECT 1"));
		assertThatExceptionOfType(QueryTimeoutException.class).isThrownBy(() -> this.db.execute("SELECT pg_sleep(5)"));
		assertThat(count(Operation.EXECUTE, "success")).isPositive();
		assertThat(count(Operation.FETCH_ONE, "success")).isPositive();
		assertThat(count(Operation.FETCH_MANY, "success")).isPositive();
		assertThat(count(Operation.TRANSACTION, "success")).isPositive();
		assertThat(count(Operation.EXECUTE, "timeout")).isEqualTo(1);
		assertThat(this.meterRegistry.get("hikaricp.connections.max").tag("pool", "aluskort-postgres").gauge().value())
			.isEqualTo(2);
	}

	private long count(Operation operation, String outcome) {
		return this.meterRegistry.get("aluskort.postgres.client.calls")
			.tag("operation", operation.tagValue())
			.tag("outcome", outcome)
			.timer()
			.count();
	}

	private Http http() {
		return new Http(this.port);
	}

}
