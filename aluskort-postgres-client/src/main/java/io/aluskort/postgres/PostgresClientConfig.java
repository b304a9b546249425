package io.aluskort.postgres;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link PostgresClient} needs to know: where the server is, who to log in as, and how
 * large and patient the pool is. An immutable value, made by {@link #builder()}.
 *
 * <p>A {@link Builder#dsn(String) dsn} supplies any of host, port, database, user, password, sslmode
 * and driver parameters at once. A value set explicitly on the builder wins over the same value in the
 * dsn; the defaults never override the dsn.
 */
public final class PostgresClientConfig {

	/** Default host. */
	public static final String DEFAULT_HOST = "localhost";

	/** Default port. */
	public static final int DEFAULT_PORT = 5432;

	/** Default database, and default user. */
	public static final String DEFAULT_DATABASE = "aluskort";

	/** Default user. */
	public static final String DEFAULT_USER = "aluskort";

	/** Default number of idle connections the pool keeps. */
	public static final int DEFAULT_MIN_SIZE = 5;

	/** Default largest number of connections. */
	public static final int DEFAULT_MAX_SIZE = 20;

	/** Default limit on one statement, enforced by the server. */
	public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

	/** Default wait for a free pooled connection. */
	public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(30);

	/** Default limit on opening one connection. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	/** Default limit on a {@link PostgresClient#healthCheck()}. */
	public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(2);

	/** Default time {@link PostgresClient#close()} lets running calls finish. */
	public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

	/** Default age after which a connection is replaced. */
	public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(30);

	/** Default time an idle connection above {@code minSize} is kept. */
	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

	/** Default {@code application_name}, shown in {@code pg_stat_activity}. */
	public static final String DEFAULT_APPLICATION_NAME = "aluskort-postgres";

	/** Default connection leak threshold: no leak detection. */
	public static final Duration DEFAULT_LEAK_DETECTION_THRESHOLD = Duration.ZERO;

	/** Default choice of the connections reset before they go back to the pool. */
	public static final SessionReset DEFAULT_SESSION_RESET = SessionReset.WHEN_CHANGED;

	/**
	 * How much longer than the statement timeout the default socket timeout waits for the server's
	 * answer: the server cancels a statement at the statement timeout and answers at once, so only a
	 * network that stopped carrying anything is ever cut off by the socket timeout.
	 */
	public static final Duration DEFAULT_SOCKET_TIMEOUT_MARGIN = Duration.ofSeconds(5);

	/** The shortest connection leak threshold HikariCP takes; it silently turns off shorter ones. */
	public static final Duration MIN_LEAK_DETECTION_THRESHOLD = Duration.ofSeconds(2);

	private final @Nullable String dsn;

	/** Every other value, resolved against the dsn: what {@link #toBuilder()} carries over. */
	private final Settings settings;

	/**
	 * The socket timeout given to the builder or in the driver properties; null for the default. Kept
	 * out of the settings, so that equality compares the socket timeout the client uses.
	 */
	private final @Nullable Duration explicitSocketTimeout;

	private PostgresClientConfig(Builder builder) {
		Dsn parsed = (builder.dsn != null) ? parseDsn(builder.dsn) : null;
		SslMode dsnSslMode = (parsed != null && parsed.sslMode != null) ? dsnSslMode(parsed.sslMode) : null;
		Map<String, String> driverProperties = new LinkedHashMap<>();
		if (parsed != null) {
			driverProperties.putAll(parsed.parameters);
		}
		driverProperties.putAll(builder.driverProperties);
		this.dsn = builder.dsn;
		this.explicitSocketTimeout = (builder.socketTimeout != null) ? builder.socketTimeout
				: socketTimeoutProperty(driverProperties.get("socketTimeout"));
		this.settings = new Settings(firstNonNull(builder.host, (parsed != null) ? parsed.host : null, DEFAULT_HOST),
				firstNonNull(builder.port, (parsed != null) ? parsed.port : null, DEFAULT_PORT),
				firstNonNull(builder.database, (parsed != null) ? parsed.database : null, DEFAULT_DATABASE),
				firstNonNull(builder.user, (parsed != null) ? parsed.user : null, DEFAULT_USER),
				firstNonNull(builder.password, (parsed != null) ? parsed.password : null, ""), builder.minSize,
				builder.maxSize, builder.statementTimeout, builder.acquireTimeout, builder.connectTimeout,
				builder.healthTimeout, builder.shutdownTimeout, builder.maxLifetime, builder.idleTimeout,
				(builder.sslMode != null) ? builder.sslMode : dsnSslMode, builder.applicationName,
				Collections.unmodifiableMap(driverProperties), builder.jsonCodec, builder.tenantPolicy,
				(this.explicitSocketTimeout != null) ? this.explicitSocketTimeout
						: builder.statementTimeout.plus(DEFAULT_SOCKET_TIMEOUT_MARGIN),
				builder.leakDetectionThreshold, builder.sessionReset);
		this.settings.validate(builder);
	}

	private static Dsn parseDsn(String dsn) {
		try {
			return Dsn.parse(dsn);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationException("dsn", String.valueOf(ex.getMessage()), ex);
		}
	}

	private static SslMode dsnSslMode(String sslMode) {
		try {
			return SslMode.fromParameterValue(sslMode);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationException("dsn", String.valueOf(ex.getMessage()), ex);
		}
	}

	/** pgjdbc's own {@code socketTimeout} property, in whole seconds, from a dsn or a driver property. */
	private static @Nullable Duration socketTimeoutProperty(@Nullable String seconds) {
		if (seconds == null) {
			return null;
		}
		try {
			return Duration.ofSeconds(Long.parseLong(seconds.trim()));
		}
		catch (NumberFormatException ex) {
			throw new InvalidConfigurationException("socketTimeout",
					"socketTimeout (" + seconds + ") must be a whole number of seconds");
		}
	}

	/** The setting a connection value came from: its own, or the dsn when only the dsn gave it. */
	private static String setting(String name, @Nullable Object explicit, Builder builder) {
		return (explicit == null && builder.dsn != null) ? "dsn" : name;
	}

	private static void requireNotBlank(String setting, String name, String value) {
		if (value.isBlank()) {
			throw new InvalidConfigurationException(setting, name + " must not be blank");
		}
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new InvalidConfigurationException(name, name + " (" + value + ") must be positive");
		}
	}

	private static void requireAtLeast(String name, Duration value, Duration minimum) {
		if (value.compareTo(minimum) < 0) {
			throw new InvalidConfigurationException(name, name + " (" + value + ") must be at least " + minimum);
		}
	}

	private static <T> T firstNonNull(@Nullable T explicit, @Nullable T fromDsn, T fallback) {
		return (explicit != null) ? explicit : (fromDsn != null) ? fromDsn : fallback;
	}

	/** A builder with every value at its default. */
	public static Builder builder() {
		return new Builder();
	}

	/** A builder that starts from this config's values, with the dsn dropped (its parts are kept). */
	public Builder toBuilder() {
		return new Builder(this.settings, this.explicitSocketTimeout);
	}

	/**
	 * The connection string given to the builder, if any. It may hold a password: do not log it, log
	 * {@link #maskPasswords(String)} of it.
	 */
	public @Nullable String dsn() {
		return this.dsn;
	}

	/**
	 * The connection string as written, with its passwords (the user info's, and the values of
	 * {@code password} and {@code sslpassword} parameters) replaced by {@code ******}: safe to show, for
	 * example in a failure report. A string that is no dsn this class can read is masked from the user
	 * info's {@code :} to its last {@code @}, and from a password parameter to its end.
	 * @param dsn any connection string
	 * @return the string, masked
	 */
	public static String maskPasswords(String dsn) {
		return Dsn.mask(dsn);
	}

	public String host() {
		return this.settings.host();
	}

	public int port() {
		return this.settings.port();
	}

	public String database() {
		return this.settings.database();
	}

	public String user() {
		return this.settings.user();
	}

	/** The password. Never logged, and left out of {@link #toString()}. */
	public String password() {
		return this.settings.password();
	}

	public int minSize() {
		return this.settings.minSize();
	}

	/** The most pooled connections; the client opens at most two more, see {@link Builder#maxSize(int)}. */
	public int maxSize() {
		return this.settings.maxSize();
	}

	public Duration statementTimeout() {
		return this.settings.statementTimeout();
	}

	public Duration acquireTimeout() {
		return this.settings.acquireTimeout();
	}

	public Duration connectTimeout() {
		return this.settings.connectTimeout();
	}

	public Duration healthTimeout() {
		return this.settings.healthTimeout();
	}

	public Duration shutdownTimeout() {
		return this.settings.shutdownTimeout();
	}

	public Duration maxLifetime() {
		return this.settings.maxLifetime();
	}

	public Duration idleTimeout() {
		return this.settings.idleTimeout();
	}

	/** The TLS mode, or null to leave the driver's default ({@code prefer}). */
	public @Nullable SslMode sslMode() {
		return this.settings.sslMode();
	}

	public String applicationName() {
		return this.settings.applicationName();
	}

	/** Extra pgjdbc connection properties, from the dsn's query and {@link Builder#driverProperty}. */
	public Map<String, String> driverProperties() {
		return this.settings.driverProperties();
	}

	/** The codec for JSON columns given to the builder, or null to use Jackson 3 when it is there. */
	public @Nullable JsonCodec jsonCodec() {
		return this.settings.jsonCodec();
	}

	/**
	 * How long a call waits for the server's next bytes before it gives the connection up as dead:
	 * pgjdbc's {@code socketTimeout}, in whole seconds, rounded up. A backstop for a network that stopped
	 * carrying anything, since the server's statement timeout answers before it; zero for none. Defaults
	 * to the statement timeout plus {@link #DEFAULT_SOCKET_TIMEOUT_MARGIN}. A call or transaction with a
	 * longer statement timeout of its own gets a socket timeout that much longer too.
	 */
	public Duration socketTimeout() {
		return this.settings.socketTimeout();
	}

	/**
	 * How long a connection may be out of the pool before the pool logs a warning with the stack of the
	 * code that borrowed it (HikariCP's {@code leakDetectionThreshold}); zero, the default, for never.
	 */
	public Duration leakDetectionThreshold() {
		return this.settings.leakDetectionThreshold();
	}

	/** Which connections are reset before they go back to the pool. */
	public SessionReset sessionReset() {
		return this.settings.sessionReset();
	}

	/** How {@link PostgresClient#forTenant} scopes calls, and what the unscoped client refuses. */
	public TenantPolicy tenantPolicy() {
		return this.settings.tenantPolicy();
	}

	/** The JDBC URL of the server and database, without credentials or parameters. */
	public String jdbcUrl() {
		String host = this.settings.host();
		String hostPart = (host.indexOf(':') >= 0) ? "[" + host + "]" : host;
		return "jdbc:postgresql://" + hostPart + ":" + this.settings.port() + "/" + this.settings.database();
	}

	/** Where the client connects, as {@code host:port/database}; safe to log. */
	public String describeTarget() {
		return this.settings.describeTarget();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof PostgresClientConfig that && this.settings.equals(that.settings)
				&& Objects.equals(this.dsn, that.dsn));
	}

	@Override
	public int hashCode() {
		return 31 * this.settings.hashCode() + Objects.hashCode(this.dsn);
	}

	/** Names the target and the sizes; never the password or the dsn, which may hold one. */
	@Override
	public String toString() {
		return this.settings.toString();
	}

	/**
	 * The values of a config but its dsn, resolved against the dsn: one record, so that equality and
	 * {@link #toBuilder()} take every value into account without listing them again. The socket timeout
	 * is the one the client uses.
	 */
	private record Settings(String host, int port, String database, String user, String password, int minSize,
			int maxSize, Duration statementTimeout, Duration acquireTimeout, Duration connectTimeout,
			Duration healthTimeout, Duration shutdownTimeout, Duration maxLifetime, Duration idleTimeout,
			@Nullable SslMode sslMode, String applicationName, Map<String, String> driverProperties,
			@Nullable JsonCodec jsonCodec, TenantPolicy tenantPolicy, Duration socketTimeout,
			Duration leakDetectionThreshold, SessionReset sessionReset) {

		/** Refuses a value out of range, naming the builder setting (or the dsn) it came from. */
		void validate(Builder builder) {
			requireNotBlank(setting("host", builder.host, builder), "host", this.host);
			requireNotBlank(setting("database", builder.database, builder), "database", this.database);
			requireNotBlank(setting("user", builder.user, builder), "user", this.user);
			if (this.port < 1 || this.port > 65535) {
				throw new InvalidConfigurationException(setting("port", builder.port, builder),
						"port (" + this.port + ") must be between 1 and 65535");
			}
			if (this.minSize < 0) {
				throw new InvalidConfigurationException("minSize",
						"minSize (" + this.minSize + ") must not be negative");
			}
			if (this.maxSize < 1) {
				throw new InvalidConfigurationException("maxSize", "maxSize (" + this.maxSize + ") must be at least 1");
			}
			if (this.minSize > this.maxSize) {
				throw new InvalidConfigurationException("minSize",
						"minSize (" + this.minSize + ") must not be greater than maxSize (" + this.maxSize + ")");
			}
			requirePositive("statementTimeout", this.statementTimeout);
			requirePositive("acquireTimeout", this.acquireTimeout);
			requirePositive("connectTimeout", this.connectTimeout);
			requirePositive("healthTimeout", this.healthTimeout);
			// HikariCP silently replaces shorter values with its defaults; refuse them instead.
			requireAtLeast("maxLifetime", this.maxLifetime, Duration.ofSeconds(30));
			requireAtLeast("idleTimeout", this.idleTimeout, Duration.ofSeconds(10));
			if (this.shutdownTimeout.isNegative()) {
				throw new InvalidConfigurationException("shutdownTimeout",
						"shutdownTimeout (" + this.shutdownTimeout + ") must not be negative");
			}
			requireAtLeast("acquireTimeout", this.acquireTimeout, Duration.ofMillis(250));
			if (this.socketTimeout.isNegative()
					|| (!this.socketTimeout.isZero() && this.socketTimeout.compareTo(this.statementTimeout) <= 0)) {
				// Shorter, it would drop the connection of every slow statement and leave the statement running.
				throw new InvalidConfigurationException("socketTimeout", "socketTimeout (" + this.socketTimeout
						+ ") must be longer than statementTimeout (" + this.statementTimeout + "), or zero for none");
			}
			if (this.leakDetectionThreshold.isNegative() || (!this.leakDetectionThreshold.isZero()
					&& (this.leakDetectionThreshold.compareTo(MIN_LEAK_DETECTION_THRESHOLD) < 0
							|| this.leakDetectionThreshold.compareTo(this.maxLifetime) >= 0))) {
				throw new InvalidConfigurationException("leakDetectionThreshold", "leakDetectionThreshold ("
						+ this.leakDetectionThreshold + ") must be zero (off), or at least "
						+ MIN_LEAK_DETECTION_THRESHOLD + " and shorter than maxLifetime (" + this.maxLifetime + ")");
			}
		}

		String describeTarget() {
			return this.host + ":" + this.port + "/" + this.database;
		}

		/** The config's description: the generated one would show the password. */
		@Override
		public String toString() {
			return "PostgresClientConfig[" + this.user + "@" + describeTarget() + ", minSize=" + this.minSize
					+ ", maxSize=" + this.maxSize + ", statementTimeout=" + this.statementTimeout + ", sslMode="
					+ ((this.sslMode != null) ? this.sslMode.parameterValue() : "default") + "]";
		}

	}

	/**
	 * Collects the values of a {@link PostgresClientConfig}; {@link #build()} checks them.
	 */
	public static final class Builder {

		private @Nullable String dsn;

		private @Nullable String host;

		private @Nullable Integer port;

		private @Nullable String database;

		private @Nullable String user;

		private @Nullable String password;

		private int minSize = DEFAULT_MIN_SIZE;

		private int maxSize = DEFAULT_MAX_SIZE;

		private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;

		private Duration acquireTimeout = DEFAULT_ACQUIRE_TIMEOUT;

		private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

		private Duration healthTimeout = DEFAULT_HEALTH_TIMEOUT;

		private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

		private Duration maxLifetime = DEFAULT_MAX_LIFETIME;

		private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

		private @Nullable SslMode sslMode;

		private String applicationName = DEFAULT_APPLICATION_NAME;

		private final Map<String, String> driverProperties = new LinkedHashMap<>();

		private @Nullable JsonCodec jsonCodec;

		private TenantPolicy tenantPolicy = TenantPolicy.DEFAULT;

		private @Nullable Duration socketTimeout;

		private Duration leakDetectionThreshold = DEFAULT_LEAK_DETECTION_THRESHOLD;

		private SessionReset sessionReset = DEFAULT_SESSION_RESET;

		private Builder() {
		}

		/** A builder that starts from a config's settings and the socket timeout it was given. */
		private Builder(Settings settings, @Nullable Duration socketTimeout) {
			this.host = settings.host();
			this.port = settings.port();
			this.database = settings.database();
			this.user = settings.user();
			this.password = settings.password();
			this.minSize = settings.minSize();
			this.maxSize = settings.maxSize();
			this.statementTimeout = settings.statementTimeout();
			this.acquireTimeout = settings.acquireTimeout();
			this.connectTimeout = settings.connectTimeout();
			this.healthTimeout = settings.healthTimeout();
			this.shutdownTimeout = settings.shutdownTimeout();
			this.maxLifetime = settings.maxLifetime();
			this.idleTimeout = settings.idleTimeout();
			this.sslMode = settings.sslMode();
			this.applicationName = settings.applicationName();
			this.driverProperties.putAll(settings.driverProperties());
			this.jsonCodec = settings.jsonCodec();
			this.tenantPolicy = settings.tenantPolicy();
			this.socketTimeout = socketTimeout;
			this.leakDetectionThreshold = settings.leakDetectionThreshold();
			this.sessionReset = settings.sessionReset();
		}

		/**
		 * A connection string: {@code postgresql://user:password@host:port/database?sslmode=require},
		 * {@code postgres://...} or {@code jdbc:postgresql://host:port/database?user=...}. Query parameters
		 * go to the driver (libpq names such as {@code application_name} are translated to pgjdbc's).
		 * <p>User, password, host, database and parameters are percent-decoded as libpq decodes them
		 * ({@code %40} is {@code @}, {@code %25} is {@code %}; {@code +} stays {@code +}), and a {@code %}
		 * that starts no such escape is refused. Unlike libpq, the password may also be written raw with
		 * any other printable character, {@code @}, {@code /}, {@code ?}, {@code #}, {@code :} and space
		 * included: it ends at the {@code @} that the host follows, the first {@code @} after which the
		 * rest reads as a host name or address, a numeric port, a database name and named parameters.
		 * So the user must not hold a raw {@code :}, {@code /} or {@code ?}, a database name a raw
		 * {@code @}, nor a parameter value a raw {@code &}. A dsn that still reads two ways (the first
		 * reading then has a parameter neither libpq nor pgjdbc knows) is refused: percent-encode
		 * {@code @}, {@code /} and {@code ?} in the password then. No error quotes the dsn.
		 */
		public Builder dsn(@Nullable String dsn) {
			this.dsn = dsn;
			return this;
		}

		public Builder host(String host) {
			this.host = Objects.requireNonNull(host, "host");
			return this;
		}

		public Builder port(int port) {
			this.port = port;
			return this;
		}

		public Builder database(String database) {
			this.database = Objects.requireNonNull(database, "database");
			return this;
		}

		public Builder user(String user) {
			this.user = Objects.requireNonNull(user, "user");
			return this;
		}

		public Builder password(String password) {
			this.password = Objects.requireNonNull(password, "password");
			return this;
		}

		/** Idle connections the pool keeps open (HikariCP's {@code minimumIdle}). */
		public Builder minSize(int minSize) {
			this.minSize = minSize;
			return this;
		}

		/**
		 * The most connections the pool opens (HikariCP's {@code maximumPoolSize}). A client opens at most
		 * two more, outside the pool: one for {@link PostgresClient#healthCheck() health probes}
		 * ({@code <applicationName>-health}) from the first probe on, and one for
		 * {@link PostgresClient#listen LISTEN} ({@code <applicationName>-listener}) from the first
		 * subscription on. Count {@code maxSize + 2} per client against the server's
		 * {@code max_connections}.
		 */
		public Builder maxSize(int maxSize) {
			this.maxSize = maxSize;
			return this;
		}

		/** Longest a statement may run; the server cancels it then ({@code statement_timeout}). */
		public Builder statementTimeout(Duration statementTimeout) {
			this.statementTimeout = Objects.requireNonNull(statementTimeout, "statementTimeout");
			return this;
		}

		/** Longest a call waits for a free pooled connection. At least 250 ms. */
		public Builder acquireTimeout(Duration acquireTimeout) {
			this.acquireTimeout = Objects.requireNonNull(acquireTimeout, "acquireTimeout");
			return this;
		}

		/** Longest opening one connection may take. */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
			return this;
		}

		/** Longest {@link PostgresClient#healthCheck()} takes before it answers false. */
		public Builder healthTimeout(Duration healthTimeout) {
			this.healthTimeout = Objects.requireNonNull(healthTimeout, "healthTimeout");
			return this;
		}

		/** How long {@link PostgresClient#close()} lets calls already running finish. */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
			return this;
		}

		/** Age after which an idle connection is closed and replaced. */
		public Builder maxLifetime(Duration maxLifetime) {
			this.maxLifetime = Objects.requireNonNull(maxLifetime, "maxLifetime");
			return this;
		}

		/** How long a connection above {@code minSize} may sit idle before it is closed. */
		public Builder idleTimeout(Duration idleTimeout) {
			this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
			return this;
		}

		public Builder sslMode(SslMode sslMode) {
			this.sslMode = Objects.requireNonNull(sslMode, "sslMode");
			return this;
		}

		/**
		 * Whether SCRAM authentication is bound to the TLS channel: sets the driver property
		 * {@code channelBinding}. {@link ChannelBinding#REQUIRE} refuses to connect without TLS or when
		 * the server logs the client in without SCRAM; pair it with {@link SslMode#VERIFY_FULL} where
		 * the server's certificate can be checked. pgjdbc 42.7.4 to 42.7.11 may downgrade
		 * {@code require} silently (CVE-2026-54291): use 42.7.12 or later.
		 */
		public Builder channelBinding(ChannelBinding channelBinding) {
			return driverProperty("channelBinding",
					Objects.requireNonNull(channelBinding, "channelBinding").parameterValue());
		}

		/** The {@code application_name} the server shows in {@code pg_stat_activity}. */
		public Builder applicationName(String applicationName) {
			this.applicationName = Objects.requireNonNull(applicationName, "applicationName");
			return this;
		}

		/** A pgjdbc connection property, for example {@code sslrootcert}; wins over the dsn's. */
		public Builder driverProperty(String name, String value) {
			this.driverProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
			return this;
		}

		/**
		 * How JSON columns and {@link Json} parameters are read and written. By default Jackson 3's
		 * default mapper when it is on the class path, else none (JSON then reads as String only).
		 */
		public Builder jsonCodec(JsonCodec jsonCodec) {
			this.jsonCodec = Objects.requireNonNull(jsonCodec, "jsonCodec");
			return this;
		}

		/**
		 * How long a call waits for the server's next bytes before it gives the connection up as dead, a
		 * backstop for a network that stopped carrying anything: longer than the statement timeout, or
		 * zero for none. Whole seconds, rounded up. Defaults to the statement timeout plus
		 * {@link PostgresClientConfig#DEFAULT_SOCKET_TIMEOUT_MARGIN}, or the dsn's {@code socketTimeout}.
		 */
		public Builder socketTimeout(Duration socketTimeout) {
			this.socketTimeout = Objects.requireNonNull(socketTimeout, "socketTimeout");
			return this;
		}

		/**
		 * How long a connection may be out of the pool before the pool logs a warning with the stack of
		 * the code that borrowed it: zero (the default) for never, else at least 2 s and shorter than
		 * {@code maxLifetime}. The check costs a scheduled task per borrowed connection.
		 */
		public Builder leakDetectionThreshold(Duration leakDetectionThreshold) {
			this.leakDetectionThreshold = Objects.requireNonNull(leakDetectionThreshold, "leakDetectionThreshold");
			return this;
		}

		/** Which connections are reset before they go back to the pool: {@link SessionReset#WHEN_CHANGED} by default. */
		public Builder sessionReset(SessionReset sessionReset) {
			this.sessionReset = Objects.requireNonNull(sessionReset, "sessionReset");
			return this;
		}

		/**
		 * How {@link PostgresClient#forTenant} binds the tenant and checks tenant ids, and whether the
		 * unscoped client refuses statements on tenant tables. {@link TenantPolicy#DEFAULT} by default.
		 */
		public Builder tenantPolicy(TenantPolicy tenantPolicy) {
			this.tenantPolicy = Objects.requireNonNull(tenantPolicy, "tenantPolicy");
			return this;
		}

		/**
		 * The checked, immutable config.
		 * @throws InvalidConfigurationException naming the setting whose value is out of range or malformed
		 */
		public PostgresClientConfig build() {
			return new PostgresClientConfig(this);
		}

	}

}
