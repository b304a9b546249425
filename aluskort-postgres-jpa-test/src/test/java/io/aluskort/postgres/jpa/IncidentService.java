package io.aluskort.postgres.jpa;

import java.util.List;

import io.aluskort.postgres.Json;
import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.TransactionOptions;
import io.aluskort.postgres.jpa.Incident.Severity;
import jakarta.persistence.EntityManager;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes incidents through JPA and their notes through {@link PostgresClient}, in
 * {@code @Transactional} methods.
 */
@Service
public class IncidentService {

	static final String ADD_NOTE = "INSERT INTO incident_note (incident_id, body, kind, details) VALUES ($1, $2, $3::note_kind, $4)";

	static final String ADD_INCIDENT = "INSERT INTO incident (title, severity) VALUES ($1, $2)";

	private final IncidentRepository incidents;

	private final PostgresClient db;

	private final EntityManager entityManager;

	IncidentService(IncidentRepository incidents, PostgresClient db, EntityManager entityManager) {
		this.incidents = incidents;
		this.db = db;
		this.entityManager = entityManager;
	}

	/** An incident through JPA and a note about it through the client. */
	@Transactional
	public long open(String title, @Nullable String note) {
		Incident incident = this.incidents.saveAndFlush(new Incident(title, Severity.HIGH));
		this.db.execute(ADD_NOTE, incident.id(), note, NoteKind.COMMENT, Json.raw("{\"source\": \"client\"}"));
		return incident.id();
	}

	@Transactional
	public void openThenFail(String title, @Nullable String note) {
		open(title, note);
		throw new IllegalStateException("rolled back on purpose");
	}

	/** The client writes first, JPA second. */
	@Transactional
	public void clientThenJpaThenFail(String title) {
		this.db.execute(ADD_INCIDENT, title + "/client", Severity.LOW);
		this.incidents.saveAndFlush(new Incident(title, Severity.LOW));
		throw new IllegalStateException("rolled back on purpose");
	}

	/** What each side sees of the other's writes, inside one transaction. */
	@Transactional
	public Visibility visibility(String title) {
		this.incidents.save(new Incident(title, Severity.LOW));
		long beforeFlush = countByTitle(title);
		this.entityManager.flush();
		long afterFlush = countByTitle(title);
		this.db.execute(ADD_INCIDENT, title + "/client", Severity.HIGH);
		boolean jpaSeesClient = this.incidents.findByTitle(title + "/client").isPresent();
		String clientTransaction = this.db.fetchValue(String.class, "SELECT pg_current_xact_id()::text").orElseThrow();
		String jpaTransaction = (String) this.entityManager.createNativeQuery("SELECT pg_current_xact_id()::text")
			.getSingleResult();
		return new Visibility(beforeFlush, afterFlush, jpaSeesClient, clientTransaction, jpaTransaction);
	}

	private long countByTitle(String title) {
		return this.db.fetchValue(Long.class, "SELECT count(*) FROM incident WHERE title = $1", title).orElseThrow();
	}

	/** Two client transactions inside the JPA one: the first fails, the second commits with it. */
	@Transactional
	public long openWithNestedNotes(String title) {
		Incident incident = this.incidents.saveAndFlush(new Incident(title, Severity.HIGH));
		try {
			this.db.transaction((tx) -> {
				tx.execute(ADD_NOTE, incident.id(), "dropped", NoteKind.COMMENT, null);
				throw new IllegalStateException("the nested transaction fails");
			});
		}
		catch (IllegalStateException expected) {
			// Its savepoint is rolled back; the JPA transaction goes on.
		}
		this.db.transaction((tx) -> tx.execute(ADD_NOTE, incident.id(), "kept", NoteKind.ESCALATION, null));
		return incident.id();
	}

	/** Client transactions and a batch (a transaction of the client's own) inside the JPA one, which then fails. */
	@Transactional
	public void openWithNestedNotesThenFail(String title) {
		Incident incident = this.incidents.saveAndFlush(new Incident(title, Severity.HIGH));
		this.db.transaction((tx) -> tx.execute(ADD_NOTE, incident.id(), "nested", NoteKind.COMMENT, null));
		this.db.executeBatch(ADD_NOTE, List.of(new Object[] { incident.id(), "batch 1", NoteKind.COMMENT, null },
				new Object[] { incident.id(), "batch 2", NoteKind.ESCALATION, Json.raw("[1, 2]") }));
		throw new IllegalStateException("rolled back on purpose");
	}

	@Transactional
	public void openWithNestedOptions(String title, TransactionOptions options) {
		Incident incident = this.incidents.saveAndFlush(new Incident(title, Severity.HIGH));
		this.db.transaction(options, (tx) -> tx.execute(ADD_NOTE, incident.id(), "with options", NoteKind.COMMENT, null));
	}

	/** JPA inside the client's own outermost transaction: not {@code @Transactional}. */
	public void jpaInsideClientTransaction(String title) {
		this.db.transaction((tx) -> {
			tx.execute(ADD_INCIDENT, title + "/client", Severity.LOW);
			return this.incidents.save(new Incident(title, Severity.HIGH));
		});
	}

	/**
	 * JPA, then the client, with no transaction around them: each call commits on its own.
	 * @return how many of the pool's connections were in use after JPA's call
	 */
	public int openWithoutTransaction(String title) {
		this.incidents.save(new Incident(title, Severity.HIGH));
		int active = this.db.poolStats().active();
		if (countByTitle(title) != 1) {
			throw new IllegalStateException("The client does not see the incident JPA committed");
		}
		return active;
	}

	public enum NoteKind {

		COMMENT, ESCALATION

	}

	/**
	 * @param clientBeforeFlush incidents of the title the client saw before JPA flushed
	 * @param clientAfterFlush the same, after the flush
	 * @param jpaSeesClient whether a JPA query found the client's incident
	 * @param clientTransaction the transaction id the client's statements ran in
	 * @param jpaTransaction the transaction id JPA's statements ran in
	 */
	public record Visibility(long clientBeforeFlush, long clientAfterFlush, boolean jpaSeesClient,
			String clientTransaction, String jpaTransaction) {

	}

}
