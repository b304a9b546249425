package io.aluskort.postgres;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The identifier rules the client checks names by before it writes them into SQL: tables, columns,
 * settings and channels.
 *
 * <p>Tables and columns are plain identifiers of ASCII letters, digits, {@code _} and {@code $} that do
 * not start with a digit or {@code $}, or double-quoted ones (a quote inside written twice). A custom
 * setting is two plain identifiers without {@code $}, joined by a dot. A channel is quoted when it is
 * sent, so it may use any letter and keeps its case.
 */
final class Identifiers {

	/** NAMEDATALEN - 1: the server truncates a longer identifier. */
	static final int MAX_BYTES = 63;

	private static final String NAME = "[A-Za-z_][A-Za-z0-9_$]*|\"(?:[^\"]|\"\")+\"";

	private static final Pattern PLAIN_OR_QUOTED = Pattern.compile(NAME);

	/** A name, optionally schema-qualified; the group is the name without its schema. */
	private static final Pattern QUALIFIED = Pattern.compile("(?:(?:" + NAME + ")\\.)?(" + NAME + ")");

	private static final Pattern SETTING = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*");

	private Identifiers() {
	}

	/** Whether the name is a plain or a double-quoted identifier, such as a column. */
	static boolean isPlainOrQuoted(String name) {
		return PLAIN_OR_QUOTED.matcher(name).matches();
	}

	/** Whether the name is a plain or double-quoted identifier, optionally schema-qualified, such as a table. */
	static boolean isQualified(String name) {
		return QUALIFIED.matcher(name).matches();
	}

	/**
	 * The name without its schema, as PostgreSQL folds it: a plain one lower-cased, a quoted one as
	 * written, without its quotes; null when the name is not {@linkplain #isQualified qualified}.
	 */
	static @Nullable String unqualifiedFolded(String name) {
		Matcher matcher = QUALIFIED.matcher(name);
		if (!matcher.matches()) {
			return null;
		}
		String unqualified = matcher.group(1);
		return unqualified.startsWith("\"")
				? unqualified.substring(1, unqualified.length() - 1).replace("\"\"", "\"")
				: unqualified.toLowerCase(Locale.ROOT);
	}

	/** Whether the name is a custom setting's: two plain identifiers without {@code $}, joined by a dot. */
	static boolean isSetting(String name) {
		return SETTING.matcher(name).matches();
	}

	/**
	 * Whether the name is a channel's: a letter or {@code _}, then {@linkplain #isPart letters, digits,
	 * {@code _} or {@code $}}. Its length in UTF-8 bytes is checked apart, against {@link #MAX_BYTES}.
	 */
	static boolean isChannel(String name) {
		if (name.isEmpty()) {
			return false;
		}
		int first = name.codePointAt(0);
		if (!Character.isLetter(first) && first != '_') {
			return false;
		}
		return name.codePoints().skip(1).allMatch(Identifiers::isPart);
	}

	/** Whether the character may continue an identifier: a letter, a digit, {@code _} or {@code $}. */
	static boolean isPart(int c) {
		return Character.isLetterOrDigit(c) || c == '_' || c == '$';
	}

}
