package io.aluskort.postgres.test.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@code @SpringBootTest} against a database of its own on the JVM's test PostgreSQL: the
 * embedded server, started on first use and shared by every test in the JVM, or the external server
 * that {@code ALUSKORT_TEST_POSTGRES_URL} names. The test's {@code aluskort.postgres.url},
 * {@code username} and {@code password} are pointed at a fresh database, whatever the application's
 * own configuration says; the pool keeps one idle connection ({@code pool.min-size=1}) unless the
 * test sets another.
 *
 * <pre class="code">
 * &#64;SpringBootTest
 * &#64;AutoConfigureTestPostgres
 * class IncidentServiceTests {
 *
 *     &#64;Autowired
 *     PostgresClient db;
 *
 * }
 * </pre>
 *
 * <p>The database belongs to the Spring application context: test classes that share a context (same
 * configuration) share it, and it is dropped when the context is closed. Use
 * {@link TestPostgres#database(org.springframework.context.ApplicationContext)} to reach it, for
 * example to stop and start the server in a fault test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureTestPostgres {

	/**
	 * A hint for the database's name, which is made unique; the test class's name by default.
	 * @return the hint
	 */
	String database() default "";

}
