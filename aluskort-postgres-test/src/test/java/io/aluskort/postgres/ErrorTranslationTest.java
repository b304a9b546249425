package io.aluskort.postgres;

import java.sql.SQLException;

import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.BadSqlGrammarException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@PostgresTest
class ErrorTranslationTest {

	private final PostgresClient db;

	ErrorTranslationTest(PostgresClient db) {
		this.db = db;
	}

	@Test
	void badSqlIsBadSqlGrammarExceptionWithTheSqlState() {
		BadSqlGrammarException syntax = catchBadSql("SELEC 1");
		assertThat(syntax.getSQLException().getSQLState()).isEqualTo("42601");
		assertThat(syntax.getSql()).isEqualTo("SELEC 1");
		BadSqlGrammarException missing = catchBadSql("SELECT * FROM no_such_table WHERE id = $1");
		assertThat(missing.getSQLException().getSQLState()).isEqualTo("42P01");
	}

	private BadSqlGrammarException catchBadSql(String sql) {
		try {
			if (sql.contains("$1")) {
				this.db.fetchMany(sql, 1);
			}
			else {
				this.db.execute(sql);
			}
		}
		catch (BadSqlGrammarException ex) {
			return ex;
		}
		throw new AssertionError("expected BadSqlGrammarException for " + sql);
	}

	@Test
	void uniqueViolationIsDuplicateKeyExceptionWithoutTheDuplicatedValue() {
		this.db.execute("CREATE TABLE uniq (id text PRIMARY KEY)");
		this.db.execute("INSERT INTO uniq VALUES ($1)", "secret-value-4711");
		assertThatExceptionOfType(DuplicateKeyException.class)
			.isThrownBy(() -> this.db.execute("INSERT INTO uniq VALUES ($1)", "secret-value-4711"))
			.satisfies((ex) -> {
				assertThat(((SQLException) ex.getCause()).getSQLState()).isEqualTo("23505");
				assertThat(ex.getMessage()).doesNotContain("secret-value-4711");
				assertThat(ex.getCause().getMessage()).doesNotContain("secret-value-4711");
			});
	}

	@Test
	void otherIntegrityViolationsAreDataIntegrityViolationException() {
		this.db.execute("CREATE TABLE parent (id int PRIMARY KEY)");
		this.db.execute("CREATE TABLE child (parent_id int REFERENCES parent (id), note text NOT NULL)");
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.db.execute("INSERT INTO child VALUES ($1, 'x')", 1))
			.satisfies((ex) -> assertThat(((SQLException) ex.getCause()).getSQLState()).isEqualTo("23503"));
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.db.execute("INSERT INTO child VALUES (NULL, NULL)"))
			.satisfies((ex) -> assertThat(((SQLException) ex.getCause()).getSQLState()).isEqualTo("23502"));
	}

	@Test
	void poolStaysHealthyAfterErrors() {
		for (int i = 0; i < 30; i++) {
			assertThatExceptionOfType(BadSqlGrammarException.class).isThrownBy(() -> this.db.execute("SELEC 1"));
		}
		assertThat(this.db.fetchOne("SELECT 1 AS one").orElseThrow()).containsEntry("one", 1);
	}

}
