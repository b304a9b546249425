package io.aluskort.postgres.sample;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.PostgresClientConfig;
import io.aluskort.postgres.test.PostgresServer;

/**
 * The role the incidents service connects as on the test PostgreSQL, as in production: it logs in and
 * owns nothing, so row-level security binds it. Migrations run as the server's admin, who then owns
 * the tables. Roles belong to the server, not to one database: made once, shared by every test.
 */
final class AppRole {

	static final String NAME = "incidents_app";

	static final String PASSWORD = "incidents-app";

	private AppRole() {
	}

	/** Creates the role on the server unless it is there already. */
	static void create(PostgresServer server) {
		PostgresClientConfig admin = PostgresClientConfig.builder()
			.host(server.host())
			.port(server.port())
			.database("postgres")
			.user(server.user())
			.password(server.password())
			.minSize(0)
			.maxSize(1)
			.build();
		try (PostgresClient db = new PostgresClient(admin)) {
			db.connect();
			db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + NAME + "') THEN "
					+ "CREATE ROLE " + NAME + " LOGIN PASSWORD '" + PASSWORD + "'; END IF; END $$");
		}
	}

}
