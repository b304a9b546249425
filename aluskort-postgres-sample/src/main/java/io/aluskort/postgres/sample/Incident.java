package io.aluskort.postgres.sample;

import java.time.OffsetDateTime;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An incident of a tenant: opened, then closed once with a resolution.
 *
 * @param id the id
 * @param tenantId the tenant it belongs to
 * @param title what happened
 * @param severity 1 (lowest) to 5
 * @param status {@code open} or {@code closed}
 * @param openedAt when it was opened
 * @param closedAt when it was closed, or null
 * @param resolution how it was resolved, or null
 */
public record Incident(long id, String tenantId, String title, int severity, String status, OffsetDateTime openedAt,
		@Nullable OffsetDateTime closedAt, @Nullable String resolution) {

	@SuppressWarnings("NullAway") // A row map cannot say which columns are NOT NULL: all but the last two.
	static Incident of(Map<String, Object> row) {
		return new Incident((Long) row.get("id"), (String) row.get("tenant_id"), (String) row.get("title"),
				(Integer) row.get("severity"), (String) row.get("status"), (OffsetDateTime) row.get("opened_at"),
				(OffsetDateTime) row.get("closed_at"), (String) row.get("resolution"));
	}

}
