package io.aluskort.postgres.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

	/** The builder's value names, as the client's messages use them, to the property names. */
	private static final Map<String, String> PROPERTY_OF = Map.ofEntries(Map.entry("dsn", "url"),
			Map.entry("sslmode", "url"), Map.entry("host", "host"), Map.entry("port", "port"),
			Map.entry("database", "database"), Map.entry("user", "username"), Map.entry("minSize", "pool.min-size"),
			Map.entry("maxSize", "pool.max-size"), Map.entry("acquireTimeout", "pool.acquire-timeout"),
			Map.entry("maxLifetime", "pool.max-lifetime"), Map.entry("idleTimeout", "pool.idle-timeout"),
			Map.entry("statementTimeout", "statement-timeout"), Map.entry("connectTimeout", "connect-timeout"),
			Map.entry("healthTimeout", "health.timeout"), Map.entry("shutdownTimeout", "shutdown-timeout"),
			Map.entry("socketTimeout", "socket-timeout"),
			Map.entry("leakDetectionThreshold", "pool.leak-detection-threshold"),
			Map.entry("applicationName", "application-name"), Map.entry("setting", "tenant.setting"),
			Map.entry("idPattern", "tenant.id-pattern"), Map.entry("maxIdLength", "tenant.max-id-length"),
			Map.entry("required", "tenant.required"), Map.entry("tables", "tenant.tables"));

	private static final Pattern BUILDER_NAME = Pattern.compile("\\b(" + String.join("|", PROPERTY_OF.keySet()) + ")\\b");

	private static final Pattern FIRST_WORD = Pattern.compile("^(\\w+)");

	private static final Map<String, String> DEFAULTS = Map.ofEntries(Map.entry("host", "localhost"),
			Map.entry("port", "5432"), Map.entry("database", "aluskort"), Map.entry("username", "aluskort"),
			Map.entry("pool.min-size", "5"), Map.entry("pool.max-size", "20"),
			Map.entry("pool.acquire-timeout", "30s"), Map.entry("pool.max-lifetime", "30m"),
			Map.entry("pool.idle-timeout", "10m"), Map.entry("statement-timeout", "30s"),
			Map.entry("connect-timeout", "10s"), Map.entry("health.timeout", "2s"),
			Map.entry("shutdown-timeout", "10s"), Map.entry("pool.leak-detection-threshold", "0s"),
			Map.entry("tenant.setting", TenantPolicy.DEFAULT_SETTING),
			Map.entry("tenant.id-pattern", TenantPolicy.DEFAULT_ID_PATTERN),
			Map.entry("tenant.max-id-length", String.valueOf(TenantPolicy.DEFAULT_MAX_ID_LENGTH)));

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
		catch (IllegalArgumentException ex) {
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
		catch (IllegalArgumentException ex) {
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

	private InvalidPostgresPropertyException invalid(IllegalArgumentException ex) {
		String message = String.valueOf(ex.getMessage());
		Matcher first = FIRST_WORD.matcher(message);
		String builderName = first.find() ? first.group(1) : "";
		if ("Unknown".equals(builderName) && message.contains("sslmode")) {
			builderName = "sslmode";
		}
		String shortName = PROPERTY_OF.getOrDefault(builderName, "url");
		String property = PREFIX + shortName;
		String reason = translate(message);
		if (this.connectionDetails != null && List.of("url", "host", "port", "database").contains(shortName)) {
			String origin = this.connectionDetails.getOrigin();
			return new InvalidPostgresPropertyException(property, Credentials.mask(this.connectionDetails.getUrl()),
					origin, reason, "Fix the connection details provided by " + origin
							+ ", or remove that bean to use " + PREFIX + "* instead.",
					ex);
		}
		ConfigurationProperty written = find(property);
		String value = (written != null) ? Credentials.mask(String.valueOf(written.getValue())) : null;
		String origin = (written != null && written.getOrigin() != null) ? written.getOrigin().toString() : null;
		return new InvalidPostgresPropertyException(property, value, origin, reason, action(shortName), ex);
	}

	/** The client's message in property names: "minSize (9) ..." becomes "pool.min-size (9) ...". */
	private static String translate(String message) {
		Matcher matcher = BUILDER_NAME.matcher(message);
		StringBuilder translated = new StringBuilder();
		while (matcher.find()) {
			String name = matcher.group(1);
			String replacement = ("sslmode".equals(name)) ? name : PROPERTY_OF.get(name);
			matcher.appendReplacement(translated, Matcher.quoteReplacement(replacement));
		}
		matcher.appendTail(translated);
		return translated.toString();
	}

	private static String action(String shortName) {
		if ("url".equals(shortName)) {
			return "Set " + PREFIX + "url to a 'postgresql://user@host:5432/database' URI or a "
					+ "'jdbc:postgresql://host:5432/database' URL (sslmode, if given, one of disable, allow, prefer, "
					+ "require, verify-ca, verify-full), or remove it and set " + PREFIX + "host, " + PREFIX
					+ "port and " + PREFIX + "database instead.";
		}
		String defaultValue = DEFAULTS.get(shortName);
		return "Update " + PREFIX + shortName + " to a valid value"
				+ ((defaultValue != null) ? ", or remove it to use the default (" + defaultValue + ")" : "") + ".";
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

}
