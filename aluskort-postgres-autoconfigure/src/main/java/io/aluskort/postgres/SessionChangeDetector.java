package io.aluskort.postgres;

/**
 * Tells, from the tokens {@link ParsedSql}'s lexer meets outside literals and comments, whether a
 * statement can leave state on the session that outlives its transaction and so would reach the next
 * borrower of a pooled connection. See {@link SessionReset#WHEN_CHANGED} for what it marks.
 *
 * <p>It errs towards marking: a needless mark costs one reset, a missed one leaks a setting, a role or a
 * lock to another caller.
 */
final class SessionChangeDetector {

	private boolean changesSession;

	/** Words at the start of the current statement, counted until another token comes. */
	private int leadingWords;

	private boolean leading = true;

	private boolean create;

	private boolean set;

	private boolean prepare;

	/** Whether the statement is a query, whose {@code INTO TEMP} creates a temporary table. */
	private boolean query;

	private boolean afterInto;

	private int depth;

	private boolean setConfigNamed;

	/** The depth inside a {@code set_config(...)} call's parentheses, or -1 outside one. */
	private int setConfigDepth = -1;

	private int setConfigArgument;

	private int isLocalTokens;

	private boolean isLocalTrue;

	boolean changesSession() {
		return this.changesSession;
	}

	void word(String sql, int start, int end) {
		boolean wasSetConfigNamed = this.setConfigNamed;
		this.setConfigNamed = false;
		if (this.setConfigDepth >= 0) {
			setConfigToken(is(sql, start, end, "true"));
		}
		if (this.leading) {
			leadingWord(sql, start, end);
		}
		if (this.query && this.afterInto && (is(sql, start, end, "temp") || is(sql, start, end, "temporary"))) {
			this.changesSession = true;
		}
		this.afterInto = is(sql, start, end, "into");
		if (is(sql, start, end, "pg_temp") || is(sql, start, end, "pg_advisory_lock")
				|| is(sql, start, end, "pg_advisory_lock_shared") || is(sql, start, end, "pg_try_advisory_lock")
				|| is(sql, start, end, "pg_try_advisory_lock_shared")) {
			this.changesSession = true;
		}
		if (is(sql, start, end, "set_config")) {
			// A set_config inside another one's arguments is beyond this detector: mark it.
			this.changesSession |= (this.setConfigDepth >= 0 || wasSetConfigNamed);
			this.setConfigNamed = true;
		}
	}

	private void leadingWord(String sql, int start, int end) {
		int position = this.leadingWords++;
		if (position == 0) {
			this.create = is(sql, start, end, "create");
			this.set = is(sql, start, end, "set");
			this.prepare = is(sql, start, end, "prepare");
			this.query = is(sql, start, end, "select") || is(sql, start, end, "with");
			if (is(sql, start, end, "reset") || is(sql, start, end, "listen") || is(sql, start, end, "declare")
					|| is(sql, start, end, "do")) {
				this.changesSession = true;
			}
		}
		else if (position == 1 && this.set) {
			// SET LOCAL, SET TRANSACTION and SET CONSTRAINTS end with the transaction; every other SET does not.
			if (!is(sql, start, end, "local") && !is(sql, start, end, "transaction")
					&& !is(sql, start, end, "constraints")) {
				this.changesSession = true;
			}
		}
		else if (position == 1 && this.prepare) {
			if (!is(sql, start, end, "transaction")) {
				this.changesSession = true;
			}
		}
		else if (this.create && (is(sql, start, end, "temp") || is(sql, start, end, "temporary"))) {
			this.changesSession = true;
		}
	}

	/** A string, a quoted identifier, a dollar-quoted body or a placeholder. */
	void operand() {
		notWord();
		if (this.setConfigDepth >= 0) {
			setConfigToken(false);
		}
	}

	/** Any other character outside literals and comments but white space. */
	void symbol(char c) {
		boolean wasSetConfigNamed = this.setConfigNamed;
		notWord();
		if (c == ';' && this.depth == 0) {
			endStatement();
			return;
		}
		if (c == '(') {
			this.depth++;
			if (wasSetConfigNamed) {
				this.setConfigDepth = this.depth;
				this.setConfigArgument = 0;
				this.isLocalTokens = 0;
				this.isLocalTrue = false;
			}
			else if (this.setConfigDepth >= 0) {
				setConfigToken(false);
			}
			return;
		}
		if (c == ')') {
			if (this.setConfigDepth == this.depth) {
				endSetConfig();
			}
			else if (this.setConfigDepth >= 0) {
				setConfigToken(false);
			}
			this.depth--;
			return;
		}
		if (this.setConfigDepth >= 0) {
			if (c == ',' && this.depth == this.setConfigDepth) {
				this.setConfigArgument++;
			}
			else {
				setConfigToken(false);
			}
		}
	}

	/** The end of the text. */
	void end() {
		endStatement();
	}

	private void notWord() {
		if (this.leading && this.leadingWords == 1 && (this.set || this.prepare)) {
			// SET "search_path" ..., PREPARE "name" ...: not one of the transaction-scoped forms.
			this.changesSession = true;
		}
		this.leading = false;
		this.afterInto = false;
		this.setConfigNamed = false;
	}

	/** A token of a set_config call's arguments: only the third, is_local, matters. */
	private void setConfigToken(boolean isTrue) {
		if (this.setConfigArgument == 2) {
			this.isLocalTokens++;
			this.isLocalTrue = isTrue && this.depth == this.setConfigDepth;
		}
	}

	/** Only {@code set_config(name, value, true)} ends with the transaction. */
	private void endSetConfig() {
		if (!(this.setConfigArgument == 2 && this.isLocalTokens == 1 && this.isLocalTrue)) {
			this.changesSession = true;
		}
		this.setConfigDepth = -1;
	}

	private void endStatement() {
		if (this.setConfigDepth >= 0) {
			endSetConfig();
		}
		this.leadingWords = 0;
		this.leading = true;
		this.create = false;
		this.set = false;
		this.prepare = false;
		this.query = false;
		this.afterInto = false;
		this.setConfigNamed = false;
		this.depth = 0;
	}

	private static boolean is(String sql, int start, int end, String lowerCaseWord) {
		return end - start == lowerCaseWord.length() && sql.regionMatches(true, start, lowerCaseWord, 0, end - start);
	}

}
