package io.aluskort.postgres;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How Java names and column names meet: {@code createdAt} and {@code created_at} are one name.
 */
final class ColumnNames {

	/** A lower-case letter or a digit followed by an upper-case letter: where camelCase starts a word. */
	private static final Pattern WORD_START = Pattern.compile("([a-z0-9])([A-Z])");

	private ColumnNames() {
	}

	/** The Java name in {@code snake_case}: {@code createdAt} is {@code created_at}. */
	static String snakeCase(String javaName) {
		return WORD_START.matcher(javaName).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
	}

	/** Lower case without underscores, so that {@code created_at} and {@code createdAt} meet. */
	static String normalize(String name) {
		StringBuilder normalized = new StringBuilder(name.length());
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c != '_') {
				normalized.append(Character.toLowerCase(c));
			}
		}
		return normalized.toString();
	}

}
