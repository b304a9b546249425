package io.aluskort.postgres;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGProperty;

/**
 * The parts of a connection string: a libpq URI ({@code postgresql://} or {@code postgres://}) or a
 * pgjdbc URL ({@code jdbc:postgresql://}). Parts the string leaves out are null, so that the builder
 * can tell "not given" from "given".
 *
 * <p>Values are percent-decoded as libpq decodes them. Unlike libpq, the password may also be written
 * raw, {@code @}, {@code /} and {@code ?} included: each {@code @} could end the user info, so each is
 * tried in turn, none first, and the first that leaves a host name or address, a numeric port, a
 * database name without {@code @} and well-formed parameters is the one. When that reading has a
 * parameter that neither libpq nor pgjdbc knows, a password fragment may have been taken for it: if a
 * later {@code @} reads as well, the string is refused as ambiguous. No message quotes the string,
 * which may hold a password.
 */
final class Dsn {

	/** What stands for a password in {@link #mask}. */
	static final String MASK = "******";

	/** libpq query parameter names that pgjdbc spells differently. */
	private static final Map<String, String> LIBPQ_TO_PGJDBC = Map.of(
			"application_name", "ApplicationName",
			"connect_timeout", "connectTimeout",
			"target_session_attrs", "targetServerType");

	private static final String ENCODE_HINT = "percent-encode '@', '/' and '?' in the password (%40, %2F, %3F)";

	/** What a parameter name of libpq or pgjdbc looks like (a password fragment seldom does). */
	private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

	/** A password parameter, in a string that cannot be read: what follows it is masked to the end. */
	private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)[?&;][^?&;=]*password=");

	@Nullable String host;

	@Nullable Integer port;

	@Nullable String database;

	@Nullable String user;

	@Nullable String password;

	/** Query parameters other than user, password and sslmode, under pgjdbc's names. */
	final Map<String, String> parameters = new LinkedHashMap<>();

	@Nullable String sslMode;

	/** The string as written, with its passwords replaced by {@link #MASK}. */
	private final StringBuilder masked = new StringBuilder();

	/** Whether every query parameter is one that libpq or pgjdbc knows. */
	private boolean knownParameters = true;

	private Dsn() {
	}

	/**
	 * Reads a connection string.
	 * @throws IllegalArgumentException saying what is wrong, without quoting the string
	 */
	static Dsn parse(String dsn) {
		String scheme = scheme(dsn);
		String rest = dsn.substring(scheme.length());
		boolean jdbc = scheme.startsWith("jdbc:");
		List<Integer> userInfoEnds = new ArrayList<>();
		userInfoEnds.add(-1);
		for (int at = rest.indexOf('@'); at >= 0; at = rest.indexOf('@', at + 1)) {
			userInfoEnds.add(at);
		}
		Dsn chosen = null;
		IllegalArgumentException problem = null;
		for (int end : userInfoEnds) {
			Dsn reading;
			try {
				reading = read(scheme, rest, end, jdbc);
			}
			catch (IllegalArgumentException ex) {
				problem = ex;
				continue;
			}
			if (chosen != null) {
				throw new IllegalArgumentException("dsn can be read in more than one way: " + ENCODE_HINT);
			}
			if (reading.knownParameters) {
				return reading;
			}
			chosen = reading;
		}
		if (chosen != null) {
			return chosen;
		}
		// Every reading failed: the last, whose user info is the longest, says why.
		throw Objects.requireNonNull(problem);
	}

	/**
	 * The connection string with its passwords replaced by {@link #MASK}: the user info's, and those of
	 * {@code password} and {@code sslpassword} parameters. A string that cannot be read is masked from
	 * the user info's {@code :} to its last {@code @}, and from a password parameter to its end.
	 */
	static String mask(String dsn) {
		try {
			return parse(dsn).masked.toString();
		}
		catch (IllegalArgumentException ex) {
			Matcher parameter = PASSWORD_PARAMETER.matcher(dsn);
			String masked = parameter.find() ? dsn.substring(0, parameter.end()) + MASK : dsn;
			int schemeEnd = masked.indexOf("://");
			int colon = (schemeEnd >= 0) ? masked.indexOf(':', schemeEnd + 3) : -1;
			int at = masked.lastIndexOf('@');
			return (colon >= 0 && colon < at) ? masked.substring(0, colon + 1) + MASK + masked.substring(at) : masked;
		}
	}

	/** The reading in which the user info ends at {@code end}, or is absent when {@code end} is -1. */
	private static Dsn read(String scheme, String rest, int end, boolean jdbc) {
		Dsn parsed = new Dsn();
		parsed.masked.append(scheme);
		if (end >= 0) {
			String userInfo = rest.substring(0, end);
			int colon = userInfo.indexOf(':');
			String user = (colon >= 0) ? userInfo.substring(0, colon) : userInfo;
			if (user.indexOf('/') >= 0 || user.indexOf('?') >= 0) {
				throw new IllegalArgumentException(
						"dsn user must not hold a raw '/' or '?' (write %2F, %3F); an '@' in a database name needs %40");
			}
			parsed.user = emptyToNull(decode(user));
			parsed.masked.append(user);
			if (colon >= 0) {
				parsed.password = decode(userInfo.substring(colon + 1));
				parsed.masked.append(':').append(MASK);
			}
			parsed.masked.append('@');
		}
		int hostStart = end + 1;
		int hostEnd = hostStart;
		while (hostEnd < rest.length() && rest.charAt(hostEnd) != '/' && rest.charAt(hostEnd) != '?') {
			hostEnd++;
		}
		int queryStart = rest.indexOf('?', hostEnd);
		int pathEnd = (queryStart >= 0) ? queryStart : rest.length();
		parsed.parseHostAndPort(rest.substring(hostStart, hostEnd));
		if (hostEnd < pathEnd) {
			String path = rest.substring(hostEnd + 1, pathEnd);
			if (path.indexOf('@') >= 0) {
				throw new IllegalArgumentException(
						"dsn database name must not hold a raw '@' (write %40); if the password does, " + ENCODE_HINT);
			}
			parsed.database = emptyToNull(decode(path));
		}
		parsed.masked.append(rest, hostStart, pathEnd);
		if (queryStart >= 0) {
			parsed.masked.append('?');
			parsed.parseQuery(rest.substring(queryStart + 1), jdbc);
		}
		return parsed;
	}

	private void parseHostAndPort(String authority) {
		if (authority.indexOf('@') >= 0) {
			throw new IllegalArgumentException("dsn host must not hold an '@'");
		}
		if (authority.contains(",")) {
			throw new IllegalArgumentException("dsn names several hosts; give one host");
		}
		String hostPart = authority;
		String portPart = null;
		if (authority.startsWith("[")) {
			int close = authority.indexOf(']');
			if (close < 0) {
				throw new IllegalArgumentException("dsn has an unclosed IPv6 address");
			}
			hostPart = authority.substring(1, close);
			if (authority.length() > close + 1) {
				if (authority.charAt(close + 1) != ':') {
					throw new IllegalArgumentException("dsn host is not a host name or address");
				}
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
		// A password fragment taken for a host rarely looks like one: this is what rules most such readings out.
		String hostCharacters = authority.startsWith("[") ? ".-_~%:" : ".-_~%";
		for (int i = 0; i < hostPart.length(); i++) {
			char c = hostPart.charAt(i);
			if (!Character.isLetterOrDigit(c) && hostCharacters.indexOf(c) < 0) {
				throw new IllegalArgumentException("dsn host is not a host name or address");
			}
		}
		this.host = emptyToNull(decode(hostPart));
		if (portPart != null && !portPart.isEmpty()) {
			for (int i = 0; i < portPart.length(); i++) {
				if (portPart.charAt(i) < '0' || portPart.charAt(i) > '9') {
					throw new IllegalArgumentException("dsn port is not a number");
				}
			}
			try {
				this.port = Integer.valueOf(portPart);
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("dsn port is out of range");
			}
		}
	}

	private void parseQuery(String query, boolean jdbc) {
		String separator = "";
		for (String pair : query.split("&", -1)) {
			this.masked.append(separator);
			separator = "&";
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			if (eq < 0 && !jdbc) {
				// libpq refuses it too; pgjdbc takes a bare name as an empty value.
				throw new IllegalArgumentException(
						"dsn query has a parameter without '=' (write '&' in a value as %26)");
			}
			String rawName = (eq >= 0) ? pair.substring(0, eq) : pair;
			if (!PARAMETER_NAME.matcher(rawName).matches()) {
				throw new IllegalArgumentException("dsn query has a parameter name that is not a name");
			}
			String name = decode(rawName);
			String value = (eq >= 0) ? decode(pair.substring(eq + 1)) : "";
			String lowerCase = name.toLowerCase(Locale.ROOT);
			this.masked.append(lowerCase.endsWith("password") ? rawName + "=" + MASK : pair);
			switch (lowerCase) {
				case "user" -> this.user = value;
				case "password" -> this.password = value;
				case "sslmode" -> this.sslMode = value;
				default -> {
					String pgjdbcName = jdbc ? name : LIBPQ_TO_PGJDBC.getOrDefault(name, name);
					this.parameters.put(pgjdbcName, value);
					this.knownParameters &= PGProperty.forName(pgjdbcName) != null;
				}
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
					throw new IllegalArgumentException(
							"dsn has a malformed percent-escape: a '%' starts an escape such as %40; write '%' itself as %25");
				}
				int value = Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16);
				if (value == 0) {
					throw new IllegalArgumentException("dsn has a %00 escape, which no connection value may hold");
				}
				escaped.write(value);
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

	private static String scheme(String dsn) {
		for (String scheme : new String[] { "jdbc:postgresql://", "postgresql://", "postgres://" }) {
			if (dsn.startsWith(scheme)) {
				return scheme;
			}
		}
		// Only the scheme: the rest may hold a password.
		int colon = dsn.indexOf(':');
		String given = (colon >= 0) ? dsn.substring(0, colon + 1) + "..." : "...";
		throw new IllegalArgumentException(
				"dsn must start with postgresql://, postgres:// or jdbc:postgresql:// (got '" + given + "')");
	}

}
