package io.aluskort.postgres.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.aluskort.postgres.ChannelBinding;
import io.aluskort.postgres.PostgresClientConfig;
import io.aluskort.postgres.SessionReset;
import io.aluskort.postgres.SslMode;
import io.aluskort.postgres.TenantPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the {@link io.aluskort.postgres.PostgresClient} that the auto-configuration
 * builds, bound from {@code aluskort.postgres.*}.
 *
 * <p>Where the server is comes from the first of: a {@code JdbcConnectionDetails} bean (what
 * {@code @ServiceConnection} and Docker Compose support provide), {@code url}, then {@code host},
 * {@code port} and {@code database}. {@code username} and {@code password}, when set, win over the
 * ones inside {@code url}. Connection values are null here when not set, so that their defaults never
 * override a {@code url}; the defaults are those of {@link PostgresClientConfig}.
 *
 * <p>Every default is the client's own constant. The configuration processor records only literal
 * defaults, so {@code META-INF/additional-spring-configuration-metadata.json} states them for IDEs;
 * {@code ConfigurationMetadataTests} holds the two to the same values.
 */
@ConfigurationProperties("aluskort.postgres")
public class AluskortPostgresProperties {

	/**
	 * Whether to auto-configure the PostgresClient, its pool and the beans around it.
	 */
	private boolean enabled = true;

	/**
	 * Connection string of the server: a 'postgresql://user:password@host:port/database?sslmode=...'
	 * URI, or a 'jdbc:postgresql://host:port/database' URL. Wins over host, port and database;
	 * username and password, when set, win over the ones inside it. Percent-escapes are decoded as
	 * libpq decodes them ('%40' is '@', '%25' is '%'); the password may also hold any other printable
	 * character raw, '@', '/', '?' and '#' included, since it ends at the '@' before the host.
	 */
	private @Nullable String url;

	/**
	 * Host name or address of the server, when no url is set.
	 */
	private @Nullable String host;

	/**
	 * Port of the server, when no url is set.
	 */
	private @Nullable Integer port;

	/**
	 * Name of the database, when no url is set.
	 */
	private @Nullable String database;

	/**
	 * Login user of the database. Defaults to the url's user, or 'aluskort'.
	 */
	private @Nullable String username;

	/**
	 * Login password of the database. Defaults to the url's password, or none.
	 */
	private @Nullable String password;

	/**
	 * Longest a statement may run; the server cancels it then (statement_timeout).
	 */
	private Duration statementTimeout = PostgresClientConfig.DEFAULT_STATEMENT_TIMEOUT;

	/**
	 * Longest opening one connection may take.
	 */
	private Duration connectTimeout = PostgresClientConfig.DEFAULT_CONNECT_TIMEOUT;

	/**
	 * Longest a call waits for the server's next bytes before it gives the connection up as dead: a
	 * backstop for a network that stopped answering, since the server itself ends a statement at
	 * statement-timeout. Longer than statement-timeout, or 0 for none. Defaults to statement-timeout
	 * plus 5s. Whole seconds.
	 */
	private @Nullable Duration socketTimeout;

	/**
	 * How long closing the client, at application shutdown, lets calls already running finish before
	 * it aborts them and closes the pool. Comes after the web server's graceful shutdown
	 * (spring.lifecycle.timeout-per-shutdown-phase), not within it.
	 */
	private Duration shutdownTimeout = PostgresClientConfig.DEFAULT_SHUTDOWN_TIMEOUT;

	/**
	 * TLS mode of the connections, as libpq names it ('disable', 'allow', 'prefer', 'require',
	 * 'verify-ca', 'verify-full'). Defaults to the url's sslmode, or the driver's 'prefer'.
	 */
	private @Nullable SslMode sslMode;

	/**
	 * Whether SCRAM authentication is bound to the TLS channel ('disable', 'prefer', 'require'):
	 * 'require' refuses to connect without TLS, or when the server logs in without SCRAM. Needs pgjdbc
	 * 42.7.12 or later. Defaults to the driver's 'prefer'.
	 */
	private @Nullable ChannelBinding channelBinding;

	/**
	 * Name the server shows for the connections in pg_stat_activity. Defaults to
	 * spring.application.name, or 'aluskort-postgres'.
	 */
	private @Nullable String applicationName;

	/**
	 * Whether the client's pool serves as the application's DataSource (with a transaction manager
	 * and a TransactionTemplate), so that JdbcClient, Flyway and @Transactional share it. Applies only
	 * when the application defines no DataSource bean and sets no spring.datasource.url.
	 */
	private boolean exposeDataSource = true;

	/**
	 * Extra PostgreSQL JDBC driver connection properties, for example 'sslrootcert'.
	 */
	private Map<String, String> driverProperties = new LinkedHashMap<>();

	private final Pool pool = new Pool();

	private final Health health = new Health();

	private final Tenant tenant = new Tenant();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getUrl() {
		return this.url;
	}

	public void setUrl(@Nullable String url) {
		this.url = url;
	}

	public @Nullable String getHost() {
		return this.host;
	}

	public void setHost(@Nullable String host) {
		this.host = host;
	}

	public @Nullable Integer getPort() {
		return this.port;
	}

	public void setPort(@Nullable Integer port) {
		this.port = port;
	}

	public @Nullable String getDatabase() {
		return this.database;
	}

	public void setDatabase(@Nullable String database) {
		this.database = database;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public Duration getStatementTimeout() {
		return this.statementTimeout;
	}

	public void setStatementTimeout(Duration statementTimeout) {
		this.statementTimeout = statementTimeout;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public @Nullable Duration getSocketTimeout() {
		return this.socketTimeout;
	}

	public void setSocketTimeout(@Nullable Duration socketTimeout) {
		this.socketTimeout = socketTimeout;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public @Nullable SslMode getSslMode() {
		return this.sslMode;
	}

	public void setSslMode(@Nullable SslMode sslMode) {
		this.sslMode = sslMode;
	}

	public @Nullable ChannelBinding getChannelBinding() {
		return this.channelBinding;
	}

	public void setChannelBinding(@Nullable ChannelBinding channelBinding) {
		this.channelBinding = channelBinding;
	}

	public @Nullable String getApplicationName() {
		return this.applicationName;
	}

	public void setApplicationName(@Nullable String applicationName) {
		this.applicationName = applicationName;
	}

	public boolean isExposeDataSource() {
		return this.exposeDataSource;
	}

	public void setExposeDataSource(boolean exposeDataSource) {
		this.exposeDataSource = exposeDataSource;
	}

	public Map<String, String> getDriverProperties() {
		return this.driverProperties;
	}

	public void setDriverProperties(Map<String, String> driverProperties) {
		this.driverProperties = driverProperties;
	}

	public Pool getPool() {
		return this.pool;
	}

	public Health getHealth() {
		return this.health;
	}

	public Tenant getTenant() {
		return this.tenant;
	}

	/**
	 * The HikariCP connection pool.
	 */
	public static class Pool {

		/**
		 * Number of idle connections the pool keeps open (HikariCP's minimumIdle).
		 */
		private int minSize = PostgresClientConfig.DEFAULT_MIN_SIZE;

		/**
		 * Largest number of connections the pool opens (HikariCP's maximumPoolSize). The client opens at
		 * most two more outside the pool: one for health probes and one for LISTEN.
		 */
		private int maxSize = PostgresClientConfig.DEFAULT_MAX_SIZE;

		/**
		 * Longest a call waits for a free pooled connection (HikariCP's connectionTimeout). At least
		 * 250ms.
		 */
		private Duration acquireTimeout = PostgresClientConfig.DEFAULT_ACQUIRE_TIMEOUT;

		/**
		 * Age after which an idle connection is closed and replaced. At least 30s.
		 */
		private Duration maxLifetime = PostgresClientConfig.DEFAULT_MAX_LIFETIME;

		/**
		 * How long a connection above min-size may sit idle before it is closed. At least 10s.
		 */
		private Duration idleTimeout = PostgresClientConfig.DEFAULT_IDLE_TIMEOUT;

		/**
		 * How long a connection may be out of the pool before the pool logs a warning with the stack
		 * of the code that borrowed it (HikariCP's leakDetectionThreshold). 0 for never; else at least
		 * 2s and shorter than max-lifetime.
		 */
		private Duration leakDetectionThreshold = PostgresClientConfig.DEFAULT_LEAK_DETECTION_THRESHOLD;

		/**
		 * Which connections are reset (DISCARD ALL) before they go back to the pool: 'when-changed'
		 * those that ran a statement that changes the session (SET, SET ROLE, temporary tables,
		 * advisory locks, LISTEN, ...), 'always' every one, for services whose functions change
		 * session state.
		 */
		private SessionReset sessionReset = PostgresClientConfig.DEFAULT_SESSION_RESET;

		public int getMinSize() {
			return this.minSize;
		}

		public void setMinSize(int minSize) {
			this.minSize = minSize;
		}

		public int getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(int maxSize) {
			this.maxSize = maxSize;
		}

		public Duration getAcquireTimeout() {
			return this.acquireTimeout;
		}

		public void setAcquireTimeout(Duration acquireTimeout) {
			this.acquireTimeout = acquireTimeout;
		}

		public Duration getMaxLifetime() {
			return this.maxLifetime;
		}

		public void setMaxLifetime(Duration maxLifetime) {
			this.maxLifetime = maxLifetime;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public Duration getLeakDetectionThreshold() {
			return this.leakDetectionThreshold;
		}

		public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
			this.leakDetectionThreshold = leakDetectionThreshold;
		}

		public SessionReset getSessionReset() {
			return this.sessionReset;
		}

		public void setSessionReset(SessionReset sessionReset) {
			this.sessionReset = sessionReset;
		}

	}

	/**
	 * The health probe behind the 'postgres' health indicator.
	 */
	public static class Health {

		/**
		 * Longest a health probe takes; past it the server is reported down. The probe uses a
		 * connection of its own, so an exhausted pool does not delay it.
		 */
		private Duration timeout = PostgresClientConfig.DEFAULT_HEALTH_TIMEOUT;

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Tenant-scoped calls (PostgresClient.forTenant) and the row-level security they rely on.
	 */
	public static class Tenant {

		/**
		 * Setting each tenant-scoped transaction binds to its tenant id (set_config(setting, id,
		 * true)), which the row-level security policies read with current_setting(setting, true). A
		 * two-part name.
		 */
		private String setting = TenantPolicy.DEFAULT_SETTING;

		/**
		 * Regular expression a tenant id must match as a whole; other ids are refused before anything
		 * is sent.
		 */
		private String idPattern = TenantPolicy.DEFAULT_ID_PATTERN;

		/**
		 * Longest tenant id accepted.
		 */
		private int maxIdLength = TenantPolicy.DEFAULT_MAX_ID_LENGTH;

		/**
		 * Whether the unscoped PostgresClient refuses, before sending it, a statement that names one
		 * of the tenant tables, so that a forgotten forTenant is an error rather than an empty result.
		 * Needs tables.
		 */
		private boolean required;

		/**
		 * Tables whose rows belong to tenants, optionally schema-qualified. Matched by name anywhere
		 * in a statement outside literals and comments.
		 */
		private List<String> tables = new ArrayList<>();

		/**
		 * Whether to check at startup that row-level security binds the application's role: it is
		 * neither a superuser nor BYPASSRLS, and every tenant table exists, has row-level security
		 * enabled and is not owned by it. Startup fails otherwise.
		 */
		private boolean verifyRole;

		public String getSetting() {
			return this.setting;
		}

		public void setSetting(String setting) {
			this.setting = setting;
		}

		public String getIdPattern() {
			return this.idPattern;
		}

		public void setIdPattern(String idPattern) {
			this.idPattern = idPattern;
		}

		public int getMaxIdLength() {
			return this.maxIdLength;
		}

		public void setMaxIdLength(int maxIdLength) {
			this.maxIdLength = maxIdLength;
		}

		public boolean isRequired() {
			return this.required;
		}

		public void setRequired(boolean required) {
			this.required = required;
		}

		public List<String> getTables() {
			return this.tables;
		}

		public void setTables(List<String> tables) {
			this.tables = tables;
		}

		public boolean isVerifyRole() {
			return this.verifyRole;
		}

		public void setVerifyRole(boolean verifyRole) {
			this.verifyRole = verifyRole;
		}

	}

}
