package io.aluskort.postgres.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import org.jspecify.annotations.Nullable;

/**
 * An incident, written through JPA. Its id comes from a sequence, so that {@code save} defers the
 * {@code INSERT} to the next flush, as it does for most entities.
 */
@Entity
public class Incident {

	@Id
	@GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "incident_id")
	@SequenceGenerator(name = "incident_id", sequenceName = "incident_id_seq", allocationSize = 1)
	private @Nullable Long id;

	private String title;

	@Enumerated(EnumType.STRING)
	private Severity severity;

	protected Incident() {
		this.title = "";
		this.severity = Severity.LOW;
	}

	public Incident(String title, Severity severity) {
		this.title = title;
		this.severity = severity;
	}

	public long id() {
		if (this.id == null) {
			throw new IllegalStateException("Incident '" + this.title + "' has no id yet");
		}
		return this.id;
	}

	public String title() {
		return this.title;
	}

	public Severity severity() {
		return this.severity;
	}

	public enum Severity {

		LOW, HIGH

	}

}
