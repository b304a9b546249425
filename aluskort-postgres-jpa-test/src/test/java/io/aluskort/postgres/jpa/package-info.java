/**
 * A service with Spring Data JPA, Flyway and the starter on the one pool.
 */
@NullMarked
package io.aluskort.postgres.jpa;

import org.jspecify.annotations.NullMarked;
