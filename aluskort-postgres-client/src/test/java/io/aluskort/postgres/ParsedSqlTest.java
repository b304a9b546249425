package io.aluskort.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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
	void lineCommentEndsAtABareCarriageReturn() {
		// PostgreSQL's scanner and pgjdbc's parser both end a -- comment at \r as well as at \n.
		ParsedSql sql = ParsedSql.parse("SELECT -- note\r$1::text, $2 -- two\r\n, '$3'");
		assertThat(sql.jdbcSql()).isEqualTo("SELECT -- note\r?::text, ? -- two\r\n, '$3'");
		assertThat(sql.parameterCount()).isEqualTo(2);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			UPDATE t SET x = 1 WHERE id = $1; -- done        | UPDATE t SET x = 1 WHERE id = ?;
			UPDATE t SET x = 1 WHERE id = $1; /* done */     | UPDATE t SET x = 1 WHERE id = ?;
			UPDATE t SET x = 1 WHERE id = $1;;               | UPDATE t SET x = 1 WHERE id = ?;
			UPDATE t SET x = 1 WHERE id = $1; ; /* a */ ;    | UPDATE t SET x = 1 WHERE id = ?;
			SELECT 1; /* nothing */ ; SELECT 2               | SELECT 1; SELECT 2
			; -- lead\\n; SELECT 1                           | " SELECT 1"
			/*+ SeqScan(t) */ SELECT 1 -- kept               | /*+ SeqScan(t) */ SELECT 1 -- kept
			SELECT (1; ;)                                    | SELECT (1; ;)
			""")
	void statementsOfNothingButSpaceAndCommentsAreLeftOut(String sql, String jdbc) {
		// pgjdbc sends each as an empty query, whose EMPTY answer would hide the last statement's tag and rows.
		assertThat(ParsedSql.parse(sql.replace("\\n", "\n")).jdbcSql()).isEqualTo(jdbc);
	}

	@Test
	void semicolonsInsideABeginAtomicBodyAreLeftAsWritten() {
		// pgjdbc splits no text at a semicolon after CREATE ... BEGIN ATOMIC.
		String body = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;; END";
		assertThat(ParsedSql.parse(body).jdbcSql()).isEqualTo(body);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  ", "-- x", "-- x\r", ";", "/* */ ;", "\r\n;;\t", "/* a /* nested */ */;-- b\n;" })
	void emptyStatementIsAnIllegalArgument(String sql) {
		assertThatIllegalArgumentException().isThrownBy(() -> ParsedSql.parse(sql))
			.withMessage("SQL statement is empty: the text holds no statement, only white space, comments or "
					+ "semicolons");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			BEGIN                                                      | BEGIN
			begin work                                                 | BEGIN
			Begin Transaction Isolation Level Serializable             | BEGIN
			START TRANSACTION READ ONLY                                | START TRANSACTION
			start transaction                                          | START TRANSACTION
			COMMIT                                                     | COMMIT
			commit work                                                | COMMIT
			COMMIT AND CHAIN                                           | COMMIT
			COMMIT TRANSACTION AND NO CHAIN                            | COMMIT
			END                                                        | END
			end transaction and chain                                  | END
			ROLLBACK                                                   | ROLLBACK
			ROLLBACK AND CHAIN                                         | ROLLBACK
			rollback work                                              | ROLLBACK
			ABORT                                                      | ABORT
			SAVEPOINT s1                                               | SAVEPOINT
			RELEASE SAVEPOINT s1                                       | RELEASE
			release s1                                                 | RELEASE
			ROLLBACK TO SAVEPOINT s1                                   | ROLLBACK TO
			rollback to s1                                             | ROLLBACK TO
			ROLLBACK WORK TO SAVEPOINT s1                              | ROLLBACK TO
			PREPARE TRANSACTION 'tx1'                                  | PREPARE TRANSACTION
			-- first a comment\\nBEGIN                                 | BEGIN
			/* one */ /* two */ COMMIT                                 | COMMIT
			-- a comment ended by a bare carriage return\\rCOMMIT      | COMMIT
			SELECT 1; BEGIN                                            | BEGIN
			UPDATE t SET a = $1 WHERE id = $2;\\nCOMMIT AND CHAIN      | COMMIT
			SELECT set_config('aluskort.tenant_id', $1, true) IS NULL;\\nSTART TRANSACTION | START TRANSACTION
			SELECT 1; SAVEPOINT a; RELEASE a                           | SAVEPOINT
			COMMIT PREPARED 'tx1'; ROLLBACK                            | ROLLBACK
			CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1; BEGIN | BEGIN
			CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$; COMMIT | COMMIT
			;;BEGIN                                                    | BEGIN
			""")
	void transactionControlIsTheFirstSuchStatement(String sql, String keywords) {
		String text = sql.replace("\\n", "\n").replace("\\r", "\r");
		assertThat(ParsedSql.parse(text).transactionControl()).as(text).isEqualTo(keywords);
	}

	@ParameterizedTest
	@ValueSource(strings = { "SELECT 1", "COMMIT PREPARED 'tx1'", "ROLLBACK PREPARED 'tx1'", "commit prepared $$tx$$",
			"DO $$ BEGIN PERFORM 1; COMMIT; END $$", "DO 'BEGIN NULL; END'",
			"DO LANGUAGE plpgsql $body$BEGIN END$body$",
			"CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$",
			"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END",
			"CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); DELETE FROM t; END",
			"SELECT begin, \"end\", commit FROM t", "UPDATE t SET begin = 1, rollback = 2", "SELECT 'BEGIN'",
			"-- BEGIN\nSELECT 1", "/* COMMIT */ SELECT 1", "SELECT 1 -- ; BEGIN", "SELECT (1; BEGIN)",
			"PREPARE transaction AS SELECT 1", "PREPARE transaction (int) AS SELECT 1", "PREPARE begin AS SELECT 1",
			"EXECUTE begin", "\"BEGIN\"", "START", "savepoint_log()", "SELECT 1; SELECT 2" })
	void transactionControlIsNullForOtherStatements(String sql) {
		assertThat(ParsedSql.parse(sql).transactionControl()).as(sql).isNull();
	}

	@Test
	void batchShapesKeepTheTransactionControl() {
		assertThat(ParsedSql.parse("SAVEPOINT s").forRows(2).transactionControl()).isEqualTo("SAVEPOINT");
		assertThat(ParsedSql.parse("INSERT INTO t VALUES ($1)").forRows(2).transactionControl()).isNull();
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
