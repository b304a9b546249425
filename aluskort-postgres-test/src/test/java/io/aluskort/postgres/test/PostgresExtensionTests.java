package io.aluskort.postgres.test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.aluskort.postgres.PostgresClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import static io.aluskort.postgres.test.EmbeddedServerTests.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * What {@link PostgresExtension} does around a test class, checked by running fixture classes with
 * the JUnit test kit: one fresh database per class, the same one wherever it is injected, shared
 * with nested classes, and dropped after the class.
 */
class PostgresExtensionTests {

	@BeforeEach
	void forgetEarlierRuns() {
		PerMethodFixture.databases.clear();
		PerClassFixture.databases.clear();
	}

	@Test
	void injectsOneFreshDatabasePerClassAndDropsItAfterwards() throws SQLException {
		run(PerMethodFixture.class, 3);
		List<PostgresDatabase> databases = PerMethodFixture.databases;
		// Constructor three times (each test, the nested one included, makes an instance), @BeforeAll,
		// one @Test method, the @Nested one.
		assertThat(databases).hasSize(6).allSatisfy((database) -> assertThat(database).isSameAs(databases.get(0)));
		assertThat(databases.get(0).name()).matches("test_permethodfixture_[0-9a-f]{8}");
		assertThat(exists(databases.get(0))).isFalse();
	}

	@Test
	void injectsIntoPerClassInstancesToo() throws SQLException {
		run(PerClassFixture.class, 1);
		List<PostgresDatabase> databases = PerClassFixture.databases;
		// The constructor runs before @BeforeAll callbacks here: it must get the same database.
		assertThat(databases).hasSize(2);
		assertThat(databases.get(1)).isSameAs(databases.get(0));
		assertThat(exists(databases.get(0))).isFalse();
	}

	@Test
	void givesEachClassItsOwnDatabase() {
		run(PerMethodFixture.class, 3);
		run(PerClassFixture.class, 1);
		assertThat(PerMethodFixture.databases.get(0).name()).isNotEqualTo(PerClassFixture.databases.get(0).name());
	}

	private static void run(Class<?> fixture, int tests) {
		EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
		// The class's container fails if creating or dropping its database does.
		results.containerEvents().assertStatistics((stats) -> stats.failed(0).aborted(0));
		results.testEvents().assertStatistics((stats) -> stats.started(tests).succeeded(tests));
	}

	private static boolean exists(PostgresDatabase database) throws SQLException {
		try (Connection connection = database.server().connectAdmin();
				PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
			statement.setString(1, database.name());
			try (ResultSet result = statement.executeQuery()) {
				return result.next();
			}
		}
	}

	@PostgresTest
	static class PerMethodFixture {

		static final List<PostgresDatabase> databases = new ArrayList<>();

		PerMethodFixture(PostgresDatabase database) {
			databases.add(database);
		}

		@BeforeAll
		static void createTable(PostgresDatabase database) throws SQLException {
			databases.add(database);
			// A fresh database: no tables of anyone else's.
			assertThat(query(database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isEqualTo("0");
			try (Connection connection = database.openConnection()) {
				connection.createStatement().execute("CREATE TABLE marker (id int)");
			}
		}

		@Test
		void usesTheClassDatabase(PostgresDatabase database) throws SQLException {
			databases.add(database);
			assertThat(query(database, "SELECT current_database()")).isEqualTo(database.name());
		}

		@Test
		void injectsAClientForTheClassDatabase(PostgresClient client, PostgresDatabase database) {
			assertThat(client.config().database()).isEqualTo(database.name());
			assertThat(client.config().minSize()).isEqualTo(PostgresExtension.CLIENT_MIN_SIZE);
		}

		@Nested
		class Inner {

			@Test
			void sharesTheEnclosingClassDatabase(PostgresDatabase database) throws SQLException {
				databases.add(database);
				assertThat(query(database, "SELECT count(*) FROM marker")).isEqualTo("0");
			}

		}

	}

	@PostgresTest
	@TestInstance(Lifecycle.PER_CLASS)
	static class PerClassFixture {

		static final List<PostgresDatabase> databases = new ArrayList<>();

		PerClassFixture(PostgresDatabase database) {
			databases.add(database);
		}

		@Test
		void usesTheDatabaseItWasConstructedWith(PostgresDatabase database) throws SQLException {
			databases.add(database);
			assertThat(query(database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isEqualTo("0");
		}

	}

}
