package io.aluskort.postgres.autoconfigure;

import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.aluskort.postgres.JsonCodec;
import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.PostgresClientConfig;
import io.aluskort.postgres.SslMode;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Conditions, back-offs and binding of {@link AluskortPostgresAutoConfiguration}, with no database:
 * the {@link PostgresClient} is a mock wherever a connected one would be needed.
 */
class AluskortPostgresAutoConfigurationTests {

	private final HikariDataSource pool = new HikariDataSource();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AluskortPostgresAutoConfiguration.class));

	@AfterEach
	void closePool() {
		this.pool.close();
	}

	/** A mock client whose pool is a HikariDataSource that never starts. */
	private PostgresClient client() {
		PostgresClient client = mock(PostgresClient.class);
		given(client.dataSource()).willReturn(this.pool);
		given(client.config()).willReturn(PostgresClientConfig.builder().build());
		return client;
	}

	private ApplicationContextRunner withClient() {
		return this.runner.withBean(PostgresClient.class, this::client);
	}

	/** The starter in an application without Spring Boot's JDBC module, which brings no transaction manager. */
	private ApplicationContextRunner withClientAlone() {
		return withClient().withClassLoader(new FilteredClassLoader(DataSourceTransactionManagerAutoConfiguration.class));
	}

	@Test
	void defaultsOfThePropertiesAreThoseOfTheClient() {
		AluskortPostgresProperties properties = new AluskortPostgresProperties();
		assertThat(properties.isEnabled()).isTrue();
		assertThat(properties.getPool().getMinSize()).isEqualTo(PostgresClientConfig.DEFAULT_MIN_SIZE);
		assertThat(properties.getPool().getMaxSize()).isEqualTo(PostgresClientConfig.DEFAULT_MAX_SIZE);
		assertThat(properties.getPool().getAcquireTimeout()).isEqualTo(PostgresClientConfig.DEFAULT_ACQUIRE_TIMEOUT);
		assertThat(properties.getPool().getMaxLifetime()).isEqualTo(PostgresClientConfig.DEFAULT_MAX_LIFETIME);
		assertThat(properties.getPool().getIdleTimeout()).isEqualTo(PostgresClientConfig.DEFAULT_IDLE_TIMEOUT);
		assertThat(properties.getStatementTimeout()).isEqualTo(PostgresClientConfig.DEFAULT_STATEMENT_TIMEOUT);
		assertThat(properties.getConnectTimeout()).isEqualTo(PostgresClientConfig.DEFAULT_CONNECT_TIMEOUT);
		assertThat(properties.getShutdownTimeout()).isEqualTo(PostgresClientConfig.DEFAULT_SHUTDOWN_TIMEOUT);
		assertThat(properties.getHealth().getTimeout()).isEqualTo(PostgresClientConfig.DEFAULT_HEALTH_TIMEOUT);
		PostgresClientConfig config = new PostgresClientConfigFactory(properties,
				new org.springframework.mock.env.MockEnvironment(), null)
			.create(java.util.List.of());
		assertThat(config).isEqualTo(PostgresClientConfig.builder().build());
	}

	@Test
	void theApplicationsJsonMapperWritesJsonColumns() {
		JsonMapper indenting = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		withClient().withBean(JsonMapper.class, () -> indenting).run((context) -> {
			JsonCodec codec = context.getBean(PostgresClientConfig.class).jsonCodec();
			assertThat(codec).isNotNull();
			assertThat(codec.toJson(java.util.Map.of("k", 1))).contains("\n");
		});
		withClient().run((context) -> assertThat(context.getBean(PostgresClientConfig.class).jsonCodec()).isNull());
	}

	@Test
	void bindsEveryProperty() {
		withClient()
			.withPropertyValues("aluskort.postgres.host=db.internal", "aluskort.postgres.port=6543",
					"aluskort.postgres.database=alerts", "aluskort.postgres.username=svc",
					"aluskort.postgres.password=pw", "aluskort.postgres.pool.min-size=2",
					"aluskort.postgres.pool.max-size=7", "aluskort.postgres.pool.acquire-timeout=3s",
					"aluskort.postgres.pool.max-lifetime=40m", "aluskort.postgres.pool.idle-timeout=2m",
					"aluskort.postgres.statement-timeout=5s", "aluskort.postgres.connect-timeout=4s",
					"aluskort.postgres.shutdown-timeout=20s", "aluskort.postgres.health.timeout=1500ms",
					"aluskort.postgres.ssl-mode=verify-full", "aluskort.postgres.application-name=alerts-api",
					"aluskort.postgres.driver-properties.sslrootcert=/etc/ca.pem")
			.run((context) -> {
				PostgresClientConfig config = context.getBean(PostgresClientConfig.class);
				assertThat(config.host()).isEqualTo("db.internal");
				assertThat(config.port()).isEqualTo(6543);
				assertThat(config.database()).isEqualTo("alerts");
				assertThat(config.user()).isEqualTo("svc");
				assertThat(config.password()).isEqualTo("pw");
				assertThat(config.minSize()).isEqualTo(2);
				assertThat(config.maxSize()).isEqualTo(7);
				assertThat(config.acquireTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(config.maxLifetime()).isEqualTo(Duration.ofMinutes(40));
				assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
				assertThat(config.statementTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(4));
				assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(20));
				assertThat(config.healthTimeout()).isEqualTo(Duration.ofMillis(1500));
				assertThat(config.sslMode()).isEqualTo(SslMode.VERIFY_FULL);
				assertThat(config.applicationName()).isEqualTo("alerts-api");
				assertThat(config.driverProperties()).containsEntry("sslrootcert", "/etc/ca.pem");
			});
	}

	@Test
	void urlWinsOverHostPortAndDatabaseAndUsernameAndPasswordWinOverTheUrls() {
		withClient()
			.withPropertyValues("aluskort.postgres.url=postgresql://urluser:urlpw@db.internal:6000/fromurl?sslmode=require",
					"aluskort.postgres.host=ignored", "aluskort.postgres.port=1", "aluskort.postgres.database=ignored",
					"aluskort.postgres.username=svc", "aluskort.postgres.password=pw")
			.run((context) -> {
				PostgresClientConfig config = context.getBean(PostgresClientConfig.class);
				assertThat(config.describeTarget()).isEqualTo("db.internal:6000/fromurl");
				assertThat(config.user()).isEqualTo("svc");
				assertThat(config.password()).isEqualTo("pw");
				assertThat(config.sslMode()).isEqualTo(SslMode.REQUIRE);
			});
	}

	@Test
	void credentialsOfTheUrlApplyWhenUsernameAndPasswordAreNotSet() {
		withClient().withPropertyValues("aluskort.postgres.url=jdbc:postgresql://db:5433/x?user=u&password=p")
			.run((context) -> {
				PostgresClientConfig config = context.getBean(PostgresClientConfig.class);
				assertThat(config.describeTarget()).isEqualTo("db:5433/x");
				assertThat(config.user()).isEqualTo("u");
				assertThat(config.password()).isEqualTo("p");
			});
	}

	@Test
	void jdbcConnectionDetailsWinOverTheProperties() {
		JdbcConnectionDetails details = new JdbcConnectionDetails() {

			@Override
			public String getJdbcUrl() {
				return "jdbc:postgresql://container:32768/test";
			}

			@Override
			public String getUsername() {
				return "test";
			}

			@Override
			public String getPassword() {
				return "secret";
			}

		};
		withClient().withBean(JdbcConnectionDetails.class, () -> details)
			.withPropertyValues("aluskort.postgres.url=postgresql://db.internal/prod", "aluskort.postgres.username=svc")
			.run((context) -> {
				assertThat(context).hasSingleBean(PostgresConnectionDetails.class);
				PostgresClientConfig config = context.getBean(PostgresClientConfig.class);
				assertThat(config.describeTarget()).isEqualTo("container:32768/test");
				assertThat(config.user()).isEqualTo("test");
				assertThat(config.password()).isEqualTo("secret");
			});
	}

	@Test
	void jdbcConnectionDetailsForAnotherDatabaseAreIgnored() {
		JdbcConnectionDetails details = new JdbcConnectionDetails() {

			@Override
			public String getJdbcUrl() {
				return "jdbc:h2:mem:test";
			}

			@Override
			public @Nullable String getUsername() {
				return "sa";
			}

			@Override
			public @Nullable String getPassword() {
				return null;
			}

		};
		withClient().withBean(JdbcConnectionDetails.class, () -> details)
			.withPropertyValues("aluskort.postgres.host=db.internal")
			.run((context) -> assertThat(context.getBean(PostgresClientConfig.class).describeTarget())
				.isEqualTo("db.internal:5432/aluskort"));
	}

	@Test
	void ownPostgresConnectionDetailsWinOverTheProperties() {
		PostgresConnectionDetails details = () -> "postgresql://vault-user:vault-pw@primary:5432/orders";
		withClient().withBean(PostgresConnectionDetails.class, () -> details)
			.withPropertyValues("aluskort.postgres.url=postgresql://db.internal/prod")
			.run((context) -> {
				PostgresClientConfig config = context.getBean(PostgresClientConfig.class);
				assertThat(config.describeTarget()).isEqualTo("primary:5432/orders");
				assertThat(config.user()).isEqualTo("vault-user");
			});
	}

	@Test
	void backsOffWithoutTheClient() {
		withClient().withClassLoader(new FilteredClassLoader(PostgresClient.class))
			.withPropertyValues("aluskort.postgres.host=db.internal")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(PostgresClientConfig.class);
				assertThat(context).doesNotHaveBean(DataSource.class);
			});
	}

	@Test
	void worksWithoutSpringBootsJdbcModule() {
		withClient().withClassLoader(new FilteredClassLoader("org.springframework.boot.jdbc"))
			.withPropertyValues("aluskort.postgres.host=db.internal")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(PostgresConnectionDetails.class);
				assertThat(context.getBean(PostgresClientConfig.class).host()).isEqualTo("db.internal");
				assertThat(context).hasSingleBean(DataSource.class);
			});
	}

	@Test
	void applicationNameDefaultsToSpringApplicationName() {
		withClient().withPropertyValues("spring.application.name=incidents")
			.run((context) -> assertThat(context.getBean(PostgresClientConfig.class).applicationName())
				.isEqualTo("incidents"));
		withClient().run((context) -> assertThat(context.getBean(PostgresClientConfig.class).applicationName())
			.isEqualTo(PostgresClientConfig.DEFAULT_APPLICATION_NAME));
	}

	@Test
	void customizersChangeTheConfig() {
		withClient()
			.withBean(PostgresClientConfigCustomizer.class, () -> (builder) -> builder.driverProperty("prepareThreshold", "0"))
			.run((context) -> assertThat(context.getBean(PostgresClientConfig.class).driverProperties())
				.containsEntry("prepareThreshold", "0"));
	}

	@Test
	void disabledTurnsEverythingOff() {
		this.runner.withPropertyValues("aluskort.postgres.enabled=false")
			.withConfiguration(AutoConfigurations.of(DataSourceTransactionManagerAutoConfiguration.class,
					TransactionAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(AluskortPostgresProperties.class);
				assertThat(context).doesNotHaveBean(PostgresClientConfig.class);
				assertThat(context).doesNotHaveBean(PostgresClient.class);
				assertThat(context).doesNotHaveBean(DataSource.class);
				assertThat(context).doesNotHaveBean(PlatformTransactionManager.class);
			});
	}

	@Test
	void backsOffWithoutTheDriver() {
		this.runner.withClassLoader(new FilteredClassLoader(org.postgresql.Driver.class))
			.run((context) -> assertThat(context).doesNotHaveBean(PostgresClient.class));
	}

	@Test
	void backsOffFromAConfigOfTheApplication() {
		PostgresClientConfig own = PostgresClientConfig.builder().host("own").build();
		withClient().withBean(PostgresClientConfig.class, () -> own)
			.run((context) -> assertThat(context.getBean(PostgresClientConfig.class)).isSameAs(own));
	}

	@Test
	void exposesThePoolAsTheDataSourceWithATransactionManagerAndATemplate() {
		withClientAlone().run((context) -> {
			assertThat(context).hasSingleBean(DataSource.class);
			assertThat(context.getBean(DataSource.class)).isSameAs(this.pool);
			assertThat(context.getBeanNamesForType(DataSource.class))
				.containsExactly(AluskortPostgresAutoConfiguration.DATA_SOURCE_BEAN_NAME);
			assertThat(context.getBean(PlatformTransactionManager.class)).isInstanceOf(JdbcTransactionManager.class);
			assertThat(((DataSourceTransactionManager) context.getBean(PlatformTransactionManager.class))
				.getDataSource()).isSameAs(this.pool);
			assertThat(context).hasSingleBean(TransactionTemplate.class);
		});
	}

	@Test
	void plainDataSourceTransactionManagerWithoutExceptionTranslation() {
		withClientAlone().withPropertyValues("spring.dao.exceptiontranslation.enabled=false")
			.run((context) -> assertThat(context.getBean(PlatformTransactionManager.class))
				.isExactlyInstanceOf(DataSourceTransactionManager.class));
	}

	@Test
	void definesNoTransactionManagerWhereSpringBootMakesOne() {
		// Before JPA's auto-configuration, a transaction manager of the starter's would keep JPA from making its own.
		withClient().run((context) -> {
			assertThat(context).hasSingleBean(DataSource.class);
			assertThat(context).doesNotHaveBean(TransactionManager.class);
		});
		withClient()
			.withConfiguration(AutoConfigurations.of(DataSourceTransactionManagerAutoConfiguration.class,
					TransactionAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(TransactionManager.class);
				assertThat(context.getBeanFactory().getBeanDefinition("transactionManager").getFactoryBeanName())
					.startsWith(DataSourceTransactionManagerAutoConfiguration.class.getName());
				assertThat(((DataSourceTransactionManager) context.getBean(PlatformTransactionManager.class))
					.getDataSource()).isSameAs(this.pool);
				assertThat(context).hasSingleBean(TransactionTemplate.class);
			});
	}

	@Test
	void sharesThePoolWithSpringBootsJdbcAutoConfiguration() {
		withClient()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
					JdbcTemplateAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(DataSource.class);
				assertThat(context.getBean(DataSource.class)).isSameAs(this.pool);
				assertThat(context).hasSingleBean(PlatformTransactionManager.class);
				assertThat(((DataSourceTransactionManager) context.getBean(PlatformTransactionManager.class))
					.getDataSource()).isSameAs(this.pool);
				assertThat(context).hasSingleBean(TransactionOperations.class);
				assertThat(context.getBean(JdbcTemplate.class).getDataSource()).isSameAs(this.pool);
			});
	}

	@Test
	void leavesTheApplicationsOwnDataSourceAlone() {
		DataSource own = new DriverManagerDataSource("jdbc:postgresql://elsewhere/db");
		withClient().withBean("dataSource", DataSource.class, () -> own)
			.withConfiguration(AutoConfigurations.of(DataSourceTransactionManagerAutoConfiguration.class,
					TransactionAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(PostgresClient.class);
				assertThat(context).hasSingleBean(DataSource.class);
				assertThat(context.getBean(DataSource.class)).isSameAs(own);
				// Boot's transaction manager, on the application's DataSource.
				assertThat(((DataSourceTransactionManager) context.getBean(PlatformTransactionManager.class))
					.getDataSource()).isSameAs(own);
			});
	}

	@Test
	void springDatasourceUrlMeansSpringBootsOwnDataSource() {
		withClient()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:postgresql://elsewhere:5432/other")
			.run((context) -> {
				assertThat(context).hasSingleBean(PostgresClient.class);
				assertThat(context).hasSingleBean(DataSource.class);
				assertThat(context).doesNotHaveBean(AluskortPostgresAutoConfiguration.DATA_SOURCE_BEAN_NAME);
				assertThat(((HikariDataSource) context.getBean(DataSource.class)).getJdbcUrl())
					.isEqualTo("jdbc:postgresql://elsewhere:5432/other");
			});
	}

	@Test
	void exposeDataSourceFalseKeepsThePoolToTheClient() {
		withClient().withPropertyValues("aluskort.postgres.expose-data-source=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(PostgresClient.class);
				assertThat(context).doesNotHaveBean(DataSource.class);
				assertThat(context).doesNotHaveBean(PlatformTransactionManager.class);
				assertThat(context).doesNotHaveBean(TransactionTemplate.class);
			});
	}

	@Test
	void backsOffFromTheApplicationsTransactionManagerAndTemplate() {
		PlatformTransactionManager own = new DataSourceTransactionManager(this.pool);
		TransactionTemplate ownTemplate = new TransactionTemplate(own);
		withClientAlone().withBean("myTransactionManager", PlatformTransactionManager.class, () -> own)
			.withBean("myTemplate", TransactionTemplate.class, () -> ownTemplate)
			.run((context) -> {
				assertThat(context).hasSingleBean(TransactionManager.class);
				assertThat(context.getBean(PlatformTransactionManager.class)).isSameAs(own);
				assertThat(context.getBean(TransactionTemplate.class)).isSameAs(ownTemplate);
			});
	}

	@Test
	void enablesTransactionManagementWhenSpringBootsTransactionModuleIsMissing() {
		withClient()
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.transaction"))
			.run((context) -> assertThat(context)
				.hasSingleBean(org.springframework.transaction.annotation.AbstractTransactionManagementConfiguration.class));
		withClient().run((context) -> assertThat(context)
			.doesNotHaveBean(org.springframework.transaction.annotation.AbstractTransactionManagementConfiguration.class));
	}

	@Test
	void sanitizingFunctionOnlyWithActuator() {
		withClient().run((context) -> assertThat(context).hasSingleBean(PostgresSanitizingFunction.class));
		withClient().withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).doesNotHaveBean(PostgresSanitizingFunction.class));
	}

}
