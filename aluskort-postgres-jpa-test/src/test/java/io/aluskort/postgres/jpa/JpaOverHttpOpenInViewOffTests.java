package io.aluskort.postgres.jpa;

import io.aluskort.postgres.test.spring.AutoConfigureTestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.jpa.open-in-view=false")
@AutoConfigureTestPostgres
class JpaOverHttpOpenInViewOffTests extends JpaOverHttpTests {

	@Test
	void withoutATransactionJpaGivesItsConnectionBackAfterEachCall() {
		Response response = send("POST", "/incidents/unscoped", "http-unscoped");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.<Integer>read("$.activeAfterJpa")).isZero();
	}

}
