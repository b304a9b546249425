package io.aluskort.postgres;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link IsoText} must print exactly what the ISO formatters print, since it stands in for them.
 */
class IsoTextTest {

	private static final int[] NANOS = { 0, 1, 10, 100_000_000, 120_000_000, 123_000_000, 123_400_000, 123_456_000,
			123_456_700, 123_456_789, 999_999_999, 1000, 1_000_000, 500 };

	private static final int[] YEARS = { 0, 1, 999, 1000, 1969, 1970, 2000, 2024, 9999, 10_000, -1, -10_000, 123_456 };

	private static final ZoneOffset[] OFFSETS = { ZoneOffset.UTC, ZoneOffset.ofHours(2), ZoneOffset.ofHours(-11),
			ZoneOffset.ofHoursMinutes(5, 30), ZoneOffset.ofHoursMinutesSeconds(-3, -20, -15), ZoneOffset.MAX,
			ZoneOffset.MIN };

	@Test
	void matchesTheFormattersOnEdgeValues() {
		for (int year : YEARS) {
			for (int nano : NANOS) {
				for (ZoneOffset offset : OFFSETS) {
					check(LocalDateTime.of(year, 1, 2, 3, 4, 0, nano), offset);
					check(LocalDateTime.of(year, 12, 31, 23, 59, 59, nano), offset);
				}
			}
		}
	}

	@Test
	void matchesTheFormattersOnRandomValues() {
		SplittableRandom random = new SplittableRandom(42);
		for (int i = 0; i < 100_000; i++) {
			long second = random.nextLong(LocalDateTime.of(-2000, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC),
					LocalDateTime.of(12_000, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC));
			int nano = switch (random.nextInt(4)) {
				case 0 -> 0;
				case 1 -> random.nextInt(1000) * 1_000_000;
				case 2 -> random.nextInt(1_000_000) * 1000;
				default -> random.nextInt(1_000_000_000);
			};
			ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 3600, 18 * 3600 + 1));
			check(LocalDateTime.ofEpochSecond(second, nano, ZoneOffset.UTC), offset);
		}
	}

	private static void check(LocalDateTime local, ZoneOffset offset) {
		OffsetDateTime dateTime = OffsetDateTime.of(local, offset);
		assertThat(IsoText.offsetDateTime(dateTime)).isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(dateTime));
		assertThat(IsoText.localDateTime(local)).isEqualTo(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(local));
		Instant instant = dateTime.toInstant();
		assertThat(IsoText.instant(instant)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant));
	}

}
