package io.aluskort.postgres;

/**
 * Tells, from a statement's tokens, whether it is a plain {@code INSERT ... VALUES (...)} whose one row
 * can be repeated into a multi-row INSERT, where that row is in the JDBC text, and whether the text
 * holds several statements.
 *
 * <p>Positions are in the JDBC text that the {@link PlaceholderTranslator} writes, which must hear each
 * token before this listener does.
 */
final class InsertShape implements SqlLexer.Listener {

	private final PlaceholderTranslator jdbc;

	private int depth;

	private boolean firstWordSeen;

	private boolean insert;

	private boolean valuesSeen;

	/** Where the VALUES row starts and ends in the JDBC text, or -1. */
	private int rowStart = -1;

	private int rowEnd = -1;

	private boolean placeholderOutsideRow;

	private boolean codeAfterRow;

	private boolean semicolonSeen;

	private boolean multiStatement;

	InsertShape(PlaceholderTranslator jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void word(String sql, int start, int end) {
		afterSemicolon();
		if (!this.firstWordSeen) {
			this.firstWordSeen = true;
			this.insert = SqlLexer.isWord(sql, start, end, "insert");
		}
		else if (this.depth == 0 && this.insert && this.rowStart < 0 && SqlLexer.isWord(sql, start, end, "values")) {
			this.valuesSeen = true;
		}
		else if (this.rowEnd >= 0) {
			this.codeAfterRow = true;
		}
	}

	@Override
	public void placeholder(String sql, int start, int end) {
		afterSemicolon();
		if (this.rowStart < 0 || this.rowEnd >= 0 || this.depth == 0) {
			this.placeholderOutsideRow = true;
		}
	}

	@Override
	public void symbol(char c) {
		if (c == ';' && this.depth == 0) {
			this.semicolonSeen = true;
			return;
		}
		afterSemicolon();
		if (c == '(') {
			if (this.depth == 0 && this.valuesSeen && this.rowStart < 0) {
				this.rowStart = this.jdbc.length() - 1;
			}
			this.depth++;
		}
		else if (c == ')') {
			this.depth--;
			if (this.depth == 0 && this.rowStart >= 0 && this.rowEnd < 0) {
				this.rowEnd = this.jdbc.length();
				return;
			}
		}
		if (this.rowEnd >= 0) {
			this.codeAfterRow = true;
		}
	}

	@Override
	public void statementEnd() {
		this.semicolonSeen = true;
	}

	/** How to write the statement for many rows, once the text is read. */
	BatchLayout layout() {
		boolean rewritable = this.insert && this.rowEnd > 0 && !this.placeholderOutsideRow && !this.codeAfterRow
				&& !this.multiStatement;
		return new BatchLayout(this.jdbc.endOfLastStatement(), rewritable ? this.rowStart : -1,
				rewritable ? this.rowEnd : -1, this.multiStatement);
	}

	private void afterSemicolon() {
		if (this.semicolonSeen) {
			this.multiStatement = true;
		}
	}

}
