package io.aluskort.postgres;

import java.util.Map;
import java.util.stream.Stream;

/** Run by {@code StreamTest} in a JVM with a small heap: streams millions of rows and sums them. */
final class StreamInSmallHeap {

	static final long ROWS = 3_000_000;

	private StreamInSmallHeap() {
	}

	public static void main(String[] args) {
		PostgresClientConfig config = PostgresClientConfig.builder()
			.user(args[1])
			.password(args[2])
			.host(args[3])
			.port(Integer.parseInt(args[4]))
			.database(args[5])
			.minSize(1)
			.maxSize(2)
			.build();
		try (PostgresClient client = new PostgresClient(config)) {
			client.connect();
			long rows = 0;
			long sum = 0;
			try (Stream<Map<String, Object>> stream = client.stream(
					"SELECT g AS n, repeat('x', 80) AS padding FROM generate_series(1, $1) g", ROWS)) {
				for (Map<String, Object> row : (Iterable<Map<String, Object>>) stream::iterator) {
					rows++;
					sum += (Long) row.get("n");
				}
			}
			System.out.println("rows=" + rows + " sum=" + sum);
		}
	}

}
