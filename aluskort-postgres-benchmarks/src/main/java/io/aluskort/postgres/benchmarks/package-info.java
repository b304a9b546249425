/**
 * The load harness: {@link io.aluskort.postgres.benchmarks.LoadHarness} runs the workloads of
 * BENCHMARKS.md against PostgresClient, hand-written pgjdbc + HikariCP and Spring's JdbcClient.
 */
@NullMarked
package io.aluskort.postgres.benchmarks;

import org.jspecify.annotations.NullMarked;
