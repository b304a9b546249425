package io.aluskort.postgres;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tokens the lexer hands its listener: what is code, what is text, and where statements end.
 */
class SqlLexerTest {

	@Test
	void tokensOfEveryKindInOrder() {
		assertThat(tokens("SELECT E'a\\'b', \"q\"\"x\", $1 ? $$ $2 $$ -- c\r/* /* n */ */ price$1"))
			.containsExactly("word SELECT", "blank  ", "word E", "literal 'a\\'b'", "symbol ,", "blank  ",
					"quoted \"q\"\"x\"", "symbol ,", "blank  ", "placeholder $1", "blank  ", "symbol ?", "blank  ",
					"literal $$ $2 $$", "blank  ", "blank -- c\r", "blank /* /* n */ */", "blank  ", "word price$1",
					"end");
	}

	@Test
	void statementsEndAtSemicolonsOutsideParentheses() {
		assertThat(tokens("SELECT (1;); SELECT 2")).containsExactly("word SELECT", "blank  ", "symbol (", "symbol 1",
				"symbol ;", "symbol )", "statementEnd", "blank  ", "word SELECT", "blank  ", "symbol 2", "end");
	}

	@Test
	void noStatementEndsAfterBeginAtomic() {
		assertThat(tokens("create function f() begin atomic select 1; end; select 2"))
			.filteredOn((token) -> token.contains(";") || token.equals("statementEnd"))
			.containsExactly("symbol ;", "symbol ;");
		assertThat(tokens("SELECT 1; BEGIN; ATOMIC; SELECT 2")).filteredOn("statementEnd"::equals).hasSize(3);
	}

	@Test
	void unterminatedTokensRunToTheEnd() {
		assertThat(tokens("SELECT 'open")).endsWith("literal 'open", "end");
		assertThat(tokens("SELECT $tag$ open")).endsWith("literal $tag$ open", "end");
		assertThat(tokens("SELECT /* open")).endsWith("blank /* open", "end");
	}

	@Test
	void wordsFoldAsPostgresqlFoldsPlainNames() {
		assertThat(SqlLexer.isWord("BeGiN", 0, 5, "begin")).isTrue();
		assertThat(SqlLexer.isWord("begins", 0, 6, "begin")).isFalse();
		// PostgreSQL folds ASCII letters only; these lower-case to something else or to two characters.
		assertThat(SqlLexer.isWord("\u0130nsert", 0, 6, "insert")).isFalse();
		assertThat(SqlLexer.isWord("\u017Fet", 0, 3, "set")).isFalse();
	}

	private static List<String> tokens(String sql) {
		List<String> tokens = new ArrayList<>();
		SqlLexer.lex(sql, new SqlLexer.Listener() {

			@Override
			public void word(String text, int start, int end) {
				tokens.add("word " + text.substring(start, end));
			}

			@Override
			public void quotedName(String text, int start, int end) {
				tokens.add("quoted " + text.substring(start, end));
			}

			@Override
			public void literal(String text, int start, int end) {
				tokens.add("literal " + text.substring(start, end));
			}

			@Override
			public void placeholder(String text, int start, int end) {
				tokens.add("placeholder " + text.substring(start, end));
			}

			@Override
			public void symbol(char c) {
				tokens.add("symbol " + c);
			}

			@Override
			public void statementEnd() {
				tokens.add("statementEnd");
			}

			@Override
			public void blank(String text, int start, int end) {
				tokens.add("blank " + text.substring(start, end));
			}

			@Override
			public void end() {
				tokens.add("end");
			}

		});
		return tokens;
	}

}
