package io.aluskort.postgres.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a fresh, empty database of its own on the JVM's {@link PostgresServer},
 * dropped after the class. Constructors, lifecycle methods and test methods receive, as parameters:
 * <ul>
 * <li>{@link PostgresDatabase}: where the database is, its credentials and URLs, and the server's
 * fault controls;</li>
 * <li>{@link io.aluskort.postgres.PostgresClient PostgresClient}: a client connected to the
 * database, made on first request with {@code minSize} 1 (so that idle pools of many test classes
 * do not crowd the server) and the default {@code maxSize}, and closed after the class;</li>
 * <li>{@link PostgresServer}: the server itself.</li>
 * </ul>
 * {@code @Nested} classes share their enclosing class's database and client.
 *
 * <pre class="code">
 * &#64;PostgresTest
 * class AlertStoreTests {
 *
 *     private final PostgresClient client;
 *
 *     AlertStoreTests(PostgresClient client) {
 *         this.client = client;
 *     }
 *
 *     &#64;BeforeAll
 *     static void createSchema(PostgresClient client) {
 *         client.execute("CREATE TABLE alerts (id bigint PRIMARY KEY, severity int NOT NULL)");
 *     }
 *
 *     &#64;Test
 *     void survivesARestart(PostgresDatabase database) {
 *         Assumptions.assumeTrue(database.server().controllable(), "needs the embedded server");
 *         database.server().restart();
 *         ...
 *     }
 *
 * }
 * </pre>
 *
 * @see PostgresExtension
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PostgresExtension.class)
public @interface PostgresTest {

}
