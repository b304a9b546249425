package io.aluskort.postgres.jpa;

import io.aluskort.postgres.test.spring.AutoConfigureTestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.NONE, properties = "spring.jpa.open-in-view=false")
@AutoConfigureTestPostgres
class JpaOpenInViewOffTests extends JpaWithClientTests {

	@Autowired
	private Flyway flyway;

	@Test
	void flywayMigratedTheEntitysTableThroughThePool() {
		assertThat(this.flyway.getConfiguration().getDataSource()).isSameAs(this.db.dataSource());
		assertThat(this.db.fetchMany(String.class,
				"SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"))
			.containsExactly("1");
		// ddl-auto=validate: the context started only because the migration made the table Hibernate expects.
		assertThat(this.db.fetchValue(String.class, "SELECT to_regclass('incident')::text")).contains("incident");
	}

}
