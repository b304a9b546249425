package io.aluskort.postgres.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The incidents service. Against a real server: {@code aluskort.postgres.url} (or
 * {@code ALUSKORT_POSTGRES_URL}), {@code username} and {@code password}. On an embedded PostgreSQL, with
 * no setup: {@code ./mvnw -pl aluskort-postgres-sample -am spring-boot:test-run}.
 */
@SpringBootApplication
public class IncidentsApplication {

	public static void main(String[] args) {
		SpringApplication.run(IncidentsApplication.class, args);
	}

}
