package io.aluskort.postgres.sample;

import java.net.URI;
import java.util.List;

import io.aluskort.postgres.InvalidTenantIdException;
import io.aluskort.postgres.sample.IncidentService.IncidentAlreadyClosedException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The incidents API, per tenant: {@code /tenants/{tenant}/incidents}.
 */
@RestController
@RequestMapping("/tenants/{tenant}/incidents")
public class IncidentController {

	private final IncidentService incidents;

	public IncidentController(IncidentService incidents) {
		this.incidents = incidents;
	}

	@PostMapping
	public ResponseEntity<Incident> open(@PathVariable String tenant, @RequestBody OpenRequest request) {
		Incident incident = this.incidents.open(tenant, request.title(), request.severity(),
				(request.openedBy() != null) ? request.openedBy() : "api");
		return ResponseEntity.created(URI.create("/tenants/" + tenant + "/incidents/" + incident.id())).body(incident);
	}

	@GetMapping("/{id}")
	public ResponseEntity<Incident> get(@PathVariable String tenant, @PathVariable long id) {
		return ResponseEntity.of(this.incidents.find(tenant, id));
	}

	@GetMapping
	public List<Incident> list(@PathVariable String tenant, @RequestParam(required = false) @Nullable String status) {
		return this.incidents.list(tenant, status);
	}

	@PostMapping("/{id}/close")
	public ResponseEntity<Incident> close(@PathVariable String tenant, @PathVariable long id,
			@RequestBody CloseRequest request) {
		return ResponseEntity.of(this.incidents.close(tenant, id, request.closedBy(), request.resolution()));
	}

	@GetMapping("/{id}/audit")
	public List<AuditEntry> audit(@PathVariable String tenant, @PathVariable long id) {
		return this.incidents.audit(tenant, id);
	}

	@ExceptionHandler
	ProblemDetail alreadyClosed(IncidentAlreadyClosedException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
	}

	/** A tenant id the client refuses before asking the database: empty, too long, or odd characters. */
	@ExceptionHandler
	ProblemDetail invalidTenant(InvalidTenantIdException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	/** A value the schema refuses (a check constraint, say): the client's mistake, not the server's. */
	@ExceptionHandler
	ProblemDetail invalid(DataIntegrityViolationException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The request breaks a rule of the data");
	}

	/**
	 * A new incident.
	 * @param title what happened
	 * @param severity 1 to 5
	 * @param openedBy who reports it
	 */
	public record OpenRequest(String title, int severity, @Nullable String openedBy) {
	}

	/**
	 * Closing an incident.
	 * @param closedBy who closes it
	 * @param resolution how it was resolved
	 */
	public record CloseRequest(String closedBy, @Nullable String resolution) {
	}

}
