package io.aluskort.postgres.test.http;

import java.time.Duration;
import java.util.function.Consumer;

import io.aluskort.postgres.test.PostgresDatabase;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Checks a running service's {@code /actuator/health} over HTTP while its database server stops and
 * comes back: what a load balancer or Kubernetes sees of an outage.
 */
public final class HealthOverHttp {

	private final Http http;

	private final Duration bound;

	/**
	 * Checks the service behind the given client.
	 * @param http the client for the running service
	 * @param bound how long a health answer may take while the server is stopped: the service's health
	 * timeout and what HTTP and JSON may add to it
	 */
	public HealthOverHttp(Http http, Duration bound) {
		this.http = http;
		this.bound = bound;
	}

	/**
	 * Stops the database's server and checks that health and readiness answer 503 within the bound, with
	 * {@code postgres} down, then starts the server again. Skips the test where the server cannot be
	 * stopped.
	 * @param database the service's database
	 * @param down the service's own checks of the health answer while the server is stopped
	 */
	public void downWhileTheServerIsStopped(PostgresDatabase database, Consumer<Http.Response> down) {
		Assumptions.assumeTrue(database.server().controllable(), "needs the embedded server");
		assertThat(this.http.get("/actuator/health").status()).isEqualTo(200);
		database.server().stop();
		try {
			Http.Response health = timed("/actuator/health");
			assertThat(health.status()).isEqualTo(503);
			assertThat(health.<String>read("$.status")).isEqualTo("DOWN");
			assertThat(health.<String>read("$.components.postgres.status")).isEqualTo("DOWN");
			down.accept(health);
			assertThat(timed("/actuator/health/readiness").status()).isEqualTo(503);
		}
		finally {
			database.server().start();
		}
	}

	/**
	 * Waits until health answers 200 with {@code postgres} up again, and the service's own checks pass.
	 * @param atMost how long the service may take to come back
	 * @param up the service's own checks once it is back
	 */
	public void awaitUp(Duration atMost, ThrowingRunnable up) {
		await().atMost(atMost).untilAsserted(() -> {
			Http.Response health = this.http.get("/actuator/health");
			assertThat(health.status()).isEqualTo(200);
			assertThat(health.<String>read("$.components.postgres.status")).isEqualTo("UP");
			up.run();
		});
	}

	private Http.Response timed(String path) {
		long start = System.nanoTime();
		Http.Response response = this.http.get(path);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(this.bound);
		return response;
	}

}
