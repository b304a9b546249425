package io.aluskort.postgres.autoconfigure;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Keeps passwords out of what is shown: messages, failure reports and actuator endpoints.
 */
final class Credentials {

	static final String MASK = "******";

	/** The password of {@code scheme://user:password@host}. */
	private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(?<=://)([^:/?#@]*):([^@/?#]*)@");

	/** A {@code password=...} parameter of a URL's query. */
	private static final Pattern QUERY_PASSWORD = Pattern.compile("(?i)([?&;](?:password|sslpassword)=)([^&;#]*)");

	private Credentials() {
	}

	/**
	 * The connection string with any password in it replaced by {@value #MASK}.
	 * @param url a URL or URI, or any text
	 * @return the same text, masked
	 */
	static String mask(String url) {
		String masked = USER_INFO_PASSWORD.matcher(url).replaceAll("$1:" + MASK + "@");
		return QUERY_PASSWORD.matcher(masked).replaceAll("$1" + MASK);
	}

	/**
	 * The text with every occurrence of the password replaced by {@value #MASK}; for messages that
	 * quote a driver's words.
	 * @param text the text
	 * @param password the password, or null or empty when there is none
	 * @param user the user, whose name is left alone even when the password is the same
	 * @return the text, masked
	 */
	static String mask(String text, @Nullable String password, String user) {
		String masked = mask(text);
		if (password != null && !password.isEmpty() && !password.equals(user)) {
			masked = masked.replace(password, MASK);
		}
		return masked;
	}

}
