package io.aluskort.postgres.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.aluskort.postgres.test.PostgresServer;
import io.aluskort.postgres.test.spring.TestPostgres;

import org.springframework.boot.SpringApplication;

/**
 * Runs the incidents service on an embedded PostgreSQL, with no setup:
 * {@code ./mvnw -pl aluskort-postgres-sample -am spring-boot:test-run}. The server starts on a free
 * port, the service gets a fresh database, and both are gone when the service stops. It connects as
 * {@link AppRole}, which row-level security binds, and Flyway migrates as the server's admin. With
 * {@code aluskort.postgres.url} set (an argument, a system property or {@code ALUSKORT_POSTGRES_URL}),
 * it uses that server, and the credentials given with it, instead.
 */
public final class TestIncidentsApplication {

	private TestIncidentsApplication() {
	}

	public static void main(String[] args) {
		SpringApplication.from(IncidentsApplication::main).run(asAppRole(args, TestPostgres.arguments(args)));
	}

	/** The arguments with the admin's credentials moved from the service to Flyway, on the test server only. */
	private static String[] asAppRole(String[] given, String[] arguments) {
		if (arguments.length == given.length) {
			return arguments;
		}
		PostgresServer server = PostgresServer.shared();
		AppRole.create(server);
		List<String> result = new ArrayList<>(Arrays.stream(arguments)
			.filter((argument) -> !argument.startsWith("--aluskort.postgres.username=")
					&& !argument.startsWith("--aluskort.postgres.password="))
			.toList());
		result.addAll(List.of("--aluskort.postgres.username=" + AppRole.NAME,
				"--aluskort.postgres.password=" + AppRole.PASSWORD, "--spring.flyway.user=" + server.user(),
				"--spring.flyway.password=" + server.password()));
		return result.toArray(String[]::new);
	}

}
