/**
 * Micrometer metrics of the auto-configured {@link io.aluskort.postgres.PostgresClient}.
 */
@NullMarked
package io.aluskort.postgres.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
