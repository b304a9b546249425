package io.aluskort.postgres;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import static org.assertj.core.api.Assertions.assertThat;

class ServerErrorMaskingTest {

	private static final String SECRET = "4111-1111-SECRET";

	@Test
	void valueAfterTheLastColonIsMasked() {
		PSQLException masked = mask(error("22P02", "invalid input syntax for type integer: \"" + SECRET + "\""),
				"SELECT $1::int");
		assertThat(masked.getMessage()).isEqualTo("ERROR: invalid input syntax for type integer: \"***\"");
		assertThat(masked.getSQLState()).isEqualTo("22P02");
		assertThat(masked.getServerErrorMessage().getMessage()).doesNotContain(SECRET);
	}

	@Test
	void valuesWithQuotesAndColonsAreMaskedWhole() {
		String value = "a: \"b\" c\"";
		assertThat(mask(error("22P02", "invalid input value for enum mood: \"" + value + "\""), "SELECT $1::mood")
			.getMessage()).isEqualTo("ERROR: invalid input value for enum mood: \"***\"");
		assertThat(mask(error("22023", "invalid value for parameter \"TimeZone\": \"" + SECRET + "\""),
				"SELECT set_config('TimeZone', $1, true)")
			.getMessage()).isEqualTo("ERROR: invalid value for parameter \"TimeZone\": \"***\"");
	}

	@Test
	void outOfRangeValuesAreMasked() {
		assertThat(mask(error("22003", "value \"99999999999\" is out of range for type integer"), "SELECT $1::int")
			.getMessage()).isEqualTo("ERROR: value \"***\" is out of range for type integer");
		assertThat(mask(error("22003", "\"1e999\" is out of range for type double precision"), "SELECT $1::float8")
			.getMessage()).isEqualTo("ERROR: \"***\" is out of range for type double precision");
	}

	@Test
	void namesTheStatementOrTheErrorNamesStayOtherQuotedTextIsMasked() {
		assertThat(mask(error("42P01", "relation \"alertz\" does not exist"), "SELECT * FROM Alertz").getMessage())
			.isEqualTo("ERROR: relation \"alertz\" does not exist");
		assertThat(mask(error("42P01", "relation \"" + SECRET + "\" does not exist"), "SELECT $1::regclass")
			.getMessage()).isEqualTo("ERROR: relation \"***\" does not exist");
		ServerErrorMessage unique = new ServerErrorMessage("SERROR\0C23505\0Mduplicate key value violates unique "
				+ "constraint \"uniq_pkey\"\0DKey (id)=(" + SECRET + ") already exists.\0nuniq_pkey\0tuniq\0");
		PSQLException masked = mask(new PSQLException(unique, false), "INSERT INTO uniq VALUES ($1)");
		assertThat(masked.getMessage())
			.isEqualTo("ERROR: duplicate key value violates unique constraint \"uniq_pkey\"");
		assertThat(masked.getServerErrorMessage().getDetail()).isEqualTo("Key (id)=(***) already exists.");
		assertThat(masked.getServerErrorMessage().getConstraint()).isEqualTo("uniq_pkey");
		assertThat(masked.getServerErrorMessage().getTable()).isEqualTo("uniq");
	}

	@Test
	void detailsAndWhereThatQuoteValuesAreMasked() {
		ServerErrorMessage check = new ServerErrorMessage("SERROR\0C23514\0Mnew row for relation \"t\" violates check "
				+ "constraint \"positive\"\0DFailing row contains (1, " + SECRET + ").\0npositive\0tt\0"
				+ "Wunnamed portal parameter $1 = '" + SECRET + "'\0");
		PSQLException masked = mask(new PSQLException(check, false), "INSERT INTO t VALUES (1, $1)");
		assertThat(masked.getMessage()).isEqualTo("ERROR: new row for relation \"t\" violates check constraint \"positive\"");
		assertThat(masked.getServerErrorMessage().getDetail()).isEqualTo("Failing row contains (***).");
		assertThat(masked.getServerErrorMessage().getWhere()).isEqualTo("unnamed portal parameter $1 = '***'");
	}

	@Test
	void partitionKeysAndEveryParameterOfThePortalAreMasked() {
		ServerErrorMessage partition = new ServerErrorMessage("SERROR\0C23514\0Mno partition of relation \"readings\" "
				+ "found for row\0DPartition key of the failing row contains (lower(tenant_id), day) = (" + SECRET
				+ ", 2031-02-03).\0treadings\0" + "Wportal \"C_3\" with parameters: $1 = 'it''s " + SECRET
				+ "', $2 = NULL, $3 = '" + SECRET.substring(0, 4) + "...'\0");
		PSQLException masked = mask(new PSQLException(partition, false), "SELECT * FROM readings");
		assertThat(masked.getServerErrorMessage().getDetail())
			.isEqualTo("Partition key of the failing row contains (lower(tenant_id), day) = (***).");
		assertThat(masked.getServerErrorMessage().getWhere())
			.isEqualTo("portal \"C_3\" with parameters: $1 = '***', $2 = NULL, $3 = '***'");
	}

	@Test
	void anExceptionWithNothingToMaskIsReturnedAsIs() {
		PSQLException error = error("40001", "could not serialize access due to concurrent update");
		assertThat((Object) ServerErrorMasking.mask(error, "UPDATE t SET a = 1")).isSameAs(error);
		SQLException plain = new SQLException("An I/O error occurred while sending to the backend.", "08006");
		assertThat((Object) ServerErrorMasking.mask(plain, "SELECT 1")).isSameAs(plain);
	}

	@Test
	void aPlainSqlExceptionIsMaskedByItsMessage() {
		SQLException plain = new SQLException("ERROR: invalid input syntax for type uuid: \"" + SECRET + "\"", "22P02");
		SQLException masked = ServerErrorMasking.mask(plain, "SELECT $1::uuid");
		assertThat(masked.getMessage()).doesNotContain(SECRET).endsWith("\"***\"");
		assertThat(masked.getSQLState()).isEqualTo("22P02");
	}

	private static PSQLException error(String sqlState, String message) {
		return new PSQLException(new ServerErrorMessage("SERROR\0C" + sqlState + "\0M" + message + "\0"), false);
	}

	private static PSQLException mask(PSQLException ex, String sql) {
		SQLException masked = ServerErrorMasking.mask(ex, sql);
		assertThat((Object) masked).isInstanceOf(PSQLException.class);
		assertThat(masked.getSQLState()).isEqualTo(ex.getSQLState());
		return (PSQLException) masked;
	}

}
