package io.aluskort.postgres;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ParsedSqlTest {

	@Test
	void placeholdersBecomeJdbcMarkersInOrder() {
		ParsedSql sql = ParsedSql.parse("INSERT INTO alerts(tenant_id, severity) VALUES ($1, $2)");
		assertThat(sql.jdbcSql()).isEqualTo("INSERT INTO alerts(tenant_id, severity) VALUES (?, ?)");
		assertThat(sql.argumentIndexes()).containsExactly(0, 1);
		assertThat(sql.parameterCount()).isEqualTo(2);
	}

	@Test
	void repeatedPlaceholderBindsTheSameArgumentTwice() {
		ParsedSql sql = ParsedSql.parse("SELECT * FROM t WHERE a = $1 OR b = $1");
		assertThat(sql.jdbcSql()).isEqualTo("SELECT * FROM t WHERE a = ? OR b = ?");
		assertThat(sql.argumentIndexes()).containsExactly(0, 0);
		assertThat(sql.parameterCount()).isEqualTo(1);
	}

	@Test
	void orderOfFirstUseDoesNotMatter() {
		ParsedSql sql = ParsedSql.parse("UPDATE t SET a = $2 WHERE id = $1 AND b = $2");
		assertThat(sql.argumentIndexes()).containsExactly(1, 0, 1);
		assertThat(sql.parameterCount()).isEqualTo(2);
	}

	@Test
	void placeholdersInsideLiteralsIdentifiersCommentsAndDollarQuotesAreText() {
		String text = "SELECT '$1', E'it\\'s $2', \"col$3\", $$ $4 $$, $fn$ body $5 $fn$ -- $6\n, /* $7 /* $8 */ */ $1";
		ParsedSql sql = ParsedSql.parse(text);
		assertThat(sql.jdbcSql()).isEqualTo(text.substring(0, text.length() - 2) + "?");
		assertThat(sql.parameterCount()).isEqualTo(1);
	}

	@Test
	void dollarInsideIdentifierIsNotAPlaceholder() {
		ParsedSql sql = ParsedSql.parse("SELECT price$1 FROM t WHERE id = $1");
		assertThat(sql.jdbcSql()).isEqualTo("SELECT price$1 FROM t WHERE id = ?");
	}

	@Test
	void questionMarksAreEscapedForTheDriverOutsideLiteralsOnly() {
		ParsedSql sql = ParsedSql.parse("SELECT payload ? 'k', payload ?| $1, payload ?& $2, '?' FROM t");
		assertThat(sql.jdbcSql()).isEqualTo("SELECT payload ?? 'k', payload ??| ?, payload ??& ?, '?' FROM t");
	}

	@Test
	void doubledQuotesStayInsideTheLiteral() {
		ParsedSql sql = ParsedSql.parse("SELECT 'it''s $1', \"a\"\"$2\" , $1");
		assertThat(sql.parameterCount()).isEqualTo(1);
		assertThat(sql.jdbcSql()).endsWith(", ?");
	}

	@Test
	void gapsInNumberingAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ParsedSql.parse("SELECT $1, $3"))
			.withMessageContaining("never $2");
	}

	@Test
	void outOfRangePlaceholderIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ParsedSql.parse("SELECT $0"))
			.withMessageContaining("$0");
		assertThatIllegalArgumentException().isThrownBy(() -> ParsedSql.parse("SELECT $65536"))
			.withMessageContaining("out of range");
	}

	@Test
	void argumentCountIsCheckedWithAClearMessage() {
		ParsedSql sql = ParsedSql.parse("SELECT $1, $2");
		assertThatIllegalArgumentException().isThrownBy(() -> sql.checkArgumentCount(new Object[] { 1 }))
			.withMessage("Statement expects 2 arguments ($1..$2) but got 1");
		assertThatIllegalArgumentException().isThrownBy(() -> sql.checkArgumentCount(new Object[] { 1, 2, 3 }))
			.withMessage("Statement expects 2 arguments ($1..$2) but got 3");
	}

	@Test
	void statementWithoutPlaceholdersIsUnchanged() {
		ParsedSql sql = ParsedSql.parse("CREATE TABLE t (id bigint)");
		assertThat(sql.jdbcSql()).isEqualTo("CREATE TABLE t (id bigint)");
		assertThat(sql.parameterCount()).isZero();
	}

	@Test
	void cacheReturnsTheSameTranslationForTheSameText() {
		SqlCache cache = new SqlCache(10);
		ParsedSql first = cache.get("SELECT $1");
		assertThat(cache.get(new String("SELECT $1"))).isSameAs(first);
		assertThat(cache.size()).isEqualTo(1);
	}

	@Test
	void fullCacheStillTranslatesWithoutGrowing() {
		SqlCache cache = new SqlCache(1);
		cache.get("SELECT 1");
		assertThat(cache.get("SELECT $1").jdbcSql()).isEqualTo("SELECT ?");
		assertThat(cache.size()).isEqualTo(1);
	}

	@Test
	void nullSqlIsAnIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SqlCache(1).get(null))
			.withMessage("sql must not be null");
	}

}
