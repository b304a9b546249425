package io.aluskort.postgres;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * A PostgreSQL {@code interval} that involves months, which no {@link Duration} can hold exactly: a
 * month has no fixed length. Intervals without months are read as {@code Duration}s (a day counts as
 * 24 hours there); these as an {@code Interval}. Both bind as {@code interval} parameters.
 *
 * @param months whole months, years included (a year is 12 months)
 * @param days whole days
 * @param microseconds the time part
 */
public record Interval(int months, int days, long microseconds) {

	/** An interval of the given years, months and days and no time part. */
	public static Interval of(int years, int months, int days) {
		return new Interval(Math.addExact(Math.multiplyExact(years, 12), months), days, 0);
	}

	/** The text PostgreSQL reads as this interval, for example {@code 14 mons 3 days 1.5 secs}. */
	String toPostgresText() {
		return this.months + " mons " + this.days + " days "
				+ BigDecimal.valueOf(this.microseconds, 6).stripTrailingZeros().toPlainString() + " secs";
	}

}
