package io.aluskort.postgres;

import java.util.Arrays;

/**
 * Writes the JDBC text of a statement from its tokens: every {@code $n} placeholder becomes {@code ?}
 * and every literal {@code ?} (the jsonb operators {@code ?}, {@code ?|}, {@code ?&}) becomes
 * {@code ??}, and it notes which argument each {@code ?} takes.
 *
 * <p>A statement of nothing but white space and comments between semicolons is left out: pgjdbc would
 * send it as an empty query, whose {@code EMPTY} answer would then stand for the text's last statement.
 */
final class PlaceholderTranslator implements SqlLexer.Listener {

	private final StringBuilder jdbc;

	private int[] indexes = new int[8];

	private int bindCount;

	private int highest;

	private boolean[] used = new boolean[8];

	/** Where the current statement starts in the JDBC text: after the last semicolon pgjdbc splits at. */
	private int statementStart;

	/** Where the last statement ends: after its last token, before trailing semicolons, space and comments. */
	private int statementEnd;

	PlaceholderTranslator(int sqlLength) {
		this.jdbc = new StringBuilder(sqlLength + 8);
	}

	@Override
	public void word(String sql, int start, int end) {
		token(sql, start, end);
	}

	@Override
	public void quotedName(String sql, int start, int end) {
		token(sql, start, end);
	}

	@Override
	public void literal(String sql, int start, int end) {
		token(sql, start, end);
	}

	@Override
	public void placeholder(String sql, int start, int end) {
		int number = parsePlaceholderNumber(sql, start + 1, end);
		if (this.bindCount == this.indexes.length) {
			this.indexes = Arrays.copyOf(this.indexes, this.bindCount * 2);
		}
		this.indexes[this.bindCount++] = number - 1;
		if (number > this.used.length) {
			this.used = Arrays.copyOf(this.used, Math.max(number, this.used.length * 2));
		}
		this.used[number - 1] = true;
		this.highest = Math.max(this.highest, number);
		this.jdbc.append('?');
		this.statementEnd = this.jdbc.length();
	}

	@Override
	public void symbol(char c) {
		if (c == '?') {
			this.jdbc.append("??");
		}
		else {
			this.jdbc.append(c);
		}
		if (c != ';') {
			// A semicolon that splits nothing (inside parentheses, a BEGIN ATOMIC body) extends no statement.
			this.statementEnd = this.jdbc.length();
		}
	}

	@Override
	public void statementEnd() {
		if (this.statementEnd <= this.statementStart) {
			// Nothing but white space and comments since the last split: pgjdbc would send an empty query.
			this.jdbc.setLength(this.statementStart);
		}
		else {
			this.jdbc.append(';');
		}
		this.statementStart = this.jdbc.length();
	}

	@Override
	public void blank(String sql, int start, int end) {
		this.jdbc.append(sql, start, end);
	}

	/**
	 * @throws IllegalArgumentException when the text holds no statement or its placeholders leave a gap
	 */
	@Override
	public void end() {
		if (this.statementEnd <= this.statementStart) {
			this.jdbc.setLength(this.statementStart);
		}
		if (this.jdbc.length() == 0) {
			throw new IllegalArgumentException(
					"SQL statement is empty: the text holds no statement, only white space, comments or semicolons");
		}
		for (int n = 0; n < this.highest; n++) {
			if (!this.used[n]) {
				throw new IllegalArgumentException("Statement uses $" + this.highest + " but never $" + (n + 1)
						+ ": number placeholders from $1 without gaps");
			}
		}
	}

	/** The length of the JDBC text written so far. */
	int length() {
		return this.jdbc.length();
	}

	String jdbcSql() {
		return this.jdbc.toString();
	}

	/** For each JDBC {@code ?} in order, the zero-based index of the argument it takes. */
	int[] argumentIndexes() {
		return Arrays.copyOf(this.indexes, this.bindCount);
	}

	/** The highest {@code $n}. */
	int parameterCount() {
		return this.highest;
	}

	/** Where the last statement ends in the JDBC text, before trailing semicolons, space and comments. */
	int endOfLastStatement() {
		return this.statementEnd;
	}

	private void token(String sql, int start, int end) {
		this.jdbc.append(sql, start, end);
		this.statementEnd = this.jdbc.length();
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

}
