package io.aluskort.postgres;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A statement written with PostgreSQL's {@code $1, $2, ...} placeholders as the client runs it: its
 * JDBC text, which argument each {@code ?} binds, and what the text tells about it, read once by the
 * {@link SqlLexer} and kept unchanged.
 *
 * <p>Each listener of the lexer makes one part: the {@link PlaceholderTranslator} the JDBC text, the
 * {@link InsertShape} the batch layout, the {@link NameCollector} the names, the
 * {@link SessionChangeDetector} the session mark and the {@link TransactionControlDetector} the
 * transaction control.
 */
final class ParsedSql {

	private final String jdbcSql;

	/** For each JDBC {@code ?} in order, the zero-based index of the argument it takes. */
	private final int[] argumentIndexes;

	private final int parameterCount;

	/** How {@link #forRows} writes the statement for many rows; null for statements built by it. */
	private final @Nullable BatchLayout layout;

	/** The names the statement mentions, as {@link NameCollector} folds them; empty for batch shapes. */
	private final Set<String> names;

	/** Whether running the statement can leave state on the session that outlives the transaction. */
	private final boolean changesSession;

	private final @Nullable String transactionControl;

	/** Batch shapes made so far, by the number of rows they carry (powers of two only). */
	private final ConcurrentHashMap<Integer, ParsedSql> batchShapes = new ConcurrentHashMap<>();

	private ParsedSql(String jdbcSql, int[] argumentIndexes, int parameterCount, @Nullable BatchLayout layout,
			Set<String> names, boolean changesSession, @Nullable String transactionControl) {
		this.jdbcSql = jdbcSql;
		this.argumentIndexes = argumentIndexes;
		this.parameterCount = parameterCount;
		this.layout = layout;
		this.names = names;
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
		return this.layout != null && this.layout.isMultiRowInsert();
	}

	/**
	 * The first of the names that the statement mentions outside literals and comments, as a word or
	 * a quoted identifier, or null. Names are compared as PostgreSQL folds them: give plain ones in
	 * lower case, quoted ones as written. Text the statement builds at run time (dynamic SQL, a
	 * function body) is not seen.
	 */
	@Nullable String firstNameOf(Set<String> names) {
		for (String name : names) {
			if (this.names.contains(name)) {
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
		BatchLayout layout = this.layout;
		if (layout == null || layout.multiStatement()) {
			throw new IllegalArgumentException("A batch takes one statement; this text holds several");
		}
		return this.batchShapes.computeIfAbsent(rows, (count) -> buildForRows(layout, count));
	}

	private ParsedSql buildForRows(BatchLayout layout, int rows) {
		int[] indexes = new int[this.argumentIndexes.length * rows];
		for (int row = 0; row < rows; row++) {
			for (int i = 0; i < this.argumentIndexes.length; i++) {
				indexes[row * this.argumentIndexes.length + i] = this.argumentIndexes[i] + row * this.parameterCount;
			}
		}
		return new ParsedSql(layout.forRows(this.jdbcSql, rows), indexes, this.parameterCount * rows, null, Set.of(),
				this.changesSession, this.transactionControl);
	}

	/**
	 * Reads the statement.
	 * @throws IllegalArgumentException when the text holds no statement or its placeholders are malformed
	 */
	static ParsedSql parse(String sql) {
		Analysis analysis = new Analysis(sql.length());
		SqlLexer.lex(sql, analysis);
		return analysis.result();
	}

	/**
	 * The lexer's one listener, which hands each token to every part's listener, the translator first
	 * (the insert shape reads its positions), through calls the compiler can inline.
	 */
	private static final class Analysis implements SqlLexer.Listener {

		private final PlaceholderTranslator jdbc;

		private final InsertShape insert;

		private final NameCollector names = new NameCollector();

		private final SessionChangeDetector session = new SessionChangeDetector();

		private final TransactionControlDetector control = new TransactionControlDetector();

		Analysis(int sqlLength) {
			this.jdbc = new PlaceholderTranslator(sqlLength);
			this.insert = new InsertShape(this.jdbc);
		}

		@Override
		public void word(String sql, int start, int end) {
			this.jdbc.word(sql, start, end);
			this.insert.word(sql, start, end);
			this.names.word(sql, start, end);
			this.session.word(sql, start, end);
			this.control.word(sql, start, end);
		}

		@Override
		public void quotedName(String sql, int start, int end) {
			this.jdbc.quotedName(sql, start, end);
			this.insert.quotedName(sql, start, end);
			this.names.quotedName(sql, start, end);
			this.session.quotedName(sql, start, end);
			this.control.quotedName(sql, start, end);
		}

		@Override
		public void literal(String sql, int start, int end) {
			this.jdbc.literal(sql, start, end);
			this.insert.literal(sql, start, end);
			this.names.literal(sql, start, end);
			this.session.literal(sql, start, end);
			this.control.literal(sql, start, end);
		}

		@Override
		public void placeholder(String sql, int start, int end) {
			this.jdbc.placeholder(sql, start, end);
			this.insert.placeholder(sql, start, end);
			this.names.placeholder(sql, start, end);
			this.session.placeholder(sql, start, end);
			this.control.placeholder(sql, start, end);
		}

		@Override
		public void symbol(char c) {
			this.jdbc.symbol(c);
			this.insert.symbol(c);
			this.names.symbol(c);
			this.session.symbol(c);
			this.control.symbol(c);
		}

		@Override
		public void statementEnd() {
			this.jdbc.statementEnd();
			this.insert.statementEnd();
			this.names.statementEnd();
			this.session.statementEnd();
			this.control.statementEnd();
		}

		@Override
		public void blank(String sql, int start, int end) {
			this.jdbc.blank(sql, start, end);
			this.insert.blank(sql, start, end);
			this.names.blank(sql, start, end);
			this.session.blank(sql, start, end);
			this.control.blank(sql, start, end);
		}

		@Override
		public void end() {
			this.jdbc.end();
			this.insert.end();
			this.names.end();
			this.session.end();
			this.control.end();
		}

		ParsedSql result() {
			return new ParsedSql(this.jdbc.jdbcSql(), this.jdbc.argumentIndexes(), this.jdbc.parameterCount(),
					this.insert.layout(), this.names.names(), this.session.changesSession(),
					this.control.transactionControl());
		}

	}

}
