package io.aluskort.postgres;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Collects the names a statement mentions outside literals and comments, as words or quoted
 * identifiers: plain ones lower-cased, as PostgreSQL folds them, quoted ones as written.
 */
final class NameCollector implements SqlLexer.Listener {

	private final Set<String> names = new HashSet<>();

	@Override
	public void word(String sql, int start, int end) {
		this.names.add(sql.substring(start, end).toLowerCase(Locale.ROOT));
	}

	@Override
	public void quotedName(String sql, int start, int end) {
		if (end - start >= 2 && sql.charAt(end - 1) == '"') {
			this.names.add(sql.substring(start + 1, end - 1).replace("\"\"", "\""));
		}
	}

	/** The names, for the caller to keep and never change. */
	Set<String> names() {
		return this.names;
	}

}
