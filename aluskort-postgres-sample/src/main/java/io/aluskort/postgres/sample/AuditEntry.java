package io.aluskort.postgres.sample;

import java.time.OffsetDateTime;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A change to an incident, written in the same transaction as the change.
 *
 * @param id the id
 * @param incidentId the incident
 * @param action what was done, for example {@code closed}
 * @param actor who did it
 * @param detail more about it, or null
 * @param at when
 */
public record AuditEntry(long id, long incidentId, String action, String actor, @Nullable String detail,
		OffsetDateTime at) {

	@SuppressWarnings("NullAway") // A row map cannot say which columns are NOT NULL: all but detail.
	static AuditEntry of(Map<String, Object> row) {
		return new AuditEntry((Long) row.get("id"), (Long) row.get("incident_id"), (String) row.get("action"),
				(String) row.get("actor"), (String) row.get("detail"), (OffsetDateTime) row.get("at"));
	}

}
