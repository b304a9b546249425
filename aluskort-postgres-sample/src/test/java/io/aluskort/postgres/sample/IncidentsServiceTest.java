package io.aluskort.postgres.sample;

import io.aluskort.postgres.test.PostgresServer;
import io.aluskort.postgres.test.http.Http;
import io.aluskort.postgres.test.spring.AutoConfigureTestPostgres;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The incidents service on a database of its own, connected as {@link AppRole}, with Flyway migrating
 * as the server's admin; tests reach it over plain HTTP through {@link #http()}. Test classes that
 * extend this share one application context.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "aluskort.postgres.username=" + AppRole.NAME, "aluskort.postgres.password=" + AppRole.PASSWORD })
@AutoConfigureTestPostgres
abstract class IncidentsServiceTest {

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void migrateAsTheOwner(DynamicPropertyRegistry registry) {
		PostgresServer server = PostgresServer.shared();
		AppRole.create(server);
		registry.add("spring.flyway.user", server::user);
		registry.add("spring.flyway.password", server::password);
	}

	Http http() {
		return new Http(this.port);
	}

}
