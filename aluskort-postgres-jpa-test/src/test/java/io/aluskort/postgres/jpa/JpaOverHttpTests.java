package io.aluskort.postgres.jpa;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.aluskort.postgres.PostgresClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service behind HTTP requests, where open-in-view binds an EntityManager to the request: JPA and
 * the client still commit and roll back together. Run with open-in-view on and off.
 */
abstract class JpaOverHttpTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Autowired
	PostgresClient db;

	@BeforeEach
	void emptyTables() {
		this.db.execute("TRUNCATE incident_note, incident");
	}

	Response send(String method, String path, String title) {
		URI uri = URI.create("http://127.0.0.1:" + this.port + path + "?title="
				+ URLEncoder.encode(title, StandardCharsets.UTF_8) + "&note=from%20http");
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(Duration.ofSeconds(30))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + path + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	List<String> titles() {
		return this.db.fetchMany(String.class, "SELECT title FROM incident ORDER BY title");
	}

	List<String> notes() {
		return this.db.fetchMany(String.class, "SELECT body FROM incident_note ORDER BY id");
	}

	@Test
	void aRequestCommitsJpaAndClientWritesTogether() {
		for (int i = 1; i <= 6; i++) {
			assertThat(send("POST", "/incidents", "http-" + i).status()).isEqualTo(200);
		}
		assertThat(titles()).hasSize(6);
		assertThat(notes()).hasSize(6).containsOnly("from http");
	}

	@Test
	void aFailedRequestRollsBackBoth() {
		Response response = send("POST", "/incidents/failing", "http-failed");
		assertThat(response.status()).isEqualTo(409);
		assertThat(response.body()).contains("rolled back on purpose");
		assertThat(titles()).isEmpty();
		assertThat(notes()).isEmpty();
	}

	@Test
	void inARequestEachSeesTheOthersFlushedWritesInOneServerTransaction() {
		Response response = send("GET", "/incidents/visibility", "http-seen");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.<Integer>read("$.clientBeforeFlush")).isZero();
		assertThat(response.<Integer>read("$.clientAfterFlush")).isOne();
		assertThat(response.<Boolean>read("$.jpaSeesClient")).isTrue();
		assertThat(response.<String>read("$.clientTransaction")).isEqualTo(response.read("$.jpaTransaction"));
	}

	@Test
	void inARequestAClientTransactionInsideTheJpaOneIsASavepoint() {
		assertThat(send("POST", "/incidents/nested", "http-nested").status()).isEqualTo(200);
		assertThat(titles()).containsExactly("http-nested");
		assertThat(notes()).containsExactly("kept");
	}

	record Response(int status, String body) {

		<T> T read(String path) {
			return JsonPath.read(this.body, path);
		}

	}

}
