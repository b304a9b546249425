package io.aluskort.postgres.sample;

import java.util.List;
import java.util.Optional;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.PostgresOperations;
import io.aluskort.postgres.TenantClient;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

/**
 * The incidents, stored with {@link PostgresClient}. Every statement runs for one tenant
 * ({@link PostgresClient#forTenant}), and PostgreSQL's row-level security (migration V2) shows it that
 * tenant's rows only, and refuses a row written for another: the queries carry no tenant filter of
 * their own, and one tenant still never sees another's incidents.
 */
@Service
public class IncidentService {

	private static final String COLUMNS = "id, tenant_id, title, severity, status, opened_at, closed_at, resolution";

	private final PostgresClient db;

	public IncidentService(PostgresClient db) {
		this.db = db;
	}

	/**
	 * Opens an incident, and audits it in the same transaction.
	 * @throws io.aluskort.postgres.InvalidTenantIdException when the tenant id is malformed
	 */
	public Incident open(String tenantId, String title, int severity, String actor) {
		return this.db.forTenant(tenantId).transaction((tx) -> {
			Incident incident = Incident.of(tx
				.fetchOne("INSERT INTO incidents (tenant_id, title, severity) VALUES ($1, $2, $3) RETURNING " + COLUMNS,
						tenantId, title, severity)
				.orElseThrow());
			audit(tx, incident, "opened", actor, null);
			return incident;
		});
	}

	public Optional<Incident> find(String tenantId, long id) {
		return find(this.db.forTenant(tenantId), id);
	}

	private static Optional<Incident> find(PostgresOperations tenant, long id) {
		return tenant.fetchOne("SELECT " + COLUMNS + " FROM incidents WHERE id = $1", id).map(Incident::of);
	}

	/** The tenant's incidents, newest first; only those with the status when one is given. */
	public List<Incident> list(String tenantId, @Nullable String status) {
		return this.db.forTenant(tenantId)
			.fetchMany("SELECT " + COLUMNS + " FROM incidents WHERE ($1::text IS NULL OR status = $1)"
					+ " ORDER BY id DESC LIMIT 500", status)
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
	public Optional<Incident> close(String tenantId, long id, String actor, @Nullable String resolution) {
		TenantClient tenant = this.db.forTenant(tenantId);
		return tenant.transaction((tx) -> {
			Optional<Incident> closed = tx
				.fetchOne("UPDATE incidents SET status = 'closed', closed_at = now(), resolution = $2"
						+ " WHERE id = $1 AND status = 'open' RETURNING " + COLUMNS, id, resolution)
				.map(Incident::of);
			if (closed.isEmpty()) {
				if (find(tx, id).isPresent()) {
					throw new IncidentAlreadyClosedException(id);
				}
				return Optional.empty();
			}
			audit(tx, closed.get(), "closed", actor, resolution);
			return closed;
		});
	}

	public List<AuditEntry> audit(String tenantId, long id) {
		return this.db.forTenant(tenantId)
			.fetchMany("SELECT id, incident_id, action, actor, detail, at FROM incident_audit WHERE incident_id = $1"
					+ " ORDER BY id", id)
			.stream()
			.map(AuditEntry::of)
			.toList();
	}

	private static void audit(PostgresOperations tx, Incident incident, String action, String actor,
			@Nullable String detail) {
		tx.execute("INSERT INTO incident_audit (incident_id, tenant_id, action, actor, detail)"
				+ " VALUES ($1, $2, $3, $4, $5)", incident.id(), incident.tenantId(), action, actor, detail);
	}

	/** The incident is closed already. */
	public static class IncidentAlreadyClosedException extends RuntimeException {

		IncidentAlreadyClosedException(long id) {
			super("Incident " + id + " is closed already");
		}

	}

}
