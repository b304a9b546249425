package io.aluskort.postgres;

import java.util.Locale;

/**
 * How the connection to the server is protected, with the meanings libpq and pgjdbc give the
 * {@code sslmode} parameter.
 */
public enum SslMode {

	/** Plain TCP only. */
	DISABLE,

	/** Plain TCP, TLS only if the server insists. */
	ALLOW,

	/** TLS if the server offers it, plain TCP otherwise (the driver's default). */
	PREFER,

	/** TLS, without checking the server's certificate. */
	REQUIRE,

	/** TLS with a certificate signed by a trusted authority. */
	VERIFY_CA,

	/** TLS with a trusted certificate issued for the host name connected to. */
	VERIFY_FULL;

	/** The value as libpq and pgjdbc spell it, for example {@code verify-full}. */
	public String parameterValue() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * The mode a {@code sslmode} parameter names.
	 * @throws IllegalArgumentException naming the value when it is none of the modes
	 */
	public static SslMode fromParameterValue(String value) {
		for (SslMode mode : values()) {
			if (mode.parameterValue().equalsIgnoreCase(value.trim())) {
				return mode;
			}
		}
		throw new IllegalArgumentException("Unknown sslmode '" + value
				+ "': expected one of disable, allow, prefer, require, verify-ca, verify-full");
	}

}
