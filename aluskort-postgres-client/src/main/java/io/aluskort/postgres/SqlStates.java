package io.aluskort.postgres;

import org.jspecify.annotations.Nullable;

/**
 * What the client reads from a SQLState: which failures lost the connection, which conflicts may be
 * run again, and whether a failed {@code COMMIT} was answered by the server.
 */
final class SqlStates {

	private SqlStates() {
	}

	/**
	 * Whether the connection is gone: a connection exception (class {@code 08}), or the server ending
	 * the session ({@code 57P01} to {@code 57P03}).
	 */
	static boolean isConnectionLost(@Nullable String state) {
		return state != null && (state.startsWith("08") || state.startsWith("57P"));
	}

	/**
	 * Whether the server rolled the transaction back over a conflict with another one, so that running
	 * it again may succeed: a serialization failure ({@code 40001}) or a deadlock ({@code 40P01}).
	 */
	static boolean isConflict(@Nullable String state) {
		return "40001".equals(state) || "40P01".equals(state);
	}

	/**
	 * Whether a failure of {@code COMMIT} came from the server, which then rolled the transaction back (a
	 * serialization failure, a deferred constraint), rather than from a connection that failed while the
	 * server may have committed: not the connection {@linkplain #isConnectionLost lost}, nor a system
	 * error (class {@code 58}) or an internal one ({@code XX}). {@code 08003} says the connection was
	 * closed before {@code COMMIT} was sent.
	 */
	static boolean isServerAnswer(@Nullable String state) {
		if (state == null) {
			return false;
		}
		if (state.equals("08003")) {
			return true;
		}
		return !(isConnectionLost(state) || state.startsWith("58") || state.startsWith("XX"));
	}

}
