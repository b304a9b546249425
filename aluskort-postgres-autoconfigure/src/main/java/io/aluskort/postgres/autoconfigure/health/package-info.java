/**
 * Actuator health of the auto-configured {@link io.aluskort.postgres.PostgresClient}.
 */
@NullMarked
package io.aluskort.postgres.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
