package io.aluskort.postgres;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passwords in the shapes users give them, and the check that no piece of one shows.
 */
public final class PasswordShapes {

	/** Every ASCII punctuation character, and space. */
	public static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ ";

	/** A password with all of them at once. */
	public static final String EVERY = "Pw" + PUNCTUATION + "9z";

	private PasswordShapes() {
	}

	/** One password for each punctuation character, and {@link #EVERY}. */
	public static Stream<String> passwords() {
		return Stream.concat(PUNCTUATION.chars().mapToObj((c) -> "a" + (char) c + "Z9"), Stream.of(EVERY));
	}

	/**
	 * {@link #EVERY}, and one password for each character that a URI reserves for its structure: where a
	 * test is too slow to take every shape.
	 */
	public static Stream<String> reserved() {
		return Stream.concat(Stream.of(EVERY), "@/?#:%&".chars().mapToObj((c) -> "a" + (char) c + "Z9"));
	}

	/** As a user pastes it into a dsn: only '%' escaped, since a '%' always starts an escape. */
	public static String raw(String password) {
		return password.replace("%", "%25");
	}

	/** Every byte percent-encoded. */
	public static String encoded(String password) {
		StringBuilder encoded = new StringBuilder();
		for (byte b : password.getBytes(StandardCharsets.UTF_8)) {
			encoded.append('%').append(String.format("%02X", b & 0xFF));
		}
		return encoded.toString();
	}

	/** Neither the password nor any piece of it of three characters or more is in the text. */
	public static void assertNoPieceOf(String password, String text) {
		for (int i = 0; i + 3 <= password.length(); i++) {
			assertThat(text).as("piece '%s' of the password", password.substring(i, i + 3))
				.doesNotContain(password.substring(i, i + 3));
		}
	}

}
