package io.aluskort.postgres;

/**
 * Tells, from a statement's tokens, whether it can leave state on the session that outlives its
 * transaction and so would reach the next borrower of a pooled connection. See
 * {@link SessionReset#WHEN_CHANGED} for what it marks.
 *
 * <p>It errs towards marking: a needless mark costs one reset, a missed one leaks a setting, a role or a
 * lock to another caller. Plain names are compared as PostgreSQL folds them (in any case), quoted ones
 * as written.
 */
final class SessionChangeDetector implements SqlLexer.Listener {

	private boolean changesSession;

	/** Words at the start of the current statement, counted until another token comes. */
	private int leadingWords;

	private boolean leading = true;

	/** Before the statement an EXPLAIN shows (and with ANALYZE runs), which is judged as if sent alone. */
	private boolean explain;

	/** Inside parentheses right after EXPLAIN: its options, or a parenthesized query it explains. */
	private boolean explainParentheses;

	private boolean create;

	private boolean set;

	private boolean prepare;

	/**
	 * After PREPARE TRANSACTION: a string next makes it the first step of a two-phase commit, anything
	 * else a prepared statement named transaction.
	 */
	private boolean prepareTransaction;

	/** Whether the statement writes into a table it names (INSERT, MERGE), so that INTO TEMP names one. */
	private boolean writesInto;

	/** After INTO [LOCAL | GLOBAL] in any other statement, where TEMP creates a temporary table. */
	private boolean afterInto;

	private boolean update;

	private boolean pgSettings;

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

	@Override
	public void word(String sql, int start, int end) {
		boolean wasSetConfigNamed = this.setConfigNamed;
		this.setConfigNamed = false;
		if (this.setConfigDepth >= 0) {
			setConfigToken(is(sql, start, end, "true"));
		}
		if (this.leading && !this.explainParentheses) {
			leadingWord(sql, start, end);
		}
		if (this.afterInto && (is(sql, start, end, "temp") || is(sql, start, end, "temporary"))) {
			this.changesSession = true;
		}
		this.afterInto = !this.writesInto && (is(sql, start, end, "into")
				|| (this.afterInto && (is(sql, start, end, "local") || is(sql, start, end, "global"))));
		if (is(sql, start, end, "update")) {
			this.update = true;
			this.changesSession |= this.pgSettings;
		}
		name(sql, start, end, true, wasSetConfigNamed);
	}

	private void leadingWord(String sql, int start, int end) {
		if (this.explain) {
			if (is(sql, start, end, "analyze") || is(sql, start, end, "analyse") || is(sql, start, end, "verbose")) {
				return;
			}
			this.explain = false;
		}
		int position = this.leadingWords++;
		if (position == 0) {
			if (is(sql, start, end, "explain")) {
				this.explain = true;
				this.leadingWords = 0;
				return;
			}
			this.create = is(sql, start, end, "create");
			this.set = is(sql, start, end, "set");
			this.prepare = is(sql, start, end, "prepare");
			this.writesInto = is(sql, start, end, "insert") || is(sql, start, end, "merge");
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
			if (is(sql, start, end, "transaction")) {
				this.prepareTransaction = true;
			}
			else {
				this.changesSession = true;
			}
		}
		else if (position == 2 && this.prepareTransaction) {
			// PREPARE transaction AS ...: a prepared statement named transaction.
			this.prepareTransaction = false;
			this.changesSession = true;
		}
		else if (this.create && (is(sql, start, end, "temp") || is(sql, start, end, "temporary"))) {
			this.changesSession = true;
		}
	}

	@Override
	public void quotedName(String sql, int start, int end) {
		boolean wasSetConfigNamed = this.setConfigNamed;
		notWord(false);
		if (this.setConfigDepth >= 0) {
			setConfigToken(false);
		}
		if (start >= 2 && sql.charAt(start - 1) == '&' && Character.toUpperCase(sql.charAt(start - 2)) == 'U') {
			// U&"..." spells its name with escapes, which this detector does not decode.
			this.changesSession = true;
		}
		if (end - start >= 2 && sql.charAt(end - 1) == '"') {
			name(sql, start + 1, end - 1, false, wasSetConfigNamed);
		}
	}

	/** The names that change the session wherever a statement mentions them. */
	private void name(String sql, int start, int end, boolean plain, boolean afterSetConfig) {
		if (startsWith(sql, start, end, "pg_temp", plain) || is(sql, start, end, "pg_advisory_lock", plain)
				|| is(sql, start, end, "pg_advisory_lock_shared", plain)
				|| is(sql, start, end, "pg_try_advisory_lock", plain)
				|| is(sql, start, end, "pg_try_advisory_lock_shared", plain)) {
			this.changesSession = true;
		}
		if (is(sql, start, end, "pg_settings", plain)) {
			// Its UPDATE rule calls set_config(name, setting, false).
			this.pgSettings = true;
			this.changesSession |= this.update;
		}
		if (is(sql, start, end, "set_config", plain)) {
			// A set_config inside another one's arguments is beyond this detector: mark it.
			this.changesSession |= (this.setConfigDepth >= 0 || afterSetConfig);
			this.setConfigNamed = true;
		}
	}

	@Override
	public void literal(String sql, int start, int end) {
		operand();
	}

	@Override
	public void placeholder(String sql, int start, int end) {
		operand();
	}

	/** A string, a dollar-quoted body or a placeholder. */
	private void operand() {
		notWord(true);
		if (this.setConfigDepth >= 0) {
			setConfigToken(false);
		}
	}

	@Override
	public void symbol(char c) {
		boolean wasSetConfigNamed = this.setConfigNamed;
		if (c == '(' && this.leading && this.explain && this.depth == 0) {
			this.explainParentheses = true;
		}
		notWord(false);
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
			if (this.depth == 0) {
				this.explainParentheses = false;
			}
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

	/** Like any semicolon outside parentheses, whether pgjdbc splits the text there or not, it ends a statement. */
	@Override
	public void statementEnd() {
		symbol(';');
	}

	@Override
	public void end() {
		endStatement();
	}

	private void notWord(boolean operand) {
		if (this.leading && !this.explainParentheses) {
			if (this.leadingWords == 1 && (this.set || this.prepare)) {
				// SET "search_path" ..., PREPARE "name" ...: not one of the transaction-scoped forms.
				this.changesSession = true;
			}
			if (this.prepareTransaction && !operand) {
				// PREPARE transaction (types) AS ...
				this.changesSession = true;
			}
			this.leading = false;
		}
		this.prepareTransaction = false;
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
		// PREPARE TRANSACTION with nothing after it: not the two-phase commit step, so take it for a change.
		this.changesSession |= this.prepareTransaction;
		this.leadingWords = 0;
		this.leading = true;
		this.explain = false;
		this.explainParentheses = false;
		this.create = false;
		this.set = false;
		this.prepare = false;
		this.prepareTransaction = false;
		this.writesInto = false;
		this.afterInto = false;
		this.update = false;
		this.pgSettings = false;
		this.setConfigNamed = false;
		this.depth = 0;
	}

	private static boolean is(String sql, int start, int end, String lowerCaseWord) {
		return is(sql, start, end, lowerCaseWord, true);
	}

	private static boolean is(String sql, int start, int end, String lowerCaseName, boolean ignoreCase) {
		return end - start == lowerCaseName.length()
				&& sql.regionMatches(ignoreCase, start, lowerCaseName, 0, lowerCaseName.length());
	}

	private static boolean startsWith(String sql, int start, int end, String lowerCasePrefix, boolean ignoreCase) {
		return end - start >= lowerCasePrefix.length()
				&& sql.regionMatches(ignoreCase, start, lowerCasePrefix, 0, lowerCasePrefix.length());
	}

}
