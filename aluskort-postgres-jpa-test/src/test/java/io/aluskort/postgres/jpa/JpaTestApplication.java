package io.aluskort.postgres.jpa;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A service with Spring Data JPA, Flyway and the starter, configured with {@code aluskort.postgres.*}
 * only: no {@code spring.datasource.*}.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class JpaTestApplication {

}
