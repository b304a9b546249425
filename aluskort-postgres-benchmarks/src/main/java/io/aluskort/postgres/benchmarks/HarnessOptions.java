package io.aluskort.postgres.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * How long and how hard the harness runs. Each value comes from a {@code --name=value} argument, or
 * else from the system property {@code bench.name}, or else from the default (the full run).
 * {@code --smoke} switches every default to a run of a few seconds.
 *
 * @param rounds measured rounds per workload and client (interleaved A B C A B C ...)
 * @param measure how long one timed round runs
 * @param warmup how long each client runs each timed workload, unmeasured, before the rounds
 * @param maxOpsPerThread bound on the operations of one thread in one round, whatever the time
 * @param tableRows rows loaded into {@code alerts}
 * @param fetchRows rows fetched per call in W2
 * @param insertRows rows inserted per round in W3
 * @param threads the concurrent clients of W1 (high) and W4
 * @param workloads the workloads to run
 * @param clients the clients to run
 * @param driverProperties extra pgjdbc properties given to every client's pool ({@code --driver.name=value})
 * @param clientDriverProperties extra pgjdbc properties given to PostgresClient's pool only
 * ({@code --client-driver.name=value}): the ratio to the baseline then shows what the setting does
 * @param poolMax the pools' maximum size, or 0 for the client's default
 * @param poolMin the pools' minimum idle size, or -1 for the client's default
 * @param clientPoolMax PostgresClient's maximum pool size alone, or 0 for {@code poolMax}
 */
record HarnessOptions(int rounds, Duration measure, Duration warmup, long maxOpsPerThread, int tableRows,
		int fetchRows, int insertRows, int threads, Set<Workload> workloads, List<ClientKind> clients,
		Map<String, String> driverProperties, Map<String, String> clientDriverProperties, int poolMax, int poolMin,
		int clientPoolMax) {

	static HarnessOptions parse(String... args) {
		Map<String, String> values = new LinkedHashMap<>();
		System.getProperties().forEach((key, value) -> {
			String name = key.toString();
			if (name.startsWith("bench.")) {
				values.put(name.substring("bench.".length()), value.toString());
			}
		});
		for (String arg : args) {
			if (arg.isBlank()) {
				continue;
			}
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("Unknown argument '" + arg + "': use --name=value");
			}
			int equals = arg.indexOf('=');
			if (equals < 0) {
				values.put(arg.substring(2), "true");
			}
			else {
				values.put(arg.substring(2, equals), arg.substring(equals + 1));
			}
		}
		boolean smoke = Boolean.parseBoolean(values.getOrDefault("smoke", "false"));
		Map<String, String> driver = new LinkedHashMap<>();
		Map<String, String> clientDriver = new LinkedHashMap<>();
		values.forEach((name, value) -> {
			if (name.startsWith("driver.")) {
				driver.put(name.substring("driver.".length()), value);
			}
			else if (name.startsWith("client-driver.")) {
				clientDriver.put(name.substring("client-driver.".length()), value);
			}
		});
		return new HarnessOptions(intValue(values, "rounds", smoke ? 2 : 5),
				seconds(values, "seconds", smoke ? 0.15 : 2.0), seconds(values, "warmup", smoke ? 0.1 : 2.0),
				longValue(values, "max-ops", 10_000_000L), intValue(values, "table-rows", smoke ? 2_000 : 100_000),
				intValue(values, "fetch-rows", smoke ? 500 : 10_000),
				intValue(values, "insert-rows", smoke ? 1_000 : 100_000), intValue(values, "threads", smoke ? 4 : 16),
				workloads(values.get("workloads")), clients(values.get("clients")), driver, clientDriver,
				intValue(values, "pool-max", 0), intValue(values, "pool-min", -1), intValue(values, "client-pool-max", 0));
	}

	static HarnessOptions smoke() {
		return parse("--smoke");
	}

	private static int intValue(Map<String, String> values, String name, int fallback) {
		String value = values.get(name);
		return (value != null) ? Integer.parseInt(value.replace("_", "")) : fallback;
	}

	private static long longValue(Map<String, String> values, String name, long fallback) {
		String value = values.get(name);
		return (value != null) ? Long.parseLong(value.replace("_", "")) : fallback;
	}

	private static Duration seconds(Map<String, String> values, String name, double fallback) {
		String value = values.get(name);
		double seconds = (value != null) ? Double.parseDouble(value) : fallback;
		return Duration.ofNanos((long) (seconds * 1e9));
	}

	private static Set<Workload> workloads(@Nullable String list) {
		if (list == null || list.isBlank() || list.equalsIgnoreCase("all")) {
			return EnumSet.allOf(Workload.class);
		}
		Set<Workload> workloads = EnumSet.noneOf(Workload.class);
		for (String name : list.split(",")) {
			String group = name.trim().toUpperCase(Locale.ROOT);
			boolean matched = false;
			for (Workload workload : Workload.values()) {
				if (workload.name().equals(group) || workload.group().equals(group)) {
					workloads.add(workload);
					matched = true;
				}
			}
			if (!matched) {
				throw new IllegalArgumentException("Unknown workload '" + name + "'");
			}
		}
		return workloads;
	}

	private static List<ClientKind> clients(@Nullable String list) {
		if (list == null || list.isBlank() || list.equalsIgnoreCase("all")) {
			return List.of(ClientKind.values());
		}
		List<ClientKind> clients = new ArrayList<>();
		for (String name : list.split(",")) {
			clients.add(ClientKind.of(name.trim()));
		}
		if (!clients.contains(ClientKind.BASELINE)) {
			clients.add(ClientKind.BASELINE);
		}
		return List.copyOf(clients);
	}

	String describe() {
		return "rounds=" + this.rounds + " measure=" + seconds(this.measure) + "s warmup=" + seconds(this.warmup)
				+ "s threads=" + this.threads + " table-rows=" + this.tableRows + " fetch-rows=" + this.fetchRows
				+ " insert-rows=" + this.insertRows + " max-ops/thread/round=" + this.maxOpsPerThread
				+ (this.driverProperties.isEmpty() ? "" : " driver=" + this.driverProperties)
				+ (this.clientDriverProperties.isEmpty() ? "" : " client-driver=" + this.clientDriverProperties)
				+ ((this.clientPoolMax > 0) ? " client-pool-max=" + this.clientPoolMax : "")
				+ ((this.poolMax > 0) ? " pool-max=" + this.poolMax : "")
				+ ((this.poolMin >= 0) ? " pool-min=" + this.poolMin : "");
	}

	private static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.2f", duration.toNanos() / 1e9);
	}

}
