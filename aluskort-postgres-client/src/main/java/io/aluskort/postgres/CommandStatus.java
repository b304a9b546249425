package io.aluskort.postgres;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The command tag the server sent when a statement completed, exactly as {@code psql} prints it,
 * for example {@code INSERT 0 1}, {@code UPDATE 3}, {@code SELECT 10}, {@code CREATE TABLE}.
 */
public final class CommandStatus {

	private final String tag;

	private final long rows;

	/**
	 * A status for the given tag; {@link #rows()} is read from it.
	 * @param tag the command tag, as the server sent it
	 */
	public CommandStatus(String tag) {
		this.tag = Objects.requireNonNull(tag, "tag");
		this.rows = rowsOf(tag);
	}

	/** The command tag, for example {@code INSERT 0 1}. */
	public String tag() {
		return this.tag;
	}

	/**
	 * The number of rows the command processed: the tag's trailing count ({@code INSERT},
	 * {@code UPDATE}, {@code DELETE}, {@code MERGE}, {@code SELECT}, {@code COPY}, {@code FETCH},
	 * {@code MOVE}), or 0 for commands whose tag carries none, such as {@code CREATE TABLE}.
	 */
	public long rows() {
		return this.rows;
	}

	private static long rowsOf(String tag) {
		int space = tag.lastIndexOf(' ');
		if (space < 0 || space == tag.length() - 1) {
			return 0;
		}
		long count = 0;
		for (int i = space + 1; i < tag.length(); i++) {
			char c = tag.charAt(i);
			if (c < '0' || c > '9') {
				return 0;
			}
			count = count * 10 + (c - '0');
		}
		return count;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof CommandStatus that && this.tag.equals(that.tag));
	}

	@Override
	public int hashCode() {
		return this.tag.hashCode();
	}

	/** The tag. */
	@Override
	public String toString() {
		return this.tag;
	}

}
