package io.aluskort.postgres;

import java.util.Locale;

/**
 * Whether SCRAM authentication is bound to the TLS channel (SCRAM-SHA-256-PLUS, RFC 5929's
 * {@code tls-server-end-point}), with the meanings pgjdbc gives its {@code channelBinding} property
 * and libpq its {@code channel_binding} parameter. A bound login cannot be relayed by a man in the
 * middle that terminates TLS with a certificate of its own, even one the client does not verify.
 */
public enum ChannelBinding {

	/** Never bind, even when the server offers it. */
	DISABLE,

	/** Bind when the server offers it over TLS; log in without it otherwise (the driver's default). */
	PREFER,

	/**
	 * Refuse to connect unless the server logs the client in with SCRAM bound to the TLS channel: no
	 * plain TCP, and no login without SCRAM ({@code trust}, {@code password}, {@code md5}, ...).
	 */
	REQUIRE;

	/** The value as pgjdbc and libpq spell it, for example {@code require}. */
	public String parameterValue() {
		return name().toLowerCase(Locale.ROOT);
	}

}
