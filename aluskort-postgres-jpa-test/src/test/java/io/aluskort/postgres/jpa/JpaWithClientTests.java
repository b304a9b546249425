package io.aluskort.postgres.jpa;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.TransactionOptions;
import io.aluskort.postgres.jpa.IncidentService.Visibility;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.orm.jpa.EntityManagerFactoryInfo;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * JPA and {@link PostgresClient} in one service on the one pool: they commit together, roll back
 * together and see each other's flushed writes. Run with open-in-view on and off, and on a pool of one.
 */
abstract class JpaWithClientTests {

	@Autowired
	PostgresClient db;

	@Autowired
	IncidentService service;

	@Autowired
	IncidentRepository incidents;

	@Autowired
	DataSource dataSource;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	EntityManagerFactory entityManagerFactory;

	@BeforeEach
	void emptyTables() {
		this.db.execute("TRUNCATE incident_note, incident");
	}

	private List<String> titles() {
		return this.db.fetchMany(String.class, "SELECT title FROM incident ORDER BY title");
	}

	private List<String> notes() {
		return this.db.fetchMany(String.class, "SELECT coalesce(body, '(null)') FROM incident_note ORDER BY id");
	}

	@Test
	void jpaAndTheClientShareThePoolAndJpasTransactionManager() {
		assertThat(this.dataSource).isSameAs(this.db.dataSource());
		assertThat(((EntityManagerFactoryInfo) this.entityManagerFactory).getDataSource()).isSameAs(this.db.dataSource());
		assertThat(this.transactionManager).isInstanceOf(JpaTransactionManager.class);
		assertThat(((JpaTransactionManager) this.transactionManager).getDataSource()).isSameAs(this.db.dataSource());
	}

	@Test
	void jpaAndClientWritesCommitTogether() {
		for (int i = 1; i <= 7; i++) {
			long id = this.service.open("commit-" + i, (i % 2 == 0) ? null : "note " + i);
			assertThat(this.incidents.findById(id)).isPresent();
		}
		assertThat(titles()).hasSize(7);
		assertThat(notes()).containsExactly("note 1", "(null)", "note 3", "(null)", "note 5", "(null)", "note 7");
		Map<String, Object> note = this.db.fetchOne("SELECT kind::text AS kind, details FROM incident_note LIMIT 1")
			.orElseThrow();
		assertThat(note.get("kind")).isEqualTo("COMMENT");
		assertThat(String.valueOf(note.get("details"))).contains("client");
	}

	@Test
	void aFailureAfterBothWritesLeavesNeither() {
		for (int i = 1; i <= 6; i++) {
			String title = "rollback-" + i;
			assertThatIllegalStateException().isThrownBy(() -> this.service.openThenFail(title, "note"));
			assertThatIllegalStateException().isThrownBy(() -> this.service.clientThenJpaThenFail(title));
		}
		assertThat(titles()).isEmpty();
		assertThat(notes()).isEmpty();
		assertThat(this.incidents.count()).isZero();
	}

	@Test
	void eachSeesTheOthersFlushedWritesInOneServerTransaction() {
		for (int i = 1; i <= 6; i++) {
			Visibility seen = this.service.visibility("seen-" + i);
			assertThat(seen.clientBeforeFlush()).as("JPA writes wait for the flush").isZero();
			assertThat(seen.clientAfterFlush()).isOne();
			assertThat(seen.jpaSeesClient()).isTrue();
			assertThat(seen.clientTransaction()).isEqualTo(seen.jpaTransaction());
		}
		assertThat(titles()).hasSize(12);
	}

	@Test
	void aClientTransactionInsideTheJpaOneIsASavepoint() {
		long id = this.service.openWithNestedNotes("nested");
		assertThat(this.incidents.findById(id)).isPresent();
		assertThat(notes()).containsExactly("kept");
	}

	@Test
	void clientTransactionsInsideTheJpaOneRollBackWithIt() {
		assertThatIllegalStateException().isThrownBy(() -> this.service.openWithNestedNotesThenFail("nested-rollback"));
		assertThat(titles()).isEmpty();
		assertThat(notes()).isEmpty();
	}

	@Test
	void optionsThatCannotApplyInsideTheJpaTransactionAreRefused() {
		assertThatExceptionOfType(IllegalTransactionStateException.class)
			.isThrownBy(() -> this.service.openWithNestedOptions("timeout",
					TransactionOptions.defaults().timeout(java.time.Duration.ofSeconds(5))))
			.withMessageContaining("timeout");
		assertThat(titles()).isEmpty();
		this.service.openWithNestedOptions("defaults", TransactionOptions.defaults());
		assertThat(titles()).containsExactly("defaults");
		assertThat(notes()).containsExactly("with options");
	}

	@Test
	void jpaInsideAnOutermostClientTransactionIsRefusedAndRollsItBack() {
		// JpaTransactionManager cannot join a transaction that another transaction manager began.
		assertThatExceptionOfType(CannotCreateTransactionException.class)
			.isThrownBy(() -> this.service.jpaInsideClientTransaction("inside-client"));
		assertThat(titles()).isEmpty();
	}

}
