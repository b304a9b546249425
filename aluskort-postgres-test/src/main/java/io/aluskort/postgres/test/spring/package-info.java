/**
 * Spring Boot test support: {@link io.aluskort.postgres.test.spring.AutoConfigureTestPostgres} points a
 * {@code @SpringBootTest}'s {@code aluskort.postgres.*} at the embedded PostgreSQL.
 */
@NullMarked
package io.aluskort.postgres.test.spring;

import org.jspecify.annotations.NullMarked;
