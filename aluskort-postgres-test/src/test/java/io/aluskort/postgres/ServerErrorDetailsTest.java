package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Error fields the server fills with bound values, as a real server sends them: a partitioned table's
 * {@code Partition key of the failing row contains (...) = (...)}, and the context line
 * {@code unnamed portal with parameters: $1 = '...'} that {@code log_parameter_max_length_on_error}
 * turns on.
 */
@PostgresTest
class ServerErrorDetailsTest {

	private static final String SECRET = "4111 1111 1111 1111";

	private final PostgresClient db;

	ServerErrorDetailsTest(PostgresClient db) {
		this.db = db;
	}

	@BeforeAll
	static void schema(PostgresClient db) {
		db.execute("CREATE TABLE readings (tenant_id text NOT NULL, day date NOT NULL, value numeric) "
				+ "PARTITION BY LIST (tenant_id)");
		db.execute("CREATE TABLE readings_a PARTITION OF readings FOR VALUES IN ('a')");
		db.execute("CREATE TABLE visits (tenant_id text NOT NULL, day date NOT NULL) PARTITION BY RANGE (tenant_id, day)");
		db.execute("CREATE TABLE visits_a PARTITION OF visits FOR VALUES FROM ('a', '2024-01-01') TO ('a', '2025-01-01')");
	}

	@Test
	void theServerQuotesThePartitionKeyAndTheParameters(PostgresDatabase database) throws SQLException {
		// What the client gets to mask: the server's fields, as a plain connection shows them.
		try (Connection connection = database.openConnection()) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET log_parameter_max_length_on_error = -1");
			}
			try (PreparedStatement insert = connection.prepareStatement("INSERT INTO readings VALUES (?, current_date, 1)")) {
				insert.setString(1, SECRET);
				ServerErrorMessage error = catchThrowableOfType(PSQLException.class, insert::executeUpdate)
					.getServerErrorMessage();
				assertThat(error.getDetail()).isEqualTo("Partition key of the failing row contains (tenant_id) = ("
						+ SECRET + ").");
				assertThat(error.getWhere()).isEqualTo("unnamed portal with parameters: $1 = '" + SECRET + "'");
			}
		}
	}

	@Test
	void partitionKeyOfTheFailingRowIsMasked() {
		for (int i = 0; i < 7; i++) {
			ServerErrorMessage error = serverError(assertThatExceptionOfType(DataIntegrityViolationException.class)
				.isThrownBy(() -> this.db.execute("INSERT INTO readings VALUES ($1, current_date, $2)", SECRET, 1))
				.actual());
			assertThat(error.getSQLState()).isEqualTo("23514");
			assertThat(error.getMessage()).isEqualTo("no partition of relation \"readings\" found for row");
			assertThat(error.getDetail()).isEqualTo("Partition key of the failing row contains (tenant_id) = (***).");
		}
		ServerErrorMessage twoColumns = serverError(assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.db.execute("INSERT INTO visits VALUES ($1, $2::date)", "a", "2031-02-03"))
			.actual());
		assertThat(twoColumns.getDetail()).isEqualTo("Partition key of the failing row contains (tenant_id, day) = (***).");
	}

	@Test
	void parametersInTheContextAreMasked(PostgresDatabase database) {
		try (PostgresClient client = new PostgresClient(database.clientConfig()
			.minSize(1)
			.maxSize(1)
			.driverProperty("options", "-c log_parameter_max_length_on_error=-1")
			.build())) {
			client.connect();
			for (int i = 0; i < 7; i++) {
				ServerErrorMessage error = serverError(assertThatExceptionOfType(DataAccessException.class)
					.isThrownBy(() -> client.fetchOne("SELECT length($1) / 0 AS n, $2::int AS m", SECRET, 2))
					.actual());
				assertThat(error.getSQLState()).isEqualTo("22012");
				assertThat(error.getWhere()).isEqualTo("unnamed portal with parameters: $1 = '***', $2 = '***'");
			}
			// A quote inside a value, and a null, which the server writes unquoted.
			ServerErrorMessage error = serverError(assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> client.execute("SELECT length($1) / 0, $2::text", "it's " + SECRET, null))
				.actual());
			assertThat(error.getWhere()).isEqualTo("unnamed portal with parameters: $1 = '***', $2 = NULL");
		}
	}

	private static ServerErrorMessage serverError(DataAccessException ex) {
		assertThat(ex).hasMessageNotContaining(SECRET).hasMessageNotContaining("4111");
		return ((PSQLException) ex.getCause()).getServerErrorMessage();
	}

}
