package io.aluskort.postgres;

/**
 * A tenant id that {@link PostgresClient#forTenant} refuses, before anything is sent: empty, too long,
 * or not matching the {@link TenantPolicy}'s pattern. Its own type so that a service can answer it as
 * the caller's mistake (a 400) rather than its own.
 */
public class InvalidTenantIdException extends IllegalArgumentException {

	InvalidTenantIdException(String message) {
		super(message);
	}

}
