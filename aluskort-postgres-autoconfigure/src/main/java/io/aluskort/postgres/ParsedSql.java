package io.aluskort.postgres;

import java.util.Arrays;

/**
 * A statement written with PostgreSQL's {@code $1, $2, ...} placeholders, translated once into the
 * JDBC form pgjdbc parses: every placeholder becomes {@code ?} and every literal {@code ?} (the
 * jsonb operators {@code ?}, {@code ?|}, {@code ?&}) becomes {@code ??}.
 *
 * <p>The lexer follows PostgreSQL's: placeholders inside string literals ({@code '...'},
 * {@code E'...'}), quoted identifiers, comments (nested block comments too) and dollar-quoted bodies
 * are text, not placeholders. pgjdbc's own parser skips the same regions, so the two agree on which
 * {@code ?} are parameters.
 */
final class ParsedSql {

	private final String jdbcSql;

	/** For each JDBC {@code ?} in order, the zero-based index of the argument it takes. */
	private final int[] argumentIndexes;

	private final int parameterCount;

	private ParsedSql(String jdbcSql, int[] argumentIndexes, int parameterCount) {
		this.jdbcSql = jdbcSql;
		this.argumentIndexes = argumentIndexes;
		this.parameterCount = parameterCount;
	}

	/** The SQL as pgjdbc expects it. */
	String jdbcSql() {
		return this.jdbcSql;
	}

	/** How many arguments the statement takes: its highest {@code $n}. */
	int parameterCount() {
		return this.parameterCount;
	}

	/** For each bind position in order, the zero-based argument it binds. */
	int[] argumentIndexes() {
		return this.argumentIndexes;
	}

	/**
	 * Checks that the call passes exactly as many arguments as the statement uses.
	 * @throws IllegalArgumentException saying how many were expected
	 */
	void checkArgumentCount(Object[] args) {
		if (args.length != this.parameterCount) {
			throw new IllegalArgumentException("Statement expects " + this.parameterCount + " argument"
					+ ((this.parameterCount != 1) ? "s" : "") + " ($1..$" + this.parameterCount + ") but got "
					+ args.length);
		}
	}

	static ParsedSql parse(String sql) {
		StringBuilder jdbc = new StringBuilder(sql.length() + 8);
		int[] indexes = new int[8];
		int bindCount = 0;
		int highest = 0;
		boolean[] used = new boolean[8];
		int length = sql.length();
		int i = 0;
		while (i < length) {
			char c = sql.charAt(i);
			int end;
			if (c == '\'') {
				end = skipQuoted(sql, i, '\'', isEscapeStringPrefix(sql, i));
			}
			else if (c == '"') {
				end = skipQuoted(sql, i, '"', false);
			}
			else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
				end = skipLineComment(sql, i);
			}
			else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
				end = skipBlockComment(sql, i);
			}
			else if (c == '$' && !followsIdentifierPart(sql, i)) {
				int digitsEnd = i + 1;
				while (digitsEnd < length && isDigit(sql.charAt(digitsEnd))) {
					digitsEnd++;
				}
				if (digitsEnd > i + 1) {
					int number = parsePlaceholderNumber(sql, i + 1, digitsEnd);
					if (bindCount == indexes.length) {
						indexes = Arrays.copyOf(indexes, bindCount * 2);
					}
					indexes[bindCount++] = number - 1;
					if (number > used.length) {
						used = Arrays.copyOf(used, Math.max(number, used.length * 2));
					}
					used[number - 1] = true;
					highest = Math.max(highest, number);
					jdbc.append('?');
					i = digitsEnd;
					continue;
				}
				end = skipDollarQuoted(sql, i);
			}
			else if (c == '?') {
				jdbc.append("??");
				i++;
				continue;
			}
			else {
				end = i + 1;
			}
			jdbc.append(sql, i, end);
			i = end;
		}
		for (int n = 0; n < highest; n++) {
			if (!used[n]) {
				throw new IllegalArgumentException(
						"Statement uses $" + highest + " but never $" + (n + 1) + ": number placeholders from $1 without gaps");
			}
		}
		return new ParsedSql(jdbc.toString(), Arrays.copyOf(indexes, bindCount), highest);
	}

	private static int parsePlaceholderNumber(String sql, int start, int end) {
		// The protocol carries at most 65535 parameters; longer digit runs are not placeholders we can bind.
		if (end - start > 5) {
			throw new IllegalArgumentException("Placeholder $" + sql.substring(start, end) + " is out of range");
		}
		int number = Integer.parseInt(sql, start, end, 10);
		if (number < 1 || number > 65535) {
			throw new IllegalArgumentException("Placeholder $" + number + " is out of range: use $1 to $65535");
		}
		return number;
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

	private static int skipLineComment(String sql, int start) {
		int newline = sql.indexOf('\n', start);
		return (newline < 0) ? sql.length() : newline + 1;
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
		char previous = sql.charAt(index - 1);
		return Character.isLetterOrDigit(previous) || previous == '_' || previous == '$';
	}

	private static boolean isTagPart(char c) {
		return Character.isLetterOrDigit(c) || c == '_';
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

}
