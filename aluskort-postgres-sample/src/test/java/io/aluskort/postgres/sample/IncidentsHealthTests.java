package io.aluskort.postgres.sample;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.http.HealthOverHttp;
import io.aluskort.postgres.test.http.Http;
import io.aluskort.postgres.test.spring.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample has Spring Boot's JDBC module (Flyway brings it): one pool serves the client and
 * {@code JdbcClient} (Flyway migrates as the owner, on connections of its own), and
 * {@code /actuator/health} stays bounded, Boot's {@code db} included, when the database goes away.
 */
class IncidentsHealthTests extends IncidentsServiceTest {

	/** The sample's health timeout (2s), and what HTTP and JSON may add to it. */
	private static final Duration BOUND = Duration.ofMillis(2000 + 1500);

	@Autowired
	private ApplicationContext context;

	@Autowired
	private PostgresClient db;

	@Autowired
	private DataSource dataSource;

	@Autowired
	private JdbcClient jdbcClient;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void onePoolForTheClientAndJdbcClientWhileFlywayMigratesAsTheOwner() throws SQLException {
		assertThat(ClassUtils.isPresent("org.springframework.boot.jdbc.health.DataSourceHealthIndicator", null)).isTrue();
		assertThat(this.dataSource).isSameAs(this.db.dataSource());
		assertThat(this.context.getBeanNamesForType(DataSource.class)).hasSize(1);
		assertThat(this.jdbcClient.sql("SELECT current_user").query(String.class).single()).isEqualTo(AppRole.NAME);
		PostgresDatabase database = TestPostgres.database(this.context);
		assertThat(this.jdbcClient.sql("SELECT tableowner FROM pg_tables WHERE tablename = 'incidents'")
			.query(String.class)
			.single()).isEqualTo(database.user());
		try (Connection admin = database.openConnection(); Statement statement = admin.createStatement();
				ResultSet migrations = statement.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
			assertThat(migrations.next()).isTrue();
			assertThat(migrations.getLong(1)).isEqualTo(2);
		}
		// Bound once, whether by Spring Boot's JDBC module or by the starter.
		assertThat(this.meterRegistry.find("hikaricp.connections.max").gauges()).hasSize(1);
		assertThat(this.meterRegistry.get("hikaricp.connections.max").tag("pool", "aluskort-postgres").gauge().value())
			.isEqualTo(10);
		this.db.fetchMany("SELECT 1");
		assertThat(this.meterRegistry.get("aluskort.postgres.client.calls")
			.tag("operation", "fetchMany")
			.tag("outcome", "success")
			.timer()
			.count()).isPositive();
	}

	@Test
	void upWithPostgresAndABoundedDb() {
		Http.Response health = http().get("/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.<String>read("$.components.postgres.status")).isEqualTo("UP");
		assertThat(health.<String>read("$.components.postgres.details.version")).isNotBlank();
		assertThat(health.<Map<String, Object>>read("$.components.db.details")).containsEntry("database", "PostgreSQL")
			.containsEntry("validationQuery", "SELECT 1");
		assertThat(http().get("/actuator/health/readiness").<Map<String, Object>>read("$.components"))
			.containsKeys("postgres", "readinessState");
	}

	@Test
	void downWithinTheHealthTimeoutWhenTheServerStopsThenUpAgain() {
		HealthOverHttp health = new HealthOverHttp(http(), BOUND);
		health.downWhileTheServerIsStopped(TestPostgres.database(this.context),
				(down) -> assertThat(down.<String>read("$.components.db.status")).isEqualTo("DOWN"));
		health.awaitUp(Duration.ofSeconds(15),
				() -> assertThat(http().get("/tenants/acme/incidents").status()).isEqualTo(200));
	}

}
