package io.aluskort.postgres.sample;

import io.aluskort.postgres.test.spring.TestPostgres;

import org.springframework.boot.SpringApplication;

/**
 * Runs the incidents service on an embedded PostgreSQL, with no setup:
 * {@code ./mvnw -pl aluskort-postgres-sample -am spring-boot:test-run}. The server starts on a free
 * port, the service gets a fresh database, and both are gone when the service stops. With
 * {@code aluskort.postgres.url} set (an argument, a system property or {@code ALUSKORT_POSTGRES_URL}),
 * it uses that server instead.
 */
public final class TestIncidentsApplication {

	private TestIncidentsApplication() {
	}

	public static void main(String[] args) {
		SpringApplication.from(IncidentsApplication::main).run(TestPostgres.arguments(args));
	}

}
