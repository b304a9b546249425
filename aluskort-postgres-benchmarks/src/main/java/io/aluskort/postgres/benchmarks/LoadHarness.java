package io.aluskort.postgres.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.aluskort.postgres.BenchmarkAccess;
import io.aluskort.postgres.PostgresClientConfig;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresServer;
import org.jspecify.annotations.Nullable;

/**
 * The load harness of BENCHMARKS.md: starts the embedded PostgreSQL 17, loads the {@code alerts}
 * schema, and runs each workload for PostgresClient, hand-written pgjdbc + HikariCP (the baseline)
 * and Spring's JdbcClient, interleaved round by round (A B C A B C ...), then prints medians, min–max
 * and each client's ratio to the baseline. Only 127.0.0.1 is contacted; every loop is bounded in
 * time and in count. Options: see {@link HarnessOptions}.
 */
public final class LoadHarness {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private final HarnessOptions options;

	private final Appendable out;

	LoadHarness(HarnessOptions options, Appendable out) {
		this.options = options;
		this.out = out;
	}

	public static void main(String[] args) throws Exception {
		HarnessOptions options = HarnessOptions.parse(args);
		new LoadHarness(options, System.out).run();
		// The embedded server is stopped by its shutdown hook.
		System.exit(0);
	}

	/** Runs every selected workload and returns the results, also printed as they complete. */
	Report run() throws Exception {
		print("# aluskort-postgres load harness");
		print("options: " + this.options.describe());
		print("machine: " + Runtime.getRuntime().availableProcessors() + " cpus, JVM max heap "
				+ Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB, " + System.getProperty("java.vm.name") + " "
				+ System.getProperty("java.runtime.version") + ", GC "
				+ ManagementFactory.getGarbageCollectorMXBeans().get(0).getName());
		PostgresServer server = PostgresServer.shared();
		PostgresDatabase database = server.createDatabase("benchmarks");
		try {
			return runOn(database);
		}
		finally {
			server.dropDatabase(database.name());
		}
	}

	private Report runOn(PostgresDatabase database) throws Exception {
		try (Connection admin = database.openConnection()) {
			print("server: " + serverDescription(admin));
			long started = System.nanoTime();
			Schema.load(admin, this.options.tableRows());
			print("loaded alerts: " + this.options.tableRows() + " rows in " + millis(System.nanoTime() - started) + " ms");
			PostgresClientConfig config = clientConfig(database);
			PostgresClientConfig clientConfig = clientOnly(config);
			print("pools: min " + config.minSize() + ", max " + config.maxSize() + "; driver properties "
					+ describe(BenchmarkAccess.driverProperties(config)) + "; baseline adds reWriteBatchedInserts=true");
			if (!clientConfig.equals(config)) {
				print("PostgresClient alone: pool max " + clientConfig.maxSize() + ", driver properties "
						+ describe(BenchmarkAccess.driverProperties(clientConfig)));
			}
			HikariConfig baselineConfig = BenchmarkAccess.samePoolAs(config, "baseline");
			// The hand-written batch baseline of issue 5 uses pgjdbc's multi-row INSERT rewrite.
			baselineConfig.addDataSourceProperty("reWriteBatchedInserts", "true");
			try (HikariDataSource baselinePool = new HikariDataSource(baselineConfig)) {
				Map<ClientKind, Subject> subjects = new EnumMap<>(ClientKind.class);
				try {
					for (ClientKind kind : this.options.clients()) {
						subjects.put(kind, switch (kind) {
							case POSTGRES_CLIENT -> new PostgresClientSubject(clientConfig);
							case BASELINE -> new BaselineSubject(baselinePool);
							case JDBC_CLIENT -> new JdbcClientSubject(baselinePool);
						});
					}
					checkSameResults(subjects);
					return runWorkloads(subjects, admin);
				}
				finally {
					subjects.values().forEach(Subject::close);
				}
			}
		}
	}

	private PostgresClientConfig clientConfig(PostgresDatabase database) {
		PostgresClientConfig.Builder builder = database.clientConfig();
		this.options.driverProperties().forEach(builder::driverProperty);
		PostgresClientConfig defaults = builder.build();
		int max = (this.options.poolMax() > 0) ? this.options.poolMax() : defaults.maxSize();
		int min = (this.options.poolMin() >= 0) ? this.options.poolMin() : Math.min(defaults.minSize(), max);
		return builder.maxSize(max).minSize(min).build();
	}

	/** The configuration of PostgresClient: the common one plus what is given to it alone. */
	private PostgresClientConfig clientOnly(PostgresClientConfig config) {
		if (this.options.clientDriverProperties().isEmpty() && this.options.clientPoolMax() <= 0) {
			return config;
		}
		PostgresClientConfig.Builder builder = config.toBuilder();
		this.options.clientDriverProperties().forEach(builder::driverProperty);
		if (this.options.clientPoolMax() > 0) {
			builder.maxSize(this.options.clientPoolMax()).minSize(Math.min(config.minSize(), this.options.clientPoolMax()));
		}
		return builder.build();
	}

	/** The baseline and PostgresClient must return equal rows, or the comparison means nothing. */
	private void checkSameResults(Map<ClientKind, Subject> subjects) throws Exception {
		Subject client = subjects.get(ClientKind.POSTGRES_CLIENT);
		Subject baseline = subjects.get(ClientKind.BASELINE);
		if (client == null || baseline == null) {
			return;
		}
		long id = Math.min(42, this.options.tableRows());
		Map<String, @Nullable Object> expected = baseline.pointSelect(id);
		Map<String, @Nullable Object> actual = client.pointSelect(id);
		if (!Objects.equals(expected, actual)) {
			throw new IllegalStateException("PostgresClient and the baseline disagree on row " + id + ": " + actual
					+ " vs " + expected);
		}
		int count = Math.min(this.options.fetchRows(), this.options.tableRows());
		if (client.fetchRange(1, count, true) != count || baseline.fetchRange(1, count, true) != count) {
			throw new IllegalStateException("W2 does not fetch " + count + " rows");
		}
	}

	private Report runWorkloads(Map<ClientKind, Subject> subjects, Connection admin) throws Exception {
		Report report = new Report(this.options.threads());
		List<Object[]> loadRows = null;
		for (Workload workload : this.options.workloads()) {
			if (!workload.timed() && loadRows == null) {
				loadRows = Schema.loadRows(this.options.insertRows());
			}
			Map<ClientKind, List<Sample>> samples = new EnumMap<>(ClientKind.class);
			Map<ClientKind, String> skipped = new EnumMap<>(ClientKind.class);
			for (Subject subject : subjects.values()) {
				try {
					measure(workload, subject, admin, loadRows, true);
					samples.put(subject.kind(), new ArrayList<>());
				}
				catch (UnsupportedOperationException ex) {
					skipped.put(subject.kind(), ex.getMessage());
				}
			}
			for (int round = 0; round < this.options.rounds(); round++) {
				for (Subject subject : subjects.values()) {
					List<Sample> values = samples.get(subject.kind());
					if (values != null) {
						values.add(measure(workload, subject, admin, loadRows, false));
					}
				}
			}
			report.add(workload, samples, skipped);
			print(report.format(workload));
		}
		print("");
		print(report.table());
		return report;
	}

	/** One round, or one warm-up when {@code warmup}: the rate in the workload's unit, and CPU per unit. */
	private Sample measure(Workload workload, Subject subject, Connection admin, @Nullable List<Object[]> loadRows,
			boolean warmup) throws Exception {
		Duration duration = warmup ? this.options.warmup() : this.options.measure();
		int threads = this.options.threads();
		int fetchRows = Math.min(this.options.fetchRows(), this.options.tableRows());
		long tableRows = this.options.tableRows();
		return switch (workload) {
			case W1_1 -> timed(duration, 1, () -> {
				subject.pointSelect(ThreadLocalRandom.current().nextLong(1, tableRows + 1));
				return 1;
			});
			case W1_N -> timed(duration, threads, () -> {
				subject.pointSelect(ThreadLocalRandom.current().nextLong(1, tableRows + 1));
				return 1;
			});
			case W2, W2_JSONB -> timed(duration, 1, () -> subject.fetchRange(
					ThreadLocalRandom.current().nextLong(1, tableRows - fetchRows + 2), fetchRows,
					workload == Workload.W2_JSONB));
			case W3_BATCH, W3_COPY -> {
				List<Object[]> rows = Objects.requireNonNull(loadRows);
				if (warmup) {
					rows = rows.subList(0, Math.max(1, rows.size() / 10));
				}
				Schema.truncate(admin, Sql.LOAD_TABLE);
				long cpu = THREADS.getCurrentThreadCpuTime();
				long started = System.nanoTime();
				if (workload == Workload.W3_BATCH) {
					subject.insertBatch(rows);
				}
				else {
					subject.copyIn(rows);
				}
				long elapsed = System.nanoTime() - started;
				cpu = THREADS.getCurrentThreadCpuTime() - cpu;
				checkLoaded(admin, rows.size());
				yield new Sample(rows.size() / (elapsed / 1e9), cpu / 1e3 / rows.size());
			}
			case W4 -> {
				Schema.truncate(admin, Sql.TX_TABLE);
				yield timed(duration, threads, () -> {
					ThreadLocalRandom random = ThreadLocalRandom.current();
					subject.writeTransaction("tenant-" + random.nextInt(50), random.nextInt(5));
					return 1;
				});
			}
			case W5 -> timed(duration, 1, () -> {
				subject.selectOne();
				return 1;
			});
		};
	}

	private static void checkLoaded(Connection admin, int expected) throws SQLException {
		try (Statement statement = admin.createStatement();
				ResultSet result = statement.executeQuery("SELECT count(*) FROM " + Sql.LOAD_TABLE)) {
			result.next();
			if (result.getLong(1) != expected) {
				throw new IllegalStateException("W3 loaded " + result.getLong(1) + " rows, not " + expected);
			}
		}
	}

	/**
	 * Runs the operation on {@code threads} threads until the duration has passed or each thread has
	 * done {@code maxOpsPerThread} operations; returns units (operations, or rows) per second, and the
	 * CPU time the calling threads spent per unit (the client's own cost, which the load other
	 * processes put on the machine disturbs far less than the rate).
	 */
	private Sample timed(Duration duration, int threads, Operation operation) throws Exception {
		CountDownLatch ready = new CountDownLatch(threads);
		CountDownLatch go = new CountDownLatch(1);
		LongAdder units = new LongAdder();
		LongAdder cpuNanos = new LongAdder();
		AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
		long maxOps = this.options.maxOpsPerThread();
		long[] deadline = new long[1];
		List<Thread> workers = new ArrayList<>(threads);
		for (int t = 0; t < threads; t++) {
			Thread worker = new Thread(() -> {
				ready.countDown();
				try {
					go.await();
					long cpu = THREADS.getCurrentThreadCpuTime();
					long end = deadline[0];
					long done = 0;
					long count = 0;
					while (count < maxOps && System.nanoTime() < end && failure.get() == null) {
						done += operation.run();
						count++;
					}
					units.add(done);
					cpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpu);
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			}, "bench-" + t);
			worker.setDaemon(true);
			workers.add(worker);
			worker.start();
		}
		ready.await();
		long started = System.nanoTime();
		deadline[0] = started + duration.toNanos();
		go.countDown();
		for (Thread worker : workers) {
			worker.join();
		}
		long elapsed = System.nanoTime() - started;
		Throwable error = failure.get();
		if (error instanceof Exception ex) {
			throw ex;
		}
		if (error instanceof Error err) {
			throw err;
		}
		long total = Math.max(1, units.sum());
		return new Sample(units.sum() / (elapsed / 1e9), cpuNanos.sum() / 1e3 / total);
	}

	@FunctionalInterface
	private interface Operation {

		/** Does one unit of work and returns how many units (rows) it handled. */
		long run() throws Exception;

	}

	private static String serverDescription(Connection admin) throws SQLException {
		Map<String, String> settings = new LinkedHashMap<>();
		try (Statement statement = admin.createStatement();
				ResultSet result = statement.executeQuery("""
						SELECT name, setting, unit FROM pg_settings WHERE name IN ('server_version', 'shared_buffers',
						  'fsync', 'synchronous_commit', 'full_page_writes', 'max_connections', 'work_mem', 'jit',
						  'wal_level', 'max_wal_size') ORDER BY name""")) {
			while (result.next()) {
				String unit = result.getString(3);
				settings.put(result.getString(1), result.getString(2) + ((unit != null) ? " (" + unit + ")" : ""));
			}
		}
		return settings.toString();
	}

	private static String describe(Properties properties) {
		return new java.util.TreeMap<>(properties).toString();
	}

	private void print(String line) {
		try {
			this.out.append(line).append(System.lineSeparator());
			if (this.out == System.out) {
				System.out.flush();
			}
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static long millis(long nanos) {
		return nanos / 1_000_000;
	}

	/** The results of a run: per workload and client, the rounds' statistics. */
	static final class Report {

		private final int threads;

		private final Map<Workload, Map<ClientKind, List<Sample>>> samples = new EnumMap<>(Workload.class);

		private final Map<Workload, Map<ClientKind, String>> skipped = new EnumMap<>(Workload.class);

		Report(int threads) {
			this.threads = threads;
		}

		void add(Workload workload, Map<ClientKind, List<Sample>> samples, Map<ClientKind, String> skipped) {
			this.samples.put(workload, samples);
			this.skipped.put(workload, skipped);
		}

		/** Per workload and client, the statistics of the rates. */
		Map<Workload, Map<ClientKind, Stats>> stats() {
			Map<Workload, Map<ClientKind, Stats>> stats = new EnumMap<>(Workload.class);
			this.samples.forEach((workload, byClient) -> {
				Map<ClientKind, Stats> rates = new EnumMap<>(ClientKind.class);
				byClient.forEach((kind, values) -> rates.put(kind, rates(values)));
				stats.put(workload, rates);
			});
			return stats;
		}

		Map<Workload, Map<ClientKind, String>> skipped() {
			return this.skipped;
		}

		private static Stats rates(List<Sample> samples) {
			return Stats.of(samples.stream().map(Sample::rate).toList());
		}

		private static Stats cpu(List<Sample> samples) {
			return Stats.of(samples.stream().map(Sample::cpuMicros).toList());
		}

		private @Nullable List<Sample> samples(Workload workload, ClientKind kind) {
			return this.samples.getOrDefault(workload, Map.of()).get(kind);
		}

		/** The median rate of a client over the baseline's, or NaN. */
		double ratio(Workload workload, ClientKind kind) {
			List<Sample> baseline = samples(workload, ClientKind.BASELINE);
			List<Sample> values = samples(workload, kind);
			return (baseline == null || values == null) ? Double.NaN
					: rates(values).median() / rates(baseline).median();
		}

		/** The min and max over rounds of (client / baseline) within the same round. */
		double[] pairedRatioRange(Workload workload, ClientKind kind) {
			List<Sample> baseline = samples(workload, ClientKind.BASELINE);
			List<Sample> values = samples(workload, kind);
			if (baseline == null || values == null || values.isEmpty()) {
				return new double[] { Double.NaN, Double.NaN };
			}
			double min = Double.MAX_VALUE;
			double max = -Double.MAX_VALUE;
			for (int i = 0; i < Math.min(baseline.size(), values.size()); i++) {
				double ratio = values.get(i).rate() / baseline.get(i).rate();
				min = Math.min(min, ratio);
				max = Math.max(max, ratio);
			}
			return new double[] { min, max };
		}

		String format(Workload workload) {
			StringBuilder lines = new StringBuilder();
			for (ClientKind kind : ClientKind.values()) {
				List<Sample> values = samples(workload, kind);
				String name = String.format(Locale.ROOT, "%-8s %-44s %-15s", workload.name(),
						workload.title(this.threads), kind.label());
				if (values == null) {
					String reason = this.skipped.getOrDefault(workload, Map.of()).get(kind);
					if (reason != null) {
						lines.append(name).append(" n/a (").append(reason).append(")\n");
					}
					continue;
				}
				Stats rates = rates(values);
				lines.append(name)
					.append(String.format(Locale.ROOT, " median %,10.0f %-6s min-max %,10.0f - %,-10.0f cpu %7.2f us/%s",
							rates.median(), workload.unit(), rates.min(), rates.max(), cpu(values).median(),
							workload.unit().replace("/s", "")));
				if (kind != ClientKind.BASELINE) {
					double[] paired = pairedRatioRange(workload, kind);
					lines.append(String.format(Locale.ROOT, "  ratio %.3f (rounds %.2f-%.2f)", ratio(workload, kind),
							paired[0], paired[1]));
				}
				lines.append('\n');
			}
			return lines.toString().stripTrailing();
		}

		/** A Markdown table of every workload, for BENCHMARKS.md. */
		String table() {
			StringBuilder table = new StringBuilder();
			table.append("| workload | unit | PostgresClient median (min-max) | baseline median (min-max) | "
					+ "JdbcClient median (min-max) | PostgresClient / baseline (per-round range) | JdbcClient / baseline | "
					+ "client CPU us/unit: PostgresClient, baseline, JdbcClient |\n");
			table.append("|---|---|---|---|---|---|---|---|\n");
			for (Workload workload : this.samples.keySet()) {
				table.append("| ").append(workload.name()).append(' ').append(workload.title(this.threads)).append(" | ")
					.append(workload.unit()).append(" | ");
				StringBuilder cpu = new StringBuilder();
				for (ClientKind kind : ClientKind.values()) {
					List<Sample> values = samples(workload, kind);
					if (values != null) {
						Stats rates = rates(values);
						table.append(String.format(Locale.ROOT, "%,.0f (%,.0f-%,.0f)", rates.median(), rates.min(),
								rates.max()));
						cpu.append((cpu.length() > 0) ? ", " : "")
							.append(String.format(Locale.ROOT, "%.2f", cpu(values).median()));
					}
					else {
						table.append("n/a");
						cpu.append((cpu.length() > 0) ? ", " : "").append("n/a");
					}
					table.append(" | ");
				}
				table.append(ratioCell(workload, ClientKind.POSTGRES_CLIENT)).append(" | ")
					.append(ratioCell(workload, ClientKind.JDBC_CLIENT)).append(" | ")
					.append(cpu).append(" |\n");
			}
			return table.toString();
		}

		private String ratioCell(Workload workload, ClientKind kind) {
			double ratio = ratio(workload, kind);
			if (Double.isNaN(ratio)) {
				return "n/a";
			}
			double[] paired = pairedRatioRange(workload, kind);
			return String.format(Locale.ROOT, "%.3f (%.2f-%.2f)", ratio, paired[0], paired[1]);
		}

	}

}
