package io.aluskort.postgres.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.aluskort.postgres.InvalidConfigurationException;
import io.aluskort.postgres.PostgresClientConfig;
import io.aluskort.postgres.TenantPolicy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Builds the {@link PostgresClientConfig} from {@code aluskort.postgres.*} and the connection details,
 * and turns the client's complaints about it into {@link InvalidPostgresPropertyException}s that name
 * the property.
 */
final class PostgresClientConfigFactory {

	static final String PREFIX = "aluskort.postgres.";

	private static final Logger logger = LoggerFactory.getLogger(PostgresClientConfigFactory.class);

	/**
	 * The one table from the client's settings, by the name its {@link InvalidConfigurationException}s
	 * carry, to the properties that set them, with the defaults those properties fall back to.
	 */
	private static final Map<String, Property> PROPERTY_OF = Map.ofEntries(entry("dsn", "url", null),
			entry("host", "host", PostgresClientConfig.DEFAULT_HOST),
			entry("port", "port", PostgresClientConfig.DEFAULT_PORT),
			entry("database", "database", PostgresClientConfig.DEFAULT_DATABASE),
			entry("user", "username", PostgresClientConfig.DEFAULT_USER),
			entry("minSize", "pool.min-size", PostgresClientConfig.DEFAULT_MIN_SIZE),
			entry("maxSize", "pool.max-size", PostgresClientConfig.DEFAULT_MAX_SIZE),
			entry("acquireTimeout", "pool.acquire-timeout", PostgresClientConfig.DEFAULT_ACQUIRE_TIMEOUT),
			entry("maxLifetime", "pool.max-lifetime", PostgresClientConfig.DEFAULT_MAX_LIFETIME),
			entry("idleTimeout", "pool.idle-timeout", PostgresClientConfig.DEFAULT_IDLE_TIMEOUT),
			entry("leakDetectionThreshold", "pool.leak-detection-threshold",
					PostgresClientConfig.DEFAULT_LEAK_DETECTION_THRESHOLD),
			entry("statementTimeout", "statement-timeout", PostgresClientConfig.DEFAULT_STATEMENT_TIMEOUT),
			entry("connectTimeout", "connect-timeout", PostgresClientConfig.DEFAULT_CONNECT_TIMEOUT),
			entry("healthTimeout", "health.timeout", PostgresClientConfig.DEFAULT_HEALTH_TIMEOUT),
			entry("shutdownTimeout", "shutdown-timeout", PostgresClientConfig.DEFAULT_SHUTDOWN_TIMEOUT),
			entry("socketTimeout", "socket-timeout", null), entry("applicationName", "application-name", null),
			entry("setting", "tenant.setting", TenantPolicy.DEFAULT_SETTING),
			entry("idPattern", "tenant.id-pattern", TenantPolicy.DEFAULT_ID_PATTERN),
			entry("maxIdLength", "tenant.max-id-length", TenantPolicy.DEFAULT_MAX_ID_LENGTH),
			entry("required", "tenant.required", null), entry("tables", "tenant.tables", null));

	/** The settings a client's message mentions besides the one it is about, to say them as properties. */
	private static final Pattern SETTING_NAME = Pattern
		.compile("\\b(" + String.join("|", PROPERTY_OF.keySet()) + ")\\b");

	private final AluskortPostgresProperties properties;

	private final Environment environment;

	private final @Nullable PostgresConnectionDetails connectionDetails;

	PostgresClientConfigFactory(AluskortPostgresProperties properties, Environment environment,
			@Nullable PostgresConnectionDetails connectionDetails) {
		this.properties = properties;
		this.environment = environment;
		this.connectionDetails = usable(connectionDetails);
	}

	private static @Nullable PostgresConnectionDetails usable(@Nullable PostgresConnectionDetails details) {
		if (details == null) {
			return null;
		}
		String url = details.getUrl();
		if (url.startsWith("jdbc:postgresql:") || url.startsWith("postgresql:") || url.startsWith("postgres:")) {
			return details;
		}
		logger.info("Ignoring {} for PostgresClient: it is not for PostgreSQL", details.getOrigin());
		return null;
	}

	/** What sets the server the client connects to; for messages. */
	String configuredBy() {
		if (this.connectionDetails != null) {
			return this.connectionDetails.getOrigin();
		}
		if (StringUtils.hasText(this.properties.getUrl())) {
			return PREFIX + "url";
		}
		return PREFIX + "host, " + PREFIX + "port and " + PREFIX + "database";
	}

	PostgresClientConfig create(List<PostgresClientConfigCustomizer> customizers) {
		PostgresClientConfig.Builder builder = PostgresClientConfig.builder();
		AluskortPostgresProperties properties = this.properties;
		String username = properties.getUsername();
		String password = properties.getPassword();
		if (this.connectionDetails != null) {
			builder.dsn(this.connectionDetails.getUrl());
			username = firstNonNull(this.connectionDetails.getUsername(), username);
			password = firstNonNull(this.connectionDetails.getPassword(), password);
		}
		else if (StringUtils.hasText(properties.getUrl())) {
			builder.dsn(properties.getUrl());
			if (properties.getHost() != null || properties.getPort() != null || properties.getDatabase() != null) {
				logger.warn("{}url is set: {}host, {}port and {}database are ignored", PREFIX, PREFIX, PREFIX, PREFIX);
			}
		}
		else {
			if (properties.getHost() != null) {
				builder.host(properties.getHost());
			}
			if (properties.getPort() != null) {
				builder.port(properties.getPort());
			}
			if (properties.getDatabase() != null) {
				builder.database(properties.getDatabase());
			}
		}
		if (username != null) {
			builder.user(username);
		}
		if (password != null) {
			builder.password(password);
		}
		AluskortPostgresProperties.Pool pool = properties.getPool();
		builder.minSize(pool.getMinSize())
			.maxSize(pool.getMaxSize())
			.acquireTimeout(pool.getAcquireTimeout())
			.maxLifetime(pool.getMaxLifetime())
			.idleTimeout(pool.getIdleTimeout())
			.statementTimeout(properties.getStatementTimeout())
			.connectTimeout(properties.getConnectTimeout())
			.shutdownTimeout(properties.getShutdownTimeout())
			.healthTimeout(properties.getHealth().getTimeout())
			.leakDetectionThreshold(pool.getLeakDetectionThreshold())
			.sessionReset(pool.getSessionReset())
			.applicationName(applicationName());
		if (properties.getSslMode() != null) {
			builder.sslMode(properties.getSslMode());
		}
		if (properties.getChannelBinding() != null) {
			builder.channelBinding(properties.getChannelBinding());
		}
		if (properties.getSocketTimeout() != null) {
			builder.socketTimeout(properties.getSocketTimeout());
		}
		properties.getDriverProperties().forEach(builder::driverProperty);
		builder.tenantPolicy(tenantPolicy());
		customizers.forEach((customizer) -> customizer.customize(builder));
		try {
			return builder.build();
		}
		catch (InvalidConfigurationException ex) {
			throw invalid(ex);
		}
	}

	private TenantPolicy tenantPolicy() {
		AluskortPostgresProperties.Tenant tenant = this.properties.getTenant();
		try {
			return TenantPolicy.builder()
				.setting(tenant.getSetting())
				.idPattern(tenant.getIdPattern())
				.maxIdLength(tenant.getMaxIdLength())
				.required(tenant.isRequired())
				.tables(tenant.getTables())
				.build();
		}
		catch (InvalidConfigurationException ex) {
			throw invalid(ex);
		}
	}

	private String applicationName() {
		String name = this.properties.getApplicationName();
		if (!StringUtils.hasText(name)) {
			name = this.environment.getProperty("spring.application.name");
		}
		return StringUtils.hasText(name) ? name : PostgresClientConfig.DEFAULT_APPLICATION_NAME;
	}

	private RuntimeException invalid(InvalidConfigurationException ex) {
		Property target = PROPERTY_OF.get(ex.setting());
		if (target == null) {
			// A setting the table lacks: the client's own words still name it.
			return ex;
		}
		String property = PREFIX + target.name();
		String reason = translate(String.valueOf(ex.getMessage()));
		if (this.connectionDetails != null && List.of("url", "host", "port", "database").contains(target.name())) {
			String origin = this.connectionDetails.getOrigin();
			return new InvalidPostgresPropertyException(property, Credentials.mask(this.connectionDetails.getUrl()),
					origin, reason, "Fix the connection details provided by " + origin
							+ ", or remove that bean to use " + PREFIX + "* instead.",
					ex);
		}
		ConfigurationProperty written = find(property);
		String value = (written != null) ? Credentials.mask(String.valueOf(written.getValue())) : null;
		String origin = (written != null && written.getOrigin() != null) ? written.getOrigin().toString() : null;
		return new InvalidPostgresPropertyException(property, value, origin, reason, action(target), ex);
	}

	/** The client's message in property names: "minSize (9) ..." becomes "pool.min-size (9) ...". */
	private static String translate(String message) {
		Matcher matcher = SETTING_NAME.matcher(message);
		StringBuilder translated = new StringBuilder();
		while (matcher.find()) {
			// The pattern is made of the table's keys: every match has its property.
			Property property = Objects.requireNonNull(PROPERTY_OF.get(matcher.group(1)));
			matcher.appendReplacement(translated, Matcher.quoteReplacement(property.name()));
		}
		matcher.appendTail(translated);
		return translated.toString();
	}

	private static String action(Property property) {
		if ("url".equals(property.name())) {
			return "Set " + PREFIX + "url to a 'postgresql://user@host:5432/database' URI or a "
					+ "'jdbc:postgresql://host:5432/database' URL (sslmode, if given, one of disable, allow, prefer, "
					+ "require, verify-ca, verify-full), or remove it and set " + PREFIX + "host, " + PREFIX
					+ "port and " + PREFIX + "database instead.";
		}
		Object defaultValue = property.defaultValue();
		return "Update " + PREFIX + property.name() + " to a valid value"
				+ ((defaultValue != null) ? ", or remove it to use the default (" + print(defaultValue) + ")" : "")
				+ ".";
	}

	/** A default as it would be written in a property: "30m" rather than Duration's "PT30M". */
	private static String print(Object value) {
		if (!(value instanceof Duration duration)) {
			return value.toString();
		}
		if (duration.toNanos() % 1_000_000 != 0) {
			return duration.toNanos() + "ns";
		}
		if (duration.toMillis() % 1000 != 0) {
			return duration.toMillis() + "ms";
		}
		long seconds = duration.toSeconds();
		if (seconds == 0 || seconds % 60 != 0) {
			return seconds + "s";
		}
		return (seconds % 3600 != 0) ? (seconds / 60) + "m" : (seconds / 3600) + "h";
	}

	private static Map.Entry<String, Property> entry(String setting, String property, @Nullable Object defaultValue) {
		return Map.entry(setting, new Property(property, defaultValue));
	}

	private @Nullable ConfigurationProperty find(String property) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			ConfigurationProperty found = source.getConfigurationProperty(name);
			if (found != null) {
				return found;
			}
		}
		return null;
	}

	private static @Nullable String firstNonNull(@Nullable String first, @Nullable String second) {
		return (first != null) ? first : second;
	}

	/**
	 * A property of {@code aluskort.postgres.*}.
	 * @param name its name after the prefix
	 * @param defaultValue the value it falls back to, or null when that depends on other values
	 */
	private record Property(String name, @Nullable Object defaultValue) {
	}

}
