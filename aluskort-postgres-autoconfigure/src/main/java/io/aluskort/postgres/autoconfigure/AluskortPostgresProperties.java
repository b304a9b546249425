package io.aluskort.postgres.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.aluskort.postgres.PostgresClientConfig;
import io.aluskort.postgres.SslMode;
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
	 * username and password, when set, win over the ones inside it.
	 */
	private @Nullable String url;

	/**
	 * Host name or address of the server, when no url is set. Defaults to 'localhost'.
	 */
	private @Nullable String host;

	/**
	 * Port of the server, when no url is set. Defaults to 5432.
	 */
	private @Nullable Integer port;

	/**
	 * Name of the database, when no url is set. Defaults to 'aluskort'.
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
	private Duration statementTimeout = Duration.ofSeconds(30);

	/**
	 * Longest opening one connection may take.
	 */
	private Duration connectTimeout = Duration.ofSeconds(10);

	/**
	 * How long closing the client, at application shutdown, lets calls already running finish before
	 * it aborts them and closes the pool. Comes after the web server's graceful shutdown
	 * (spring.lifecycle.timeout-per-shutdown-phase), not within it.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	/**
	 * TLS mode of the connections, as libpq names it ('disable', 'allow', 'prefer', 'require',
	 * 'verify-ca', 'verify-full'). Defaults to the url's sslmode, or the driver's 'prefer'.
	 */
	private @Nullable SslMode sslMode;

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

	/**
	 * The HikariCP connection pool.
	 */
	public static class Pool {

		/**
		 * Number of idle connections the pool keeps open (HikariCP's minimumIdle).
		 */
		private int minSize = 5;

		/**
		 * Largest number of connections the pool opens (HikariCP's maximumPoolSize).
		 */
		private int maxSize = 20;

		/**
		 * Longest a call waits for a free pooled connection (HikariCP's connectionTimeout). At least
		 * 250ms.
		 */
		private Duration acquireTimeout = Duration.ofSeconds(30);

		/**
		 * Age after which an idle connection is closed and replaced. At least 30s.
		 */
		private Duration maxLifetime = Duration.ofMinutes(30);

		/**
		 * How long a connection above min-size may sit idle before it is closed. At least 10s.
		 */
		private Duration idleTimeout = Duration.ofMinutes(10);

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

	}

	/**
	 * The health probe behind the 'postgres' health indicator.
	 */
	public static class Health {

		/**
		 * Longest a health probe takes; past it the server is reported down. The probe uses a
		 * connection of its own, so an exhausted pool does not delay it.
		 */
		private Duration timeout = Duration.ofSeconds(2);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

}
