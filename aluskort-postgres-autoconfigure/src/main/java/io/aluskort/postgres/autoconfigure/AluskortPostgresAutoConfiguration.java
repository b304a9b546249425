package io.aluskort.postgres.autoconfigure;

import javax.sql.DataSource;
import javax.sql.XADataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.aluskort.postgres.CallListener;
import io.aluskort.postgres.JacksonJsonCodec;
import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.PostgresClientConfig;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionManager;
import org.springframework.transaction.annotation.AbstractTransactionManagementConfiguration;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Auto-configuration of a connected {@link PostgresClient} from {@code aluskort.postgres.*}.
 *
 * <p>The client owns its HikariCP pool: it opens it on startup (failing fast when the server cannot
 * be reached) and, on shutdown, lets running calls finish for up to
 * {@code aluskort.postgres.shutdown-timeout} before it closes it. Bean destruction comes after the
 * lifecycle phases, so by then the web server has already drained its requests, within
 * {@code spring.lifecycle.timeout-per-shutdown-phase}; the client's drain follows and is bounded on
 * its own.
 *
 * <p>When the application defines no {@link DataSource} of its own and sets no
 * {@code spring.datasource.url}, the pool also serves as the application's {@code DataSource} (bean
 * {@value #DATA_SOURCE_BEAN_NAME}): Flyway, JPA, {@code JdbcClient}, {@code @Transactional} and the
 * client then share one pool and one transaction. The transaction manager on it is Spring Boot's own
 * choice: JPA's when JPA is there, else the JDBC one. Only where Spring Boot's JDBC module, which makes
 * that one, is missing does the starter define a {@link JdbcTransactionManager} itself. Set
 * {@code aluskort.postgres.expose-data-source=false} to keep the pool to the client. When the
 * application has a {@code DataSource} of its own, that one is left alone and the client keeps a pool
 * of its own.
 */
@AutoConfiguration(
		beforeName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
				"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration" },
		afterName = "org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizationAutoConfiguration")
@ConditionalOnClass({ PostgresClient.class, HikariDataSource.class, org.postgresql.Driver.class })
@ConditionalOnBooleanProperty(name = "aluskort.postgres.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AluskortPostgresProperties.class)
public final class AluskortPostgresAutoConfiguration {

	/** Name of the {@code DataSource} bean that exposes the client's pool. */
	public static final String DATA_SOURCE_BEAN_NAME = "aluskortPostgresDataSource";

	@Bean
	@ConditionalOnMissingBean
	PostgresClientConfig postgresClientConfig(AluskortPostgresProperties properties, Environment environment,
			ObjectProvider<PostgresConnectionDetails> connectionDetails,
			ObjectProvider<PostgresClientConfigCustomizer> customizers) {
		return new PostgresClientConfigFactory(properties, environment, connectionDetails.getIfAvailable())
			.create(customizers.orderedStream().toList());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	PostgresClient postgresClient(PostgresClientConfig postgresClientConfig, ObjectProvider<CallListener> callListener,
			AluskortPostgresProperties properties, Environment environment,
			ObjectProvider<PostgresConnectionDetails> connectionDetails) {
		PostgresClient client = new PostgresClient(postgresClientConfig, callListener.getIfUnique());
		try {
			client.connect();
		}
		catch (CannotGetJdbcConnectionException ex) {
			String configuredBy = new PostgresClientConfigFactory(properties, environment,
					connectionDetails.getIfAvailable())
				.configuredBy();
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			String reason = Credentials.mask(String.valueOf(cause.getMessage()), postgresClientConfig.password(),
					postgresClientConfig.user());
			throw new PostgresConnectionFailureException(postgresClientConfig.describeTarget(),
					postgresClientConfig.user(), configuredBy, reason, ex);
		}
		return client;
	}

	/** Never lazy: with lazy initialization nothing would ask for it, and the check would not run. */
	@Bean
	@Lazy(false)
	@ConditionalOnBooleanProperty("aluskort.postgres.tenant.verify-role")
	TenantRoleVerifier aluskortPostgresTenantRoleVerifier(PostgresClient postgresClient) {
		return new TenantRoleVerifier(postgresClient);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "aluskort.postgres.expose-data-source", matchIfMissing = true)
	@Conditional(NoSpringDataSourceUrlCondition.class)
	@ConditionalOnMissingBean({ DataSource.class, XADataSource.class })
	static class DataSourceConfiguration {

		/**
		 * The client's pool. Not closed as a bean: the client closes it once its calls have drained.
		 */
		@Bean(name = DATA_SOURCE_BEAN_NAME, destroyMethod = "")
		HikariDataSource aluskortPostgresDataSource(PostgresClient postgresClient) {
			DataSource dataSource = postgresClient.dataSource();
			if (dataSource instanceof HikariDataSource hikari) {
				return hikari;
			}
			throw new IllegalStateException("Expected PostgresClient.dataSource() to be a HikariDataSource but it is a "
					+ dataSource.getClass().getName() + "; set aluskort.postgres.expose-data-source=false");
		}

		/**
		 * Only without Spring Boot's JDBC module. With it, Spring Boot chooses: this configuration comes
		 * before JPA's, so a transaction manager defined here would keep JPA from defining its own, and
		 * JPA's writes would then never commit.
		 */
		@Bean
		@ConditionalOnMissingClass("org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration")
		@ConditionalOnMissingBean(TransactionManager.class)
		DataSourceTransactionManager transactionManager(Environment environment,
				@Qualifier(DATA_SOURCE_BEAN_NAME) DataSource dataSource) {
			boolean translate = environment.getProperty("spring.dao.exceptiontranslation.enabled", Boolean.class,
					Boolean.TRUE);
			return translate ? new JdbcTransactionManager(dataSource) : new DataSourceTransactionManager(dataSource);
		}

		@Bean
		@ConditionalOnMissingBean(TransactionOperations.class)
		@ConditionalOnSingleCandidate(PlatformTransactionManager.class)
		TransactionTemplate transactionTemplate(PlatformTransactionManager transactionManager) {
			return new TransactionTemplate(transactionManager);
		}

		/**
		 * Without Spring Boot's transaction module, nothing would process {@code @Transactional}: the
		 * annotation would silently do nothing.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnMissingClass("org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration")
		@ConditionalOnMissingBean(AbstractTransactionManagementConfiguration.class)
		@EnableTransactionManagement(proxyTargetClass = true)
		static class EnableTransactionManagementConfiguration {

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails")
	static class JdbcConnectionDetailsConfiguration {

		@Bean
		@ConditionalOnSingleCandidate(type = "org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails")
		@ConditionalOnMissingBean(PostgresConnectionDetails.class)
		JdbcPostgresConnectionDetails jdbcPostgresConnectionDetails(JdbcConnectionDetails jdbcConnectionDetails) {
			return new JdbcPostgresConnectionDetails(jdbcConnectionDetails);
		}

	}

	/**
	 * JSON columns follow the application's own Jackson settings: the client gets the application's
	 * {@code JsonMapper} when there is one.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "tools.jackson.databind.json.JsonMapper")
	static class JacksonConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "aluskortPostgresJsonCodecCustomizer")
		PostgresClientConfigCustomizer aluskortPostgresJsonCodecCustomizer(ObjectProvider<JsonMapper> jsonMapper) {
			return (builder) -> jsonMapper.ifUnique((mapper) -> builder.jsonCodec(JacksonJsonCodec.of(mapper)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
	static class SanitizingConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "aluskortPostgresSanitizingFunction")
		PostgresSanitizingFunction aluskortPostgresSanitizingFunction() {
			return new PostgresSanitizingFunction();
		}

	}

	/**
	 * Matches unless {@code spring.datasource.url} is set: an application that sets it wants Spring
	 * Boot's own {@code DataSource}.
	 */
	static class NoSpringDataSourceUrlCondition extends NoneNestedConditions {

		NoSpringDataSourceUrlCondition() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@ConditionalOnProperty("spring.datasource.url")
		static class SpringDataSourceUrl {

		}

	}

}
