package io.aluskort.postgres.test.spring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationContext;

/**
 * Connects Spring Boot applications to the test PostgreSQL: for tests,
 * {@link AutoConfigureTestPostgres @AutoConfigureTestPostgres}; for a test main class that runs an
 * application on the embedded server ({@code spring-boot:test-run}), {@link #arguments(String...)}.
 */
public final class TestPostgres {

	private static final Logger logger = LoggerFactory.getLogger(TestPostgres.class);

	/** Name of the bean that holds the {@link PostgresDatabase} of a context. */
	static final String DATABASE_BEAN_NAME = "aluskortTestPostgresDatabase";

	private TestPostgres() {
	}

	/**
	 * The properties that point {@code aluskort.postgres.*} at the database.
	 * @param database the database
	 * @return url, username and password
	 */
	public static Map<String, Object> properties(PostgresDatabase database) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("aluskort.postgres.url", database.jdbcUrl());
		properties.put("aluskort.postgres.username", database.user());
		properties.put("aluskort.postgres.password", database.password());
		return properties;
	}

	/**
	 * The database that {@link AutoConfigureTestPostgres @AutoConfigureTestPostgres} made for the
	 * context.
	 * @param context the test's application context
	 * @return its database
	 */
	public static PostgresDatabase database(ApplicationContext context) {
		return context.getBean(DATABASE_BEAN_NAME, PostgresDatabase.class);
	}

	/**
	 * The command line arguments with ones that point {@code aluskort.postgres.*} at a new database on
	 * the test PostgreSQL, which is started if needed; unchanged when {@code aluskort.postgres.url} is
	 * already given as an argument, a system property or the environment variable
	 * {@code ALUSKORT_POSTGRES_URL}. For the main method of a test class that
	 * {@code spring-boot:test-run} runs:
	 *
	 * <pre class="code">
	 * public static void main(String[] args) {
	 *     SpringApplication.from(IncidentsApplication::main).run(TestPostgres.arguments(args));
	 * }
	 * </pre>
	 * @param args the arguments given to the main method
	 * @return the arguments to run the application with
	 */
	public static String[] arguments(String... args) {
		boolean urlGiven = Arrays.stream(args).anyMatch((arg) -> arg.startsWith("--aluskort.postgres.url="))
				|| System.getProperty("aluskort.postgres.url") != null || System.getenv("ALUSKORT_POSTGRES_URL") != null;
		if (urlGiven) {
			logger.info("aluskort.postgres.url is set: not using the test PostgreSQL");
			return args;
		}
		PostgresDatabase database = PostgresServer.shared().createDatabase("app");
		logger.info("Using the test PostgreSQL: {}", database);
		List<String> arguments = new ArrayList<>(Arrays.asList(args));
		properties(database).forEach((name, value) -> arguments.add("--" + name + "=" + value));
		return arguments.toArray(String[]::new);
	}

}
