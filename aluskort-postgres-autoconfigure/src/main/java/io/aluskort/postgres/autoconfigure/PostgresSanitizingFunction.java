package io.aluskort.postgres.autoconfigure;

import java.util.Locale;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Hides the database password from {@code /actuator/env} and {@code /actuator/configprops}, even when
 * they are set to show values ({@code show-values=always}, where Spring Boot masks nothing by itself):
 * {@code aluskort.postgres.password} and any {@code aluskort.postgres.*password} (in whichever form the
 * key is written, {@code ALUSKORT_POSTGRES_PASSWORD} included) are replaced whole, and the password
 * inside {@code aluskort.postgres.url} is masked, the rest of the url left readable.
 */
final class PostgresSanitizingFunction implements SanitizingFunction {

	private static final String KEY_PREFIX = "aluskortpostgres";

	@Override
	public SanitizableData apply(SanitizableData data) {
		if (data.getValue() == null) {
			return data;
		}
		String key = canonical(data.getKey());
		if (!key.startsWith(KEY_PREFIX)) {
			return data;
		}
		if (key.endsWith("password")) {
			return data.withSanitizedValue();
		}
		if (key.equals(KEY_PREFIX + "url")) {
			String value = String.valueOf(data.getValue());
			String masked = Credentials.mask(value);
			return masked.equals(value) ? data : data.withValue(masked);
		}
		return data;
	}

	/** The key with case and separators dropped: {@code ALUSKORT_POSTGRES_PASSWORD} and {@code aluskort.postgres.password} alike. */
	private static String canonical(String key) {
		StringBuilder canonical = new StringBuilder(key.length());
		for (int i = 0; i < key.length(); i++) {
			char ch = key.charAt(i);
			if (Character.isLetterOrDigit(ch)) {
				canonical.append(ch);
			}
		}
		return canonical.toString().toLowerCase(Locale.ROOT);
	}

}
