package io.aluskort.postgres;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Translated statements by their text, so that repeating a query does not parse it again. Services
 * repeat a bounded set of statements; a caller that builds unbounded distinct SQL (values spliced into
 * the text) fills the cache, after which new statements are parsed on every call rather than evicting
 * the ones that repeat.
 */
final class SqlCache {

	static final int DEFAULT_CAPACITY = 4096;

	private final ConcurrentHashMap<String, ParsedSql> statements = new ConcurrentHashMap<>();

	private final int capacity;

	SqlCache(int capacity) {
		this.capacity = capacity;
	}

	/**
	 * @throws IllegalArgumentException when the SQL is null or its placeholders are malformed
	 */
	ParsedSql get(String sql) {
		if (sql == null) {
			throw new IllegalArgumentException("sql must not be null");
		}
		ParsedSql parsed = this.statements.get(sql);
		if (parsed != null) {
			return parsed;
		}
		parsed = ParsedSql.parse(sql);
		if (this.statements.size() < this.capacity) {
			ParsedSql raced = this.statements.putIfAbsent(sql, parsed);
			return Objects.requireNonNullElse(raced, parsed);
		}
		return parsed;
	}

	int size() {
		return this.statements.size();
	}

}
