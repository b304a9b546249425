package io.aluskort.postgres;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The parts of a connection string: a libpq URI ({@code postgresql://} or {@code postgres://})
 * or a pgjdbc URL ({@code jdbc:postgresql://}). Parts the string leaves out are null, so that the
 * builder can tell "not given" from "given".
 */
final class Dsn {

	/** libpq query parameter names that pgjdbc spells differently. */
	private static final Map<String, String> LIBPQ_TO_PGJDBC = Map.of(
			"application_name", "ApplicationName",
			"connect_timeout", "connectTimeout",
			"target_session_attrs", "targetServerType");

	@Nullable String host;

	@Nullable Integer port;

	@Nullable String database;

	@Nullable String user;

	@Nullable String password;

	/** Query parameters other than user, password and sslmode, under pgjdbc's names. */
	final Map<String, String> parameters = new LinkedHashMap<>();

	@Nullable String sslMode;

	private Dsn() {
	}

	static Dsn parse(String dsn) {
		String rest;
		boolean jdbc;
		if (dsn.startsWith("jdbc:postgresql://")) {
			rest = dsn.substring("jdbc:postgresql://".length());
			jdbc = true;
		}
		else if (dsn.startsWith("postgresql://")) {
			rest = dsn.substring("postgresql://".length());
			jdbc = false;
		}
		else if (dsn.startsWith("postgres://")) {
			rest = dsn.substring("postgres://".length());
			jdbc = false;
		}
		else {
			throw new IllegalArgumentException("dsn must start with postgresql://, postgres:// or jdbc:postgresql:// (got '"
					+ schemeOf(dsn) + "')");
		}
		Dsn parsed = new Dsn();
		int queryStart = rest.indexOf('?');
		String query = (queryStart >= 0) ? rest.substring(queryStart + 1) : "";
		String beforeQuery = (queryStart >= 0) ? rest.substring(0, queryStart) : rest;
		int pathStart = beforeQuery.indexOf('/');
		String authority = (pathStart >= 0) ? beforeQuery.substring(0, pathStart) : beforeQuery;
		String path = (pathStart >= 0) ? beforeQuery.substring(pathStart + 1) : "";
		int at = authority.lastIndexOf('@');
		if (at >= 0) {
			String userInfo = authority.substring(0, at);
			authority = authority.substring(at + 1);
			int colon = userInfo.indexOf(':');
			parsed.user = emptyToNull(decode((colon >= 0) ? userInfo.substring(0, colon) : userInfo));
			if (colon >= 0) {
				parsed.password = decode(userInfo.substring(colon + 1));
			}
		}
		parsed.parseHostAndPort(authority);
		parsed.database = emptyToNull(decode(path));
		parsed.parseQuery(query, jdbc);
		return parsed;
	}

	private void parseHostAndPort(String authority) {
		if (authority.contains(",")) {
			throw new IllegalArgumentException("dsn names several hosts; give one host");
		}
		String hostPart = authority;
		String portPart = null;
		if (authority.startsWith("[")) {
			int close = authority.indexOf(']');
			if (close < 0) {
				throw new IllegalArgumentException("dsn has an unclosed IPv6 address '" + authority + "'");
			}
			hostPart = authority.substring(1, close);
			if (authority.length() > close + 1 && authority.charAt(close + 1) == ':') {
				portPart = authority.substring(close + 2);
			}
		}
		else {
			int colon = authority.lastIndexOf(':');
			if (colon >= 0) {
				hostPart = authority.substring(0, colon);
				portPart = authority.substring(colon + 1);
			}
		}
		this.host = emptyToNull(decode(hostPart));
		if (portPart != null && !portPart.isEmpty()) {
			try {
				this.port = Integer.valueOf(portPart);
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("dsn port '" + portPart + "' is not a number");
			}
		}
	}

	private void parseQuery(String query, boolean jdbc) {
		if (query.isEmpty()) {
			return;
		}
		for (String pair : query.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			String name = decode((eq >= 0) ? pair.substring(0, eq) : pair);
			String value = (eq >= 0) ? decode(pair.substring(eq + 1)) : "";
			switch (name.toLowerCase(Locale.ROOT)) {
				case "user" -> this.user = value;
				case "password" -> this.password = value;
				case "sslmode" -> this.sslMode = value;
				default -> this.parameters.put(jdbc ? name : LIBPQ_TO_PGJDBC.getOrDefault(name, name), value);
			}
		}
	}

	/** Percent-decoding as URIs do it: unlike form decoding, '+' stays '+'. */
	static String decode(String text) {
		if (text.indexOf('%') < 0) {
			return text;
		}
		StringBuilder decoded = new StringBuilder(text.length());
		ByteArrayOutputStream escaped = new ByteArrayOutputStream();
		int i = 0;
		while (i < text.length()) {
			if (text.charAt(i) != '%') {
				decoded.append(text.charAt(i++));
				continue;
			}
			// A run of escapes may spell one multi-byte UTF-8 character: decode the run as a whole.
			escaped.reset();
			while (i < text.length() && text.charAt(i) == '%') {
				if (i + 2 >= text.length() || !isHex(text.charAt(i + 1)) || !isHex(text.charAt(i + 2))) {
					throw new IllegalArgumentException("dsn has a malformed percent-escape");
				}
				escaped.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
				i += 3;
			}
			decoded.append(escaped.toString(StandardCharsets.UTF_8));
		}
		return decoded.toString();
	}

	private static boolean isHex(char c) {
		return Character.digit(c, 16) >= 0;
	}

	private static @Nullable String emptyToNull(String value) {
		return value.isEmpty() ? null : value;
	}

	/** Only the scheme: the rest may hold a password. */
	private static String schemeOf(String dsn) {
		int colon = dsn.indexOf(':');
		return (colon >= 0) ? dsn.substring(0, colon + 1) + "..." : "...";
	}

}
