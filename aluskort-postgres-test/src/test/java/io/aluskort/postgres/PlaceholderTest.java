package io.aluskort.postgres;

import java.util.Map;

import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@PostgresTest
class PlaceholderTest {

	private final PostgresClient db;

	PlaceholderTest(PostgresClient db) {
		this.db = db;
	}

	@Test
	void placeholdersInLiteralsCommentsAndBodiesAreLeftAlone() {
		Map<String, Object> row = this.db.fetchOne("""
				SELECT '$1' AS literal, E'\\'$2' AS escaped, "$1" AS quoted, $$ $1 $$ AS dollar, $1::text AS bound -- $2
				/* $3 */ FROM (SELECT 1 AS "$1") s""", "value").orElseThrow();
		assertThat(row).containsEntry("literal", "$1")
			.containsEntry("escaped", "'$2")
			.containsEntry("quoted", 1)
			.containsEntry("dollar", " $1 ")
			.containsEntry("bound", "value");
	}

	@Test
	void repeatedPlaceholderBindsTheSameValue() {
		assertThat(this.db.fetchOne("SELECT $1::int + $1::int AS twice, $2::text AS second", 21, "b").orElseThrow())
			.containsEntry("twice", 42)
			.containsEntry("second", "b");
	}

	@Test
	void orderOfFirstUseDoesNotMatter() {
		assertThat(this.db.fetchOne("SELECT $2::text AS b, $1::text AS a", "first", "second").orElseThrow())
			.containsEntry("a", "first")
			.containsEntry("b", "second");
	}

	@Test
	void jsonbQuestionMarkOperatorsKeepWorking() {
		Map<String, Object> row = this.db.fetchOne("""
				SELECT '{"a": 1, "b": 2}'::jsonb ? 'a' AS has,
				       '{"a": 1}'::jsonb ?| $1 AS any_of, '{"a": 1, "b": 2}'::jsonb ?& $2 AS all_of""",
				new String[] { "x", "a" }, new String[] { "a", "b" }).orElseThrow();
		assertThat(row).containsEntry("has", true).containsEntry("any_of", true).containsEntry("all_of", true);
	}

	@Test
	void wrongArgumentCountIsRejectedBeforeAnythingIsSent() {
		this.db.execute("CREATE TABLE counted (a int, b int)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.db.execute("INSERT INTO counted VALUES ($1, $2)", 1))
			.withMessage("Statement expects 2 arguments ($1..$2) but got 1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.db.execute("INSERT INTO counted VALUES ($1, $2)", 1, 2, 3))
			.withMessage("Statement expects 2 arguments ($1..$2) but got 3");
		assertThatIllegalArgumentException().isThrownBy(() -> this.db.fetchMany("SELECT $1::int"))
			.withMessageContaining("expects 1 argument");
		assertThat(this.db.fetchOne("SELECT count(*) AS n FROM counted").orElseThrow()).containsEntry("n", 0L);
	}

	@Test
	void valuesAreBoundNotSpliced() {
		String hostile = "x'); DROP TABLE bound; --";
		this.db.execute("CREATE TABLE bound (v text)");
		this.db.execute("INSERT INTO bound VALUES ($1)", hostile);
		assertThat(this.db.fetchOne("SELECT v FROM bound").orElseThrow()).containsEntry("v", hostile);
	}

}
