/**
 * A pooled PostgreSQL client: {@link io.aluskort.postgres.PostgresClient}, configured by
 * {@link io.aluskort.postgres.PostgresClientConfig}. Usable with or without Spring Boot.
 */
@NullMarked
package io.aluskort.postgres;

import org.jspecify.annotations.NullMarked;
