package io.aluskort.postgres;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The text of {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}, {@link DateTimeFormatter#ISO_LOCAL_DATE_TIME}
 * and {@link DateTimeFormatter#ISO_INSTANT}, character for character, written directly for the years
 * 0000 to 9999: the formatters cost several hundred nanoseconds per value, which every timestamp
 * parameter and every timestamp in a COPY row pays (BENCHMARKS.md). Other years go to the formatters.
 */
final class IsoText {

	/** 0000-01-01T00:00:00Z. */
	private static final long FIRST_FAST_SECOND = -62_167_219_200L;

	/** 9999-12-31T23:59:59Z. */
	private static final long LAST_FAST_SECOND = 253_402_300_799L;

	private IsoText() {
	}

	/** {@code DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value)}. */
	static String offsetDateTime(OffsetDateTime value) {
		LocalDateTime local = value.toLocalDateTime();
		if (!fast(local.getYear())) {
			return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value);
		}
		StringBuilder text = new StringBuilder(35);
		appendDateTime(text, local);
		appendTrimmedFraction(text, local.getNano());
		return text.append(value.getOffset().getId()).toString();
	}

	/** {@code DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(value)}. */
	static String localDateTime(LocalDateTime value) {
		if (!fast(value.getYear())) {
			return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(value);
		}
		StringBuilder text = new StringBuilder(29);
		appendDateTime(text, value);
		appendTrimmedFraction(text, value.getNano());
		return text.toString();
	}

	/** {@code DateTimeFormatter.ISO_INSTANT.format(value)}: UTC, the fraction in groups of three digits. */
	static String instant(Instant value) {
		long second = value.getEpochSecond();
		if (second < FIRST_FAST_SECOND || second > LAST_FAST_SECOND) {
			return DateTimeFormatter.ISO_INSTANT.format(value);
		}
		LocalDateTime utc = LocalDateTime.ofEpochSecond(second, value.getNano(), ZoneOffset.UTC);
		StringBuilder text = new StringBuilder(30);
		appendDateTime(text, utc);
		int nano = utc.getNano();
		if (nano != 0) {
			text.append('.');
			if (nano % 1_000_000 == 0) {
				appendDigits(text, nano / 1_000_000, 3);
			}
			else if (nano % 1000 == 0) {
				appendDigits(text, nano / 1000, 6);
			}
			else {
				appendDigits(text, nano, 9);
			}
		}
		return text.append('Z').toString();
	}

	private static boolean fast(int year) {
		return year >= 0 && year <= 9999;
	}

	/** {@code yyyy-MM-ddTHH:mm:ss}, seconds always, as the ISO formatters print them. */
	private static void appendDateTime(StringBuilder text, LocalDateTime value) {
		appendDigits(text, value.getYear(), 4);
		text.append('-');
		appendDigits(text, value.getMonthValue(), 2);
		text.append('-');
		appendDigits(text, value.getDayOfMonth(), 2);
		text.append('T');
		appendDigits(text, value.getHour(), 2);
		text.append(':');
		appendDigits(text, value.getMinute(), 2);
		text.append(':');
		appendDigits(text, value.getSecond(), 2);
	}

	/** The nanoseconds as a fraction without trailing zeros, and nothing for zero. */
	private static void appendTrimmedFraction(StringBuilder text, int nano) {
		if (nano == 0) {
			return;
		}
		int digits = 9;
		int value = nano;
		while (value % 10 == 0) {
			value /= 10;
			digits--;
		}
		text.append('.');
		appendDigits(text, value, digits);
	}

	private static void appendDigits(StringBuilder text, int value, int width) {
		int divisor = 1;
		for (int i = 1; i < width; i++) {
			divisor *= 10;
		}
		for (; divisor > 0; divisor /= 10) {
			text.append((char) ('0' + (value / divisor) % 10));
		}
	}

}
