/**
 * A small incidents service written with the aluskort-postgres starter and {@code PostgresClient}.
 */
@NullMarked
package io.aluskort.postgres.sample;

import org.jspecify.annotations.NullMarked;
