package io.aluskort.postgres.jpa;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface IncidentRepository extends JpaRepository<Incident, Long> {

	Optional<Incident> findByTitle(String title);

}
