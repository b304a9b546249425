/**
 * Spring Boot auto-configuration of {@link io.aluskort.postgres.PostgresClient} from
 * {@code aluskort.postgres.*}.
 */
@NullMarked
package io.aluskort.postgres.autoconfigure;

import org.jspecify.annotations.NullMarked;
