package io.aluskort.postgres;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

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

	private final Function<String, ParsedSql> parser;

	SqlCache(int capacity) {
		this(capacity, ParsedSql::parse);
	}

	/** A cache of statements derived from the caller's text by the parser, keyed by that text. */
	SqlCache(int capacity, Function<String, ParsedSql> parser) {
		this.capacity = capacity;
		this.parser = parser;
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
		parsed = this.parser.apply(sql);
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
