package io.aluskort.postgres;

import org.jspecify.annotations.Nullable;

/**
 * Finds, from a text's tokens, the first statement that controls the transaction, by its leading
 * keywords (see {@link ParsedSql#transactionControl()}).
 */
final class TransactionControlDetector implements SqlLexer.Listener {

	private static final String BEGIN = "BEGIN";

	private static final String START = "START";

	private static final String START_TRANSACTION = "START TRANSACTION";

	private static final String COMMIT = "COMMIT";

	private static final String END = "END";

	private static final String ROLLBACK = "ROLLBACK";

	private static final String ROLLBACK_TO = "ROLLBACK TO";

	private static final String ABORT = "ABORT";

	private static final String SAVEPOINT = "SAVEPOINT";

	private static final String RELEASE = "RELEASE";

	private static final String PREPARE = "PREPARE";

	private static final String PREPARE_TRANSACTION = "PREPARE TRANSACTION";

	/** The first statement that controls the transaction, by its leading keywords. */
	private @Nullable String transactionControl;

	/** What the current statement's leading words make of it so far: one of the constants, or null. */
	private @Nullable String control;

	/** Words at the start of the current statement, or -1 once another token came. */
	private int leadingWords;

	@Nullable String transactionControl() {
		return this.transactionControl;
	}

	@Override
	public void word(String sql, int start, int end) {
		if (this.leadingWords < 0) {
			return;
		}
		int position = this.leadingWords++;
		if (position == 0) {
			this.control = firstControlWord(sql, start, end);
		}
		else if (this.control != null) {
			this.control = nextControlWord(this.control, position, sql, start, end);
		}
	}

	@Override
	public void quotedName(String sql, int start, int end) {
		otherToken('"');
	}

	@Override
	public void placeholder(String sql, int start, int end) {
		otherToken('$');
	}

	@Override
	public void symbol(char c) {
		otherToken(c);
	}

	@Override
	public void statementEnd() {
		otherToken(';');
		endStatement();
	}

	@Override
	public void end() {
		endStatement();
	}

	private static @Nullable String firstControlWord(String sql, int start, int end) {
		if (SqlLexer.isWord(sql, start, end, "begin")) {
			return BEGIN;
		}
		if (SqlLexer.isWord(sql, start, end, "start")) {
			return START;
		}
		if (SqlLexer.isWord(sql, start, end, "commit")) {
			return COMMIT;
		}
		if (SqlLexer.isWord(sql, start, end, "end")) {
			return END;
		}
		if (SqlLexer.isWord(sql, start, end, "rollback")) {
			return ROLLBACK;
		}
		if (SqlLexer.isWord(sql, start, end, "abort")) {
			return ABORT;
		}
		if (SqlLexer.isWord(sql, start, end, "savepoint")) {
			return SAVEPOINT;
		}
		if (SqlLexer.isWord(sql, start, end, "release")) {
			return RELEASE;
		}
		if (SqlLexer.isWord(sql, start, end, "prepare")) {
			return PREPARE;
		}
		return null;
	}

	private static @Nullable String nextControlWord(String control, int position, String sql, int start, int end) {
		if (control.equals(START)) {
			return SqlLexer.isWord(sql, start, end, "transaction") ? START_TRANSACTION : null;
		}
		if (control.equals(PREPARE)) {
			return SqlLexer.isWord(sql, start, end, "transaction") ? PREPARE_TRANSACTION : null;
		}
		if (position == 1 && (control.equals(COMMIT) || control.equals(ROLLBACK))
				&& SqlLexer.isWord(sql, start, end, "prepared")) {
			// The second step of a two-phase commit, which runs outside any transaction block.
			return null;
		}
		if (control.equals(ROLLBACK) && position <= 2 && SqlLexer.isWord(sql, start, end, "to")) {
			return ROLLBACK_TO;
		}
		if (control.equals(PREPARE_TRANSACTION) && position == 2 && SqlLexer.isWord(sql, start, end, "as")) {
			// PREPARE transaction AS ...: a prepared statement named transaction.
			return null;
		}
		return control;
	}

	/** A token other than a word: the statement's leading words end. */
	private void otherToken(char c) {
		if (PREPARE_TRANSACTION.equals(this.control) && this.leadingWords == 2 && c == '(') {
			// PREPARE transaction (types) AS ...
			this.control = null;
		}
		this.leadingWords = -1;
	}

	/** At the end of a statement, where pgjdbc splits the text, or at the end of the text. */
	private void endStatement() {
		if (this.transactionControl == null && !START.equals(this.control) && !PREPARE.equals(this.control)) {
			this.transactionControl = this.control;
		}
		this.control = null;
		this.leadingWords = 0;
	}

}
