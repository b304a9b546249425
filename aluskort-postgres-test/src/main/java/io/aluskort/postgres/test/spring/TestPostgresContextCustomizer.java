package io.aluskort.postgres.test.spring;

import java.util.Map;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresServer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Creates the context's database and points {@code aluskort.postgres.*} at it, ahead of the
 * application's own configuration. Equal for equal annotations, so that Spring's context cache can
 * share a context, and its database, between test classes.
 */
class TestPostgresContextCustomizer implements ContextCustomizer {

	private static final Logger logger = LoggerFactory.getLogger(TestPostgresContextCustomizer.class);

	static final String PROPERTY_SOURCE_NAME = "aluskortTestPostgres";

	static final String DEFAULTS_PROPERTY_SOURCE_NAME = "aluskortTestPostgresDefaults";

	private final String databaseHint;

	TestPostgresContextCustomizer(String databaseHint) {
		this.databaseHint = databaseHint;
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		PostgresServer server = PostgresServer.shared();
		PostgresDatabase database = server.createDatabase(this.databaseHint);
		MutablePropertySources sources = context.getEnvironment().getPropertySources();
		MapPropertySource connection = new MapPropertySource(PROPERTY_SOURCE_NAME, TestPostgres.properties(database));
		// Ahead of the application's configuration, behind what the test itself sets inline.
		if (sources.contains(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME)) {
			sources.addAfter(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, connection);
		}
		else {
			sources.addFirst(connection);
		}
		sources.addLast(new MapPropertySource(DEFAULTS_PROPERTY_SOURCE_NAME,
				Map.of("aluskort.postgres.pool.min-size", "1")));
		context.getBeanFactory().registerSingleton(TestPostgres.DATABASE_BEAN_NAME, database);
		// Registered first, so destroyed last: after the client has closed its pool.
		if (context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
			registry.registerDisposableBean(TestPostgres.DATABASE_BEAN_NAME + ".drop", new DropDatabase(database));
		}
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof TestPostgresContextCustomizer that) && this.databaseHint.equals(that.databaseHint);
	}

	@Override
	public int hashCode() {
		return this.databaseHint.hashCode();
	}

	private record DropDatabase(PostgresDatabase database) implements DisposableBean {

		@Override
		public void destroy() {
			try {
				this.database.server().dropDatabase(this.database.name());
			}
			catch (RuntimeException ex) {
				logger.warn("Could not drop test database {}: {}", this.database.name(), ex.getMessage());
			}
		}

	}

}
