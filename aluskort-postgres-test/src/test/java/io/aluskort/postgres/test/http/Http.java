package io.aluskort.postgres.test.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import org.jspecify.annotations.Nullable;

/**
 * A plain HTTP client for a running test server, as curl, a load balancer or Kubernetes would use it.
 */
public final class Http {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int port;

	public Http(int port) {
		this.port = port;
	}

	public Response get(String path) {
		return send(request(path).GET().build());
	}

	public Response post(String path, String json) {
		return send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).timeout(Duration.ofSeconds(30));
	}

	private Response send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body(), response.headers().firstValue("Location").orElse(null));
		}
		catch (IOException ex) {
			throw new IllegalStateException(request.method() + " " + request.uri() + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	/**
	 * What the server answered.
	 *
	 * @param status the status code
	 * @param body the body
	 * @param location the {@code Location} header, if the answer had one
	 */
	public record Response(int status, String body, @Nullable String location) {

		/**
		 * Reads a value from the JSON body.
		 * @param <T> the value's type
		 * @param path a JsonPath expression such as {@code $.components.postgres.status}
		 * @return the value
		 */
		public <T> T read(String path) {
			return JsonPath.read(this.body, path);
		}

	}

}
