package io.aluskort.postgres.autoconfigure;

import io.aluskort.postgres.PostgresClientConfig;
import org.jspecify.annotations.Nullable;

/**
 * Keeps passwords out of what is shown: messages, failure reports and actuator endpoints.
 */
final class Credentials {

	static final String MASK = "******";

	private Credentials() {
	}

	/**
	 * The connection string with any password in it replaced by {@value #MASK}.
	 * @param url a URL or URI, or any text
	 * @return the same text, masked
	 * @see PostgresClientConfig#maskPasswords(String)
	 */
	static String mask(String url) {
		return PostgresClientConfig.maskPasswords(url);
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
		if (password != null && !password.isEmpty() && !password.equals(user)) {
			return text.replace(password, MASK);
		}
		return text;
	}

}
