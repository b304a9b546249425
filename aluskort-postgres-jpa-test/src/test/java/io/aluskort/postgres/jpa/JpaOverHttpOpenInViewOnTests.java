package io.aluskort.postgres.jpa;

import io.aluskort.postgres.test.spring.AutoConfigureTestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.jpa.open-in-view=true")
@AutoConfigureTestPostgres
class JpaOverHttpOpenInViewOnTests extends JpaOverHttpTests {

	/**
	 * Open-in-view keeps the connection JPA first used in a request until the request ends, so a client
	 * call outside a transaction in that request takes a second one.
	 */
	@Test
	void withoutATransactionTheRequestHoldsJpasConnectionUntilItEnds() {
		Response response = send("POST", "/incidents/unscoped", "http-unscoped");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.<Integer>read("$.activeAfterJpa")).isOne();
		assertThat(titles()).containsExactly("http-unscoped");
	}

}
