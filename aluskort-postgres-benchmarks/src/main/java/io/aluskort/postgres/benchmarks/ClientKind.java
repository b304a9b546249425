package io.aluskort.postgres.benchmarks;

import java.util.Locale;

/** The three clients compared, in the order they run within a round. */
enum ClientKind {

	POSTGRES_CLIENT("PostgresClient"), BASELINE("pgjdbc+Hikari"), JDBC_CLIENT("JdbcClient");

	private final String label;

	ClientKind(String label) {
		this.label = label;
	}

	String label() {
		return this.label;
	}

	static ClientKind of(String name) {
		String normalized = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace("+", "");
		return switch (normalized) {
			case "postgresclient", "client", "a" -> POSTGRES_CLIENT;
			case "baseline", "pgjdbc", "pgjdbchikari", "jdbc", "b" -> BASELINE;
			case "jdbcclient", "spring", "c" -> JDBC_CLIENT;
			default -> throw new IllegalArgumentException("Unknown client '" + name + "'");
		};
	}

}
