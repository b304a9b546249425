package io.aluskort.postgres;

import java.util.Map;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Statements repeated past pgjdbc's {@code prepareThreshold} (5) become named server-side statements;
 * tags, rows and parameters stay right across that switch and across schema changes under them.
 */
@PostgresTest
class ServerPreparedStatementTest {

	@Test
	void statementsSwitchToServerSidePreparedAndKeepTheirResults(PostgresDatabase database) {
		try (PostgresClient client = new PostgresClient(database.clientConfig().minSize(1).maxSize(1).build())) {
			client.connect();
			client.execute("CREATE TABLE repeated (id int, tenant_id text)");
			client.execute("INSERT INTO repeated SELECT g, 't' || (g % 2) FROM generate_series(1, 10) g");
			for (int i = 0; i < 12; i++) {
				assertThat(client.execute("SELECT * FROM repeated WHERE tenant_id = $1", "t1").tag()).isEqualTo("SELECT 5");
				assertThat(client.fetchMany("SELECT id FROM repeated WHERE tenant_id = $1 ORDER BY id", "t0"))
					.extracting((row) -> row.get("id"))
					.containsExactly(2, 4, 6, 8, 10);
				assertThat(client.execute("UPDATE repeated SET id = id WHERE tenant_id = $1", "t1").tag())
					.isEqualTo("UPDATE 5");
			}
			assertThat(client.fetchMany("SELECT name FROM pg_prepared_statements")).isNotEmpty();
		}
	}

	@Test
	void preparedStatementHealsAfterTheTableChanges(PostgresDatabase database) {
		try (PostgresClient client = new PostgresClient(database.clientConfig().minSize(1).maxSize(1).build())) {
			client.connect();
			client.execute("CREATE TABLE changing (id int)");
			client.execute("INSERT INTO changing VALUES (1)");
			for (int i = 0; i < 8; i++) {
				assertThat(client.fetchOne("SELECT * FROM changing").orElseThrow()).isEqualTo(Map.of("id", 1));
			}
			client.execute("ALTER TABLE changing ADD COLUMN note text DEFAULT 'n'");
			assertThat(client.fetchOne("SELECT * FROM changing").orElseThrow()).containsEntry("id", 1)
				.containsEntry("note", "n");
		}
	}

}
