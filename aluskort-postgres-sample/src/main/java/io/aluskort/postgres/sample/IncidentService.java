package io.aluskort.postgres.sample;

import java.util.List;
import java.util.Optional;

import io.aluskort.postgres.PostgresClient;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The incidents, stored with {@link PostgresClient}. Every query names the tenant: one tenant never
 * sees another's incidents.
 */
@Service
public class IncidentService {

	private static final String COLUMNS = "id, tenant_id, title, severity, status, opened_at, closed_at, resolution";

	private final PostgresClient db;

	public IncidentService(PostgresClient db) {
		this.db = db;
	}

	/** Opens an incident, and audits it in the same transaction. */
	@Transactional
	public Incident open(String tenantId, String title, int severity, String actor) {
		Incident incident = Incident.of(this.db
			.fetchOne("INSERT INTO incidents (tenant_id, title, severity) VALUES ($1, $2, $3) RETURNING " + COLUMNS,
					tenantId, title, severity)
			.orElseThrow());
		audit(incident, "opened", actor, null);
		return incident;
	}

	public Optional<Incident> find(String tenantId, long id) {
		return this.db.fetchOne("SELECT " + COLUMNS + " FROM incidents WHERE tenant_id = $1 AND id = $2", tenantId, id)
			.map(Incident::of);
	}

	/** The tenant's incidents, newest first; only those with the status when one is given. */
	public List<Incident> list(String tenantId, @Nullable String status) {
		return this.db
			.fetchMany("SELECT " + COLUMNS + " FROM incidents WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2)"
					+ " ORDER BY id DESC LIMIT 500", tenantId, status)
			.stream()
			.map(Incident::of)
			.toList();
	}

	/**
	 * Closes an open incident and writes its audit row, in one transaction: when the audit row cannot
	 * be written, the incident stays open.
	 * @return the closed incident, or empty when the tenant has no such incident
	 * @throws IncidentAlreadyClosedException when it is closed already
	 */
	@Transactional
	public Optional<Incident> close(String tenantId, long id, String actor, @Nullable String resolution) {
		Optional<Incident> closed = this.db
			.fetchOne("UPDATE incidents SET status = 'closed', closed_at = now(), resolution = $3"
					+ " WHERE tenant_id = $1 AND id = $2 AND status = 'open' RETURNING " + COLUMNS, tenantId, id, resolution)
			.map(Incident::of);
		if (closed.isEmpty()) {
			if (find(tenantId, id).isPresent()) {
				throw new IncidentAlreadyClosedException(id);
			}
			return Optional.empty();
		}
		audit(closed.get(), "closed", actor, resolution);
		return closed;
	}

	public List<AuditEntry> audit(String tenantId, long id) {
		return this.db
			.fetchMany("SELECT id, incident_id, action, actor, detail, at FROM incident_audit"
					+ " WHERE tenant_id = $1 AND incident_id = $2 ORDER BY id", tenantId, id)
			.stream()
			.map(AuditEntry::of)
			.toList();
	}

	private void audit(Incident incident, String action, String actor, @Nullable String detail) {
		this.db.execute("INSERT INTO incident_audit (incident_id, tenant_id, action, actor, detail)"
				+ " VALUES ($1, $2, $3, $4, $5)", incident.id(), incident.tenantId(), action, actor, detail);
	}

	/** The incident is closed already. */
	public static class IncidentAlreadyClosedException extends RuntimeException {

		IncidentAlreadyClosedException(long id) {
			super("Incident " + id + " is closed already");
		}

	}

}
