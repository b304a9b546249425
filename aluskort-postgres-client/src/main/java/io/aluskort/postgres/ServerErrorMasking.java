package io.aluskort.postgres;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import org.springframework.lang.Contract;

/**
 * Keeps bound values out of the server's error messages before they become exception messages, and
 * so log lines: {@code invalid input syntax for type integer: "4111 1111 1111 1111"} becomes
 * {@code invalid input syntax for type integer: "***"}. The SQLState, the exception's type and the
 * server's structured fields (constraint, table, column) stay.
 *
 * <p>The server quotes a value it could not take in a few shapes: after a colon at the end of the
 * message, and as {@code value "..." is out of range}; those are always masked. Any other quoted text is
 * kept only when it names something the statement's own text or the error's structured fields name
 * (a relation, a column, a constraint), since showing it then tells nothing the exception does not
 * already; everything else is masked, values cast to names ({@code $1::regclass}) included. Details,
 * which the driver keeps out of messages anyway, are masked as well: a unique violation's
 * {@code Key (id)=(...)}, a check violation's {@code Failing row contains (...)}, a partitioned
 * table's {@code Partition key of the failing row contains (...) = (...)}; and so are the bound values
 * the context quotes ({@code unnamed portal with parameters: $1 = '...'}, which
 * {@code log_parameter_max_length_on_error} turns on).
 */
final class ServerErrorMasking {

	static final String MASK = "***";

	/** {@code invalid input syntax for type integer: "x"}, {@code invalid value for parameter "TimeZone": "x"}, ... */
	private static final Pattern QUOTED_AT_END = Pattern.compile(": \"(.*)\"\\z", Pattern.DOTALL);

	/** {@code value "x" is out of range for type integer}, {@code "x" is out of range for type real}, ... */
	private static final Pattern QUOTED_AT_START = Pattern.compile("\\A(?:value )?\"(.*)\" is ", Pattern.DOTALL);

	private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

	/** A unique or foreign key violation's detail: {@code Key (id)=(42) already exists.} */
	private static final Pattern KEY = Pattern.compile("\\AKey \\((.*?)\\)=\\((.*)\\)", Pattern.DOTALL);

	private static final Pattern FAILING_ROW = Pattern.compile("\\AFailing row contains \\((.*)\\)", Pattern.DOTALL);

	/** A row no partition takes: {@code Partition key of the failing row contains (tenant_id) = (t9).} */
	private static final Pattern PARTITION_KEY = Pattern
		.compile("\\APartition key of the failing row contains \\((.*?)\\) = \\((.*)\\)", Pattern.DOTALL);

	/**
	 * A bound value in the context: {@code unnamed portal parameter $1 = '...'} when it could not be
	 * taken, and {@code unnamed portal with parameters: $1 = '...', $2 = NULL} for every error once
	 * {@code log_parameter_max_length_on_error} is set.
	 */
	private static final Pattern PARAMETER = Pattern.compile("(\\$\\d+ = )'(?:[^']|'')*'");

	/** Where invalid JSON was: {@code JSON data, line 1: ...}. */
	private static final Pattern JSON_DATA = Pattern.compile("(JSON data, line \\d+: ).*");

	private ServerErrorMasking() {
	}

	/**
	 * The exception with every bound value masked, or the same exception when there was none.
	 * @param sql the statement that failed, whose names may show
	 */
	static SQLException mask(SQLException ex, @Nullable String sql) {
		if (ex instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
			return maskServerError(psql, psql.getServerErrorMessage(), sql);
		}
		String message = ex.getMessage();
		if (message == null) {
			return ex;
		}
		String masked = maskMessage(message, Set.of(), sql);
		if (masked.equals(message)) {
			return ex;
		}
		SQLException copy = new SQLException(masked, ex.getSQLState(), ex.getErrorCode(), ex.getCause());
		copy.setStackTrace(ex.getStackTrace());
		return copy;
	}

	private static SQLException maskServerError(PSQLException ex, ServerErrorMessage error, @Nullable String sql) {
		Set<String> names = new HashSet<>();
		for (String name : new @Nullable String[] { error.getSchema(), error.getTable(), error.getColumn(),
				error.getDatatype(), error.getConstraint() }) {
			if (name != null) {
				names.add(name.toLowerCase(Locale.ROOT));
			}
		}
		String message = maskMessage(error.getMessage(), names, sql);
		String detail = maskDetail(error.getDetail(), names, sql);
		String where = maskWhere(error.getWhere());
		if (same(message, error.getMessage()) && same(detail, error.getDetail()) && same(where, error.getWhere())) {
			return ex;
		}
		StringBuilder fields = new StringBuilder();
		field(fields, 'S', error.getSeverity());
		field(fields, 'C', error.getSQLState());
		field(fields, 'M', message);
		field(fields, 'D', detail);
		field(fields, 'H', error.getHint());
		field(fields, 'P', error.getPosition());
		field(fields, 'W', where);
		field(fields, 'q', error.getInternalQuery());
		field(fields, 'p', error.getInternalPosition());
		field(fields, 's', error.getSchema());
		field(fields, 't', error.getTable());
		field(fields, 'c', error.getColumn());
		field(fields, 'd', error.getDatatype());
		field(fields, 'n', error.getConstraint());
		field(fields, 'F', error.getFile());
		field(fields, 'L', error.getLine());
		field(fields, 'R', error.getRoutine());
		PSQLException masked = new PSQLException(new ServerErrorMessage(fields.toString()), false);
		masked.setStackTrace(ex.getStackTrace());
		if (ex.getCause() != null) {
			masked.initCause(ex.getCause());
		}
		SQLException next = ex.getNextException();
		if (next != null) {
			masked.setNextException(mask(next, sql));
		}
		return masked;
	}

	@Contract("!null, _, _ -> !null")
	static @Nullable String maskMessage(@Nullable String message, Set<String> names, @Nullable String sql) {
		if (message == null) {
			return null;
		}
		String masked = maskGroup(QUOTED_AT_END, message, 1);
		masked = maskGroup(QUOTED_AT_START, masked, 1);
		return maskUnknownNames(masked, names, sql);
	}

	private static @Nullable String maskDetail(@Nullable String detail, Set<String> names, @Nullable String sql) {
		if (detail == null) {
			return null;
		}
		String masked = maskGroup(KEY, detail, 2);
		masked = maskGroup(FAILING_ROW, masked, 1);
		masked = maskGroup(PARTITION_KEY, masked, 2);
		return maskUnknownNames(masked, names, sql);
	}

	/**
	 * Context lines: {@code unnamed portal parameter $1 = '...'}, {@code portal "c" with parameters: $1 =
	 * '...'}, {@code COPY t, line 1, column n: "..."}.
	 */
	private static @Nullable String maskWhere(@Nullable String where) {
		if (where == null) {
			return null;
		}
		String masked = PARAMETER.matcher(where).replaceAll("$1'" + MASK + "'");
		masked = JSON_DATA.matcher(masked).replaceAll("$1" + MASK);
		String[] lines = masked.split("\n", -1);
		for (int i = 0; i < lines.length; i++) {
			lines[i] = maskGroup(QUOTED_AT_END, lines[i], 1);
		}
		return String.join("\n", lines);
	}

	/** The text with what the group matched, if the pattern is found, replaced by the mask. */
	private static String maskGroup(Pattern pattern, String text, int group) {
		Matcher matcher = pattern.matcher(text);
		if (!matcher.find()) {
			return text;
		}
		return text.substring(0, matcher.start(group)) + MASK + text.substring(matcher.end(group));
	}

	/** Quoted text that is neither a name the statement uses nor one of the error's own fields. */
	private static String maskUnknownNames(String message, Set<String> names, @Nullable String sql) {
		Matcher matcher = QUOTED.matcher(message);
		@Nullable StringBuilder masked = null;
		int copied = 0;
		@Nullable String lowerSql = null;
		while (matcher.find()) {
			String quoted = matcher.group(1);
			if (quoted.isEmpty() || quoted.equals(MASK)) {
				continue;
			}
			String lower = quoted.toLowerCase(Locale.ROOT);
			if (names.contains(lower)) {
				continue;
			}
			if (sql != null) {
				if (lowerSql == null) {
					lowerSql = sql.toLowerCase(Locale.ROOT);
				}
				if (namedIn(lowerSql, lower)) {
					continue;
				}
			}
			if (masked == null) {
				masked = new StringBuilder(message.length());
			}
			masked.append(message, copied, matcher.start(1)).append(MASK);
			copied = matcher.end(1);
		}
		if (masked == null) {
			return message;
		}
		return masked.append(message, copied, message.length()).toString();
	}

	/** Whether the name appears in the statement as a whole identifier, not inside a longer one. */
	private static boolean namedIn(String sql, String name) {
		int from = 0;
		while (true) {
			int at = sql.indexOf(name, from);
			if (at < 0) {
				return false;
			}
			int end = at + name.length();
			if ((at == 0 || !Identifiers.isPart(sql.charAt(at - 1)))
					&& (end == sql.length() || !Identifiers.isPart(sql.charAt(end)))) {
				return true;
			}
			from = at + 1;
		}
	}

	private static boolean same(@Nullable String a, @Nullable String b) {
		return (a == null) ? b == null : a.equals(b);
	}

	private static void field(StringBuilder fields, char type, @Nullable String value) {
		if (value != null) {
			fields.append(type).append(value).append('\0');
		}
	}

	private static void field(StringBuilder fields, char type, int value) {
		if (value > 0) {
			fields.append(type).append(value).append('\0');
		}
	}

}
