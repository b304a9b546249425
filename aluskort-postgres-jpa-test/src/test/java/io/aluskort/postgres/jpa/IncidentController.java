package io.aluskort.postgres.jpa;

import java.util.Map;

import io.aluskort.postgres.jpa.IncidentService.Visibility;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The service over HTTP, where open-in-view applies. */
@RestController
@RequestMapping("/incidents")
class IncidentController {

	private final IncidentService service;

	IncidentController(IncidentService service) {
		this.service = service;
	}

	@PostMapping
	Map<String, Object> open(@RequestParam String title, @RequestParam String note) {
		return Map.of("id", this.service.open(title, note));
	}

	@PostMapping("/failing")
	void openThenFail(@RequestParam String title, @RequestParam String note) {
		this.service.openThenFail(title, note);
	}

	@PostMapping("/nested")
	Map<String, Object> openWithNestedNotes(@RequestParam String title) {
		return Map.of("id", this.service.openWithNestedNotes(title));
	}

	@GetMapping("/visibility")
	Visibility visibility(@RequestParam String title) {
		return this.service.visibility(title);
	}

	@PostMapping("/unscoped")
	Map<String, Object> openWithoutTransaction(@RequestParam String title) {
		return Map.of("activeAfterJpa", this.service.openWithoutTransaction(title));
	}

	@ExceptionHandler
	@ResponseStatus(HttpStatus.CONFLICT)
	Map<String, Object> failed(RuntimeException ex) {
		return Map.of("error", ex.getClass().getName(), "message", String.valueOf(ex.getMessage()));
	}

}
