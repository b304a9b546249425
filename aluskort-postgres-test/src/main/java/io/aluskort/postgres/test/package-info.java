/**
 * A real PostgreSQL for tests: {@link io.aluskort.postgres.test.PostgresTest @PostgresTest} gives a
 * test class a fresh database on a server that is started once per JVM from the binaries on the
 * class path, or on the external server that the {@code ALUSKORT_TEST_POSTGRES_URL} environment
 * variable names. {@link io.aluskort.postgres.test.PostgresServer} stops, starts and restarts the
 * embedded server for fault tests.
 */
@NullMarked
package io.aluskort.postgres.test;

import org.jspecify.annotations.NullMarked;
