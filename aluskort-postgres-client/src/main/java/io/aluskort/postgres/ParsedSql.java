package io.aluskort.postgres;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A statement written with PostgreSQL's {@code $1, $2, ...} placeholders, translated once into the
 * JDBC form pgjdbc parses: every placeholder becomes {@code ?} and every literal {@code ?} (the
 * jsonb operators {@code ?}, {@code ?|}, {@code ?&}) becomes {@code ??}.
 *
 * <p>The lexer follows PostgreSQL's: placeholders inside string literals ({@code '...'},
 * {@code E'...'}), quoted identifiers, comments (nested block comments too) and dollar-quoted bodies
 * are text, not placeholders. pgjdbc's own parser skips the same regions, so the two agree on which
 * {@code ?} are parameters. A statement of nothing but white space and comments between semicolons is
 * left out of the JDBC text: pgjdbc would send it as an empty query, whose {@code EMPTY} answer would
 * then stand for the text's last statement.
 */
final class ParsedSql {

	private final String jdbcSql;

	/** For each JDBC {@code ?} in order, the zero-based index of the argument it takes. */
	private final int[] argumentIndexes;

	private final int parameterCount;

	/** What {@link #forRows} needs of the statement's structure; null for statements built by it. */
	private final @Nullable Structure structure;

	/** Whether running the statement can leave state on the session that outlives the transaction. */
	private final boolean changesSession;

	private final @Nullable String transactionControl;

	/** Batch shapes made so far, by the number of rows they carry (powers of two only). */
	private final ConcurrentHashMap<Integer, ParsedSql> batchShapes = new ConcurrentHashMap<>();

	private ParsedSql(String jdbcSql, int[] argumentIndexes, int parameterCount, @Nullable Structure structure,
			boolean changesSession, @Nullable String transactionControl) {
		this.jdbcSql = jdbcSql;
		this.argumentIndexes = argumentIndexes;
		this.parameterCount = parameterCount;
		this.structure = structure;
		this.changesSession = changesSession;
		this.transactionControl = transactionControl;
	}

	/** The SQL as pgjdbc expects it. */
	String jdbcSql() {
		return this.jdbcSql;
	}

	/**
	 * Whether the statement's text shows a change to the session that outlives its transaction (see
	 * {@link SessionReset#WHEN_CHANGED}), so that its connection must be reset before another caller
	 * borrows it.
	 */
	boolean changesSession() {
		return this.changesSession;
	}

	/**
	 * The first statement of the text that controls the transaction, by its leading keywords in upper
	 * case: {@code BEGIN}, {@code START TRANSACTION}, {@code COMMIT}, {@code END}, {@code ROLLBACK},
	 * {@code ABORT}, {@code SAVEPOINT}, {@code RELEASE}, {@code ROLLBACK TO} or {@code PREPARE TRANSACTION},
	 * whatever optional words follow them ({@code WORK}, {@code TRANSACTION}, {@code SAVEPOINT},
	 * {@code AND [NO] CHAIN}, transaction modes); null when no statement does. {@code COMMIT PREPARED} and
	 * {@code ROLLBACK PREPARED}, which run outside a transaction block, are not counted, nor is anything
	 * inside literals, comments and dollar-quoted bodies ({@code DO}, function bodies) or inside a
	 * {@code CREATE ... BEGIN ATOMIC} body, whose semicolons pgjdbc does not split at.
	 */
	@Nullable String transactionControl() {
		return this.transactionControl;
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
	void checkArgumentCount(@Nullable Object[] args) {
		if (args.length != this.parameterCount) {
			throw new IllegalArgumentException("Statement expects " + this.parameterCount + " argument"
					+ ((this.parameterCount != 1) ? "s" : "") + " ($1..$" + this.parameterCount + ") but got "
					+ args.length);
		}
	}

	/**
	 * Whether {@link #forRows} folds rows into one multi-row {@code INSERT ... VALUES (...), (...)} (as
	 * pgjdbc's {@code reWriteBatchedInserts} does) rather than repeating the statement.
	 */
	boolean isMultiRowInsert() {
		return this.structure != null && this.structure.isRewritableInsert();
	}

	/**
	 * The first of the names that the statement mentions outside literals and comments, as a word or
	 * a quoted identifier, or null. Names are compared as PostgreSQL folds them: give plain ones in
	 * lower case, quoted ones as written. Text the statement builds at run time (dynamic SQL, a
	 * function body) is not seen.
	 */
	@Nullable String firstNameOf(Set<String> names) {
		if (this.structure == null) {
			return null;
		}
		for (String name : names) {
			if (this.structure.names.contains(name)) {
				return name;
			}
		}
		return null;
	}

	/**
	 * The statement for {@code rows} argument rows at once, with the arguments of row {@code r} at
	 * {@code r * parameterCount()} onwards: a multi-row INSERT where the statement is a plain
	 * {@code INSERT ... VALUES (...)} (each row then inserts exactly one row: no ON CONFLICT, no
	 * RETURNING), else the statement repeated, which pgjdbc sends in one round trip.
	 * @throws IllegalArgumentException when the text holds several statements
	 */
	ParsedSql forRows(int rows) {
		Structure structure = this.structure;
		if (structure == null || structure.multiStatement) {
			throw new IllegalArgumentException("A batch takes one statement; this text holds several");
		}
		return this.batchShapes.computeIfAbsent(rows, (count) -> buildForRows(structure, count));
	}

	private ParsedSql buildForRows(Structure structure, int rows) {
		StringBuilder jdbc = new StringBuilder(this.jdbcSql.length() * rows + 16);
		int[] indexes = new int[this.argumentIndexes.length * rows];
		for (int row = 0; row < rows; row++) {
			for (int i = 0; i < this.argumentIndexes.length; i++) {
				indexes[row * this.argumentIndexes.length + i] = this.argumentIndexes[i] + row * this.parameterCount;
			}
		}
		if (structure.isRewritableInsert()) {
			String group = this.jdbcSql.substring(structure.groupStart, structure.groupEnd);
			jdbc.append(this.jdbcSql, 0, structure.groupStart);
			for (int row = 0; row < rows; row++) {
				jdbc.append((row > 0) ? "," : "").append(group);
			}
			jdbc.append(this.jdbcSql, structure.groupEnd, this.jdbcSql.length());
		}
		else {
			String statement = this.jdbcSql.substring(0, structure.statementEnd);
			for (int row = 0; row < rows; row++) {
				jdbc.append(statement).append(';');
			}
		}
		return new ParsedSql(jdbc.toString(), indexes, this.parameterCount * rows, null, this.changesSession,
				this.transactionControl);
	}

	static ParsedSql parse(String sql) {
		StringBuilder jdbc = new StringBuilder(sql.length() + 8);
		Structure structure = new Structure();
		SessionChangeDetector session = new SessionChangeDetector();
		int[] indexes = new int[8];
		int bindCount = 0;
		int highest = 0;
		boolean[] used = new boolean[8];
		// Where the current statement starts in the JDBC text: after the last semicolon pgjdbc splits at.
		int statementStart = 0;
		int length = sql.length();
		int i = 0;
		while (i < length) {
			char c = sql.charAt(i);
			int end;
			if (c == '\'') {
				end = skipQuoted(sql, i, '\'', isEscapeStringPrefix(sql, i));
				session.operand();
			}
			else if (c == '"') {
				end = skipQuoted(sql, i, '"', false);
				structure.quotedName(sql, i, end);
				session.quotedName(sql, i, end);
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
					structure.placeholder();
					session.operand();
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
					structure.statementEnd = jdbc.length();
					i = digitsEnd;
					continue;
				}
				end = skipDollarQuoted(sql, i);
				if (end > i + 1) {
					session.operand();
				}
				else {
					session.symbol(c);
				}
			}
			else if (c == ';') {
				session.symbol(c);
				boolean splits = structure.semicolon(jdbc.length());
				if (splits && structure.statementEnd <= statementStart) {
					// Nothing but white space and comments since the last split: pgjdbc would send an empty query.
					jdbc.setLength(statementStart);
				}
				else {
					jdbc.append(c);
				}
				if (splits) {
					statementStart = jdbc.length();
				}
				i++;
				continue;
			}
			else if (c == '?') {
				structure.code(c, jdbc.length());
				session.symbol(c);
				jdbc.append("??");
				structure.statementEnd = jdbc.length();
				i++;
				continue;
			}
			else if (isWordStart(c) && !followsIdentifierPart(sql, i)) {
				end = i + 1;
				while (end < length && (isTagPart(sql.charAt(end)) || sql.charAt(end) == '$')) {
					end++;
				}
				structure.word(sql, i, end);
				session.word(sql, i, end);
			}
			else {
				structure.code(c, jdbc.length());
				if (!Character.isWhitespace(c)) {
					session.symbol(c);
				}
				end = i + 1;
			}
			jdbc.append(sql, i, end);
			if (!isComment(c, sql, i) && !Character.isWhitespace(c)) {
				structure.statementEnd = jdbc.length();
			}
			i = end;
		}
		structure.endStatement();
		session.end();
		if (structure.statementEnd <= statementStart) {
			jdbc.setLength(statementStart);
		}
		if (jdbc.length() == 0) {
			throw new IllegalArgumentException(
					"SQL statement is empty: the text holds no statement, only white space, comments or semicolons");
		}

		for (int n = 0; n < highest; n++) {
			if (!used[n]) {
				throw new IllegalArgumentException(
						"Statement uses $" + highest + " but never $" + (n + 1) + ": number placeholders from $1 without gaps");
			}
		}
		return new ParsedSql(jdbc.toString(), Arrays.copyOf(indexes, bindCount), highest, structure,
				session.changesSession(), structure.transactionControl);
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
		char previous = sql.charAt(index - 1);
		return Character.isLetterOrDigit(previous) || previous == '_' || previous == '$';
	}

	private static boolean isTagPart(char c) {
		return Character.isLetterOrDigit(c) || c == '_';
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static boolean isComment(char c, String sql, int i) {
		return i + 1 < sql.length() && ((c == '-' && sql.charAt(i + 1) == '-') || (c == '/' && sql.charAt(i + 1) == '*'));
	}

	private static boolean isWordStart(char c) {
		return Character.isLetter(c) || c == '_';
	}

	/**
	 * The top level of a statement, seen token by token outside literals and comments: enough to tell a
	 * plain {@code INSERT ... VALUES (...)} whose one row can be repeated, a text of several statements,
	 * where pgjdbc splits it, and which statement controls the transaction. Positions are in the
	 * translated (JDBC) text.
	 */
	private static final class Structure {

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

		private int depth;

		private boolean firstWordSeen;

		private boolean insert;

		private boolean valuesSeen;

		/** Where the VALUES row starts and ends, or -1. */
		int groupStart = -1;

		int groupEnd = -1;

		private boolean placeholderOutsideGroup;

		private boolean codeAfterGroup;

		private boolean semicolonSeen;

		boolean multiStatement;

		/** Where the statement ends: after its last token, before trailing semicolons, space and comments. */
		int statementEnd;

		/** Every word and quoted identifier: plain ones lower-cased, as PostgreSQL folds them. */
		final Set<String> names = new HashSet<>();

		/** The first statement that controls the transaction, by its leading keywords. */
		@Nullable String transactionControl;

		/** What the current statement's leading words make of it so far: one of the constants, or null. */
		private @Nullable String control;

		/** Words at the start of the current statement, or -1 once another token came. */
		private int leadingWords;

		private boolean createStatement;

		private boolean afterBegin;

		/** Whether a CREATE statement held BEGIN ATOMIC: pgjdbc then splits the text at no later semicolon. */
		private boolean beginAtomic;

		void word(String sql, int start, int end) {
			afterSemicolon();
			String word = sql.substring(start, end);
			String folded = word.toLowerCase(Locale.ROOT);
			this.names.add(folded);
			statementWord(folded);
			if (!this.firstWordSeen) {
				this.firstWordSeen = true;
				this.insert = word.equalsIgnoreCase("INSERT");
			}
			else if (this.depth == 0 && this.insert && this.groupStart < 0 && word.equalsIgnoreCase("VALUES")) {
				this.valuesSeen = true;
			}
			else if (this.groupEnd >= 0) {
				this.codeAfterGroup = true;
			}
		}

		void quotedName(String sql, int start, int end) {
			otherToken('"');
			if (end - start >= 2 && sql.charAt(end - 1) == '"') {
				this.names.add(sql.substring(start + 1, end - 1).replace("\"\"", "\""));
			}
		}

		void code(char c, int position) {
			if (Character.isWhitespace(c)) {
				return;
			}
			otherToken(c);
			if (c == ';' && this.depth == 0) {
				this.semicolonSeen = true;
				return;
			}
			afterSemicolon();
			if (c == '(') {
				if (this.depth == 0 && this.valuesSeen && this.groupStart < 0) {
					this.groupStart = position;
				}
				this.depth++;
			}
			else if (c == ')') {
				this.depth--;
				if (this.depth == 0 && this.groupStart >= 0 && this.groupEnd < 0) {
					this.groupEnd = position + 1;
					return;
				}
			}
			if (this.groupEnd >= 0) {
				this.codeAfterGroup = true;
			}
		}

		/**
		 * At a semicolon: whether it ends the statement where pgjdbc splits the text, that is outside
		 * parentheses and before any {@code BEGIN ATOMIC}.
		 */
		boolean semicolon(int position) {
			code(';', position);
			if (this.depth != 0 || this.beginAtomic) {
				return false;
			}
			endStatement();
			return true;
		}

		/** At the end of a statement, where pgjdbc splits the text, or at the end of the text. */
		void endStatement() {
			if (this.transactionControl == null && !START.equals(this.control) && !PREPARE.equals(this.control)) {
				this.transactionControl = this.control;
			}
			this.control = null;
			this.leadingWords = 0;
			this.createStatement = false;
			this.afterBegin = false;
		}

		private void statementWord(String word) {
			if (this.createStatement) {
				// As pgjdbc's parser tells a SQL-standard function body, whose semicolons it does not split at.
				this.beginAtomic |= this.afterBegin && word.equals("atomic");
				this.afterBegin = word.equals("begin");
			}
			if (this.leadingWords < 0) {
				return;
			}
			int position = this.leadingWords++;
			if (position == 0) {
				this.createStatement = word.equals("create");
				this.control = switch (word) {
					case "begin" -> BEGIN;
					case "start" -> START;
					case "commit" -> COMMIT;
					case "end" -> END;
					case "rollback" -> ROLLBACK;
					case "abort" -> ABORT;
					case "savepoint" -> SAVEPOINT;
					case "release" -> RELEASE;
					case "prepare" -> PREPARE;
					default -> null;
				};
			}
			else if (this.control != null) {
				this.control = nextControlWord(this.control, position, word);
			}
		}

		private static @Nullable String nextControlWord(String control, int position, String word) {
			if (control.equals(START)) {
				return word.equals("transaction") ? START_TRANSACTION : null;
			}
			if (control.equals(PREPARE)) {
				return word.equals("transaction") ? PREPARE_TRANSACTION : null;
			}
			if (position == 1 && (control.equals(COMMIT) || control.equals(ROLLBACK)) && word.equals("prepared")) {
				// The second step of a two-phase commit, which runs outside any transaction block.
				return null;
			}
			if (control.equals(ROLLBACK) && position <= 2 && word.equals("to")) {
				return ROLLBACK_TO;
			}
			if (control.equals(PREPARE_TRANSACTION) && position == 2 && word.equals("as")) {
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

		void placeholder() {
			otherToken('$');
			afterSemicolon();
			if (this.groupStart < 0 || this.groupEnd >= 0 || this.depth == 0) {
				this.placeholderOutsideGroup = true;
			}
		}

		private void afterSemicolon() {
			if (this.semicolonSeen) {
				this.multiStatement = true;
			}
		}

		boolean isRewritableInsert() {
			return this.insert && this.groupEnd > 0 && !this.placeholderOutsideGroup && !this.codeAfterGroup
					&& !this.multiStatement;
		}

	}

}
