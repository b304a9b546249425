package io.aluskort.postgres.benchmarks;

/** The workloads of issue 5, as the harness names and measures them. */
enum Workload {

	W1_1("W1", "point select by id, 1 client", "ops/s"),
	W1_N("W1", "point select by id, N clients", "ops/s"),
	W2("W2", "fetch rows as maps (no jsonb)", "rows/s"),
	W2_JSONB("W2", "fetch rows as maps (with jsonb)", "rows/s"),
	W3_BATCH("W3", "insert rows, batch", "rows/s"),
	W3_COPY("W3", "insert rows, COPY", "rows/s"),
	W4("W4", "write tx (insert+update+commit), N clients", "tx/s"),
	W5("W5", "SELECT 1, 1 client", "ops/s");

	private final String group;

	private final String title;

	private final String unit;

	Workload(String group, String title, String unit) {
		this.group = group;
		this.title = title;
		this.unit = unit;
	}

	String group() {
		return this.group;
	}

	String title(int threads) {
		return this.title.replace("N clients", threads + " clients");
	}

	String unit() {
		return this.unit;
	}

	boolean timed() {
		return this != W3_BATCH && this != W3_COPY;
	}

}
