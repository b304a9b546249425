package io.aluskort.postgres;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;

/**
 * The rule for a notification channel's name, and how LISTEN and UNLISTEN write it.
 *
 * <p>A channel is an identifier: a letter or underscore, then letters, digits, underscores or dollar
 * signs, at most 63 bytes. It is quoted, so its case is kept and a keyword is a name too.
 */
final class Channels {

	private Channels() {
	}

	/** Checks that a channel is an identifier of at most 63 bytes, and returns it. */
	static String require(String channel) {
		Objects.requireNonNull(channel, "channel");
		if (!Identifiers.isChannel(channel)) {
			throw new IllegalArgumentException("Channel '" + channel
					+ "' is not an identifier: a letter or _, then letters, digits, _ or $");
		}
		int bytes = channel.getBytes(StandardCharsets.UTF_8).length;
		// The server truncates a longer identifier, and LISTEN would then miss the channel.
		if (bytes > Identifiers.MAX_BYTES) {
			throw new IllegalArgumentException("Channel '" + channel + "' is " + bytes
					+ " bytes long; PostgreSQL channel names have at most " + Identifiers.MAX_BYTES);
		}
		return channel;
	}

	/** LISTEN takes an identifier, not a parameter; the name was checked, and quoting keeps its case. */
	static String quote(String channel) {
		return '"' + channel.replace("\"", "\"\"") + '"';
	}

	/**
	 * The UNLISTENs and LISTENs, in one string, that take a session listening on {@code current} to
	 * listening on {@code wanted}; empty when they are the same.
	 */
	static String changes(Set<String> wanted, Set<String> current) {
		StringBuilder sql = new StringBuilder();
		for (String channel : current) {
			if (!wanted.contains(channel)) {
				sql.append("UNLISTEN ").append(quote(channel)).append(';');
			}
		}
		for (String channel : wanted) {
			if (!current.contains(channel)) {
				sql.append("LISTEN ").append(quote(channel)).append(';');
			}
		}
		return sql.toString();
	}

}
