package io.aluskort.postgres;

/**
 * Splits a statement's text into PostgreSQL's tokens in one pass and hands each to a {@link Listener}.
 *
 * <p>It follows PostgreSQL's lexical rules as far as the client needs them: string literals
 * ({@code '...'}, with backslash escapes only in {@code E'...'}, as under
 * {@code standard_conforming_strings}), quoted identifiers (also {@code U&"..."}), {@code --} comments
 * ending at a line feed or a bare carriage return, nested block comments, dollar-quoted bodies and
 * {@code $n} placeholders. pgjdbc's own parser skips the same regions, so the two agree on what is text
 * and what is code. A semicolon ends a statement where pgjdbc splits the text: outside parentheses and
 * before any {@code CREATE ... BEGIN ATOMIC} body.
 */
final class SqlLexer {

	private final String sql;

	private final Listener listener;

	/** Parentheses open at this point of the text. */
	private int depth;

	/** Whether no token but literals and comments came since the statement began. */
	private boolean statementStart = true;

	private boolean createStatement;

	private boolean afterBegin;

	/** Whether a CREATE statement held BEGIN ATOMIC: pgjdbc then splits the text at no later semicolon. */
	private boolean beginAtomic;

	private SqlLexer(String sql, Listener listener) {
		this.sql = sql;
		this.listener = listener;
	}

	/** Hands every token of the text to the listener, in order, then calls {@link Listener#end()}. */
	static void lex(String sql, Listener listener) {
		new SqlLexer(sql, listener).run();
	}

	private void run() {
		String sql = this.sql;
		Listener listener = this.listener;
		int length = sql.length();
		int i = 0;
		while (i < length) {
			char c = sql.charAt(i);
			int end;
			if (c == '\'') {
				end = skipQuoted(sql, i, '\'', isEscapeStringPrefix(sql, i));
				listener.literal(sql, i, end);
			}
			else if (c == '"') {
				end = skipQuoted(sql, i, '"', false);
				this.statementStart = false;
				listener.quotedName(sql, i, end);
			}
			else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
				end = skipLineComment(sql, i);
				listener.blank(sql, i, end);
			}
			else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
				end = skipBlockComment(sql, i);
				listener.blank(sql, i, end);
			}
			else if (c == '$' && !followsIdentifierPart(sql, i)) {
				end = i + 1;
				while (end < length && isDigit(sql.charAt(end))) {
					end++;
				}
				if (end > i + 1) {
					this.statementStart = false;
					listener.placeholder(sql, i, end);
				}
				else {
					end = skipDollarQuoted(sql, i);
					if (end > i + 1) {
						listener.literal(sql, i, end);
					}
					else {
						symbol(c);
					}
				}
			}
			else if (isWordStart(c) && !followsIdentifierPart(sql, i)) {
				end = i + 1;
				while (end < length && (isTagPart(sql.charAt(end)) || sql.charAt(end) == '$')) {
					end++;
				}
				word(i, end);
			}
			else if (Character.isWhitespace(c)) {
				end = i + 1;
				while (end < length && Character.isWhitespace(sql.charAt(end))) {
					end++;
				}
				listener.blank(sql, i, end);
			}
			else {
				end = i + 1;
				if (c == ';' && this.depth == 0 && !this.beginAtomic) {
					this.statementStart = true;
					this.createStatement = false;
					this.afterBegin = false;
					listener.statementEnd();
				}
				else {
					symbol(c);
				}
			}
			i = end;
		}
		listener.end();
	}

	private void word(int start, int end) {
		if (this.createStatement) {
			// As pgjdbc's parser tells a SQL-standard function body, whose semicolons it does not split at.
			this.beginAtomic |= this.afterBegin && isWord(this.sql, start, end, "atomic");
			this.afterBegin = isWord(this.sql, start, end, "begin");
		}
		if (this.statementStart) {
			this.createStatement = isWord(this.sql, start, end, "create");
			this.statementStart = false;
		}
		this.listener.word(this.sql, start, end);
	}

	private void symbol(char c) {
		if (c == '(') {
			this.depth++;
		}
		else if (c == ')') {
			this.depth--;
		}
		this.statementStart = false;
		this.listener.symbol(c);
	}

	/**
	 * Whether the word is the given one as PostgreSQL folds plain names to lower case.
	 * @param lowerCaseWord ASCII letters in lower case
	 */
	static boolean isWord(String sql, int start, int end, String lowerCaseWord) {
		if (end - start != lowerCaseWord.length()) {
			return false;
		}
		for (int i = 0; i < lowerCaseWord.length(); i++) {
			char c = sql.charAt(start + i);
			// U+0130 lower-cases to two characters in a String, not to a single 'i'.
			if (Character.toLowerCase(c) != lowerCaseWord.charAt(i) || c == '\u0130') {
				return false;
			}
		}
		return true;
	}

	/** In {@code E'...'} strings a backslash escapes the next character; elsewhere it is literal. */
	private static boolean isEscapeStringPrefix(String sql, int quote) {
		if (quote == 0) {
			return false;
		}
		char prefix = sql.charAt(quote - 1);
		return (prefix == 'E' || prefix == 'e') && !followsIdentifierPart(sql, quote - 1);
	}

	/** Returns the index just past the closing quote; a doubled quote inside is part of the text. */
	private static int skipQuoted(String sql, int start, char quote, boolean backslashEscapes) {
		int i = start + 1;
		while (i < sql.length()) {
			char c = sql.charAt(i);
			if (backslashEscapes && c == '\\') {
				i += 2;
				continue;
			}
			if (c == quote) {
				if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
					i += 2;
					continue;
				}
				return i + 1;
			}
			i++;
		}
		return sql.length();
	}

	/** A {@code --} comment ends at a line feed or a carriage return, as PostgreSQL's scanner and pgjdbc end it. */
	private static int skipLineComment(String sql, int start) {
		for (int i = start + 2; i < sql.length(); i++) {
			char c = sql.charAt(i);
			if (c == '\n' || c == '\r') {
				return i + 1;
			}
		}
		return sql.length();
	}

	private static int skipBlockComment(String sql, int start) {
		int depth = 0;
		int i = start;
		while (i < sql.length() - 1) {
			char c = sql.charAt(i);
			char next = sql.charAt(i + 1);
			if (c == '/' && next == '*') {
				depth++;
				i += 2;
			}
			else if (c == '*' && next == '/') {
				depth--;
				i += 2;
				if (depth == 0) {
					return i;
				}
			}
			else {
				i++;
			}
		}
		return sql.length();
	}

	/**
	 * At a {@code $} that starts no placeholder: a dollar-quoted body {@code $tag$...$tag$} is skipped
	 * whole; any other {@code $} is a single character.
	 */
	private static int skipDollarQuoted(String sql, int start) {
		int i = start + 1;
		while (i < sql.length() && isTagPart(sql.charAt(i))) {
			i++;
		}
		if (i >= sql.length() || sql.charAt(i) != '$') {
			return start + 1;
		}
		String tag = sql.substring(start, i + 1);
		int close = sql.indexOf(tag, i + 1);
		return (close < 0) ? sql.length() : close + tag.length();
	}

	/** A {@code $} inside an identifier ({@code price$1}) is part of it, not a placeholder. */
	private static boolean followsIdentifierPart(String sql, int index) {
		if (index == 0) {
			return false;
		}
		return Identifiers.isPart(sql.charAt(index - 1));
	}

	private static boolean isTagPart(char c) {
		return Character.isLetterOrDigit(c) || c == '_';
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static boolean isWordStart(char c) {
		return Character.isLetter(c) || c == '_';
	}

	/**
	 * Hears a statement's tokens in order. Positions are into the text; a token runs from {@code start}
	 * to just before {@code end}. A token cut off by the end of the text (an unterminated literal or
	 * comment) runs to its end.
	 */
	interface Listener {

		/** A plain word: a keyword or a name, spelled as written. */
		default void word(String sql, int start, int end) {
		}

		/** A quoted identifier, quotes included. */
		default void quotedName(String sql, int start, int end) {
		}

		/** A string literal or a dollar-quoted body; a prefix ({@code E}, {@code U&}) comes before it as a word. */
		default void literal(String sql, int start, int end) {
		}

		/** A placeholder: {@code $} and its digits. */
		default void placeholder(String sql, int start, int end) {
		}

		/** Any other character but white space: an operator, punctuation, a digit, a semicolon that splits nothing. */
		default void symbol(char c) {
		}

		/** A semicolon at which pgjdbc splits the text into statements. */
		default void statementEnd() {
		}

		/** White space or a comment. */
		default void blank(String sql, int start, int end) {
		}

		/** The end of the text. */
		default void end() {
		}

	}

}
