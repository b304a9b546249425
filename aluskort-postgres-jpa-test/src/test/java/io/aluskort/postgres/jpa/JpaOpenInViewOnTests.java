package io.aluskort.postgres.jpa;

import io.aluskort.postgres.test.spring.AutoConfigureTestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a pool of one connection: JPA and the client cannot but share it. Flyway needs two to migrate, so
 * here the schema comes from Spring Boot's SQL initialization, on the same pool.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE,
		properties = { "spring.jpa.open-in-view=true", "aluskort.postgres.pool.max-size=1",
				"spring.flyway.enabled=false", "spring.sql.init.mode=always",
				"spring.sql.init.schema-locations=classpath:db/migration/V1__incidents.sql" })
@AutoConfigureTestPostgres
class JpaOpenInViewOnTests extends JpaWithClientTests {

	@Test
	void everythingRunsOnAPoolOfOne() {
		assertThat(this.db.poolStats().max()).isOne();
	}

}
