package io.aluskort.postgres.benchmarks;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the whole load harness for a few seconds, so that it cannot rot. Nothing here depends on a
 * timing: it checks that every workload ran for every client that supports it, and printed its line.
 */
class LoadHarnessSmokeTests {

	@Test
	void runsEveryWorkloadForEveryClient() throws Exception {
		StringBuilder out = new StringBuilder();
		LoadHarness.Report report = new LoadHarness(HarnessOptions.smoke(), out).run();
		System.out.print(out);
		assertThat(report.stats()).containsOnlyKeys(Workload.values());
		report.stats().forEach((workload, byClient) -> {
			Map<ClientKind, String> skipped = report.skipped().get(workload);
			for (ClientKind kind : ClientKind.values()) {
				if (skipped.containsKey(kind)) {
					continue;
				}
				assertThat(byClient).as("%s %s", workload, kind).containsKey(kind);
				Stats stats = byClient.get(kind);
				assertThat(stats.rounds()).as("%s %s", workload, kind).isEqualTo(HarnessOptions.smoke().rounds());
				assertThat(stats.min()).as("%s %s", workload, kind).isPositive();
			}
			assertThat(byClient).as("%s baseline", workload).containsKey(ClientKind.BASELINE);
		});
		assertThat(out.toString()).contains("W1_1", "W2_JSONB", "W3_COPY", "W4", "W5", "| workload |");
	}

	@Test
	void optionsComeFromArgumentsOverDefaults() {
		HarnessOptions options = HarnessOptions.parse("--rounds=7", "--seconds=0.5", "--workloads=W1,W5",
				"--clients=client", "--driver.prepareThreshold=1", "--pool-max=8");
		assertThat(options.rounds()).isEqualTo(7);
		assertThat(options.measure().toMillis()).isEqualTo(500);
		assertThat(options.workloads()).containsExactly(Workload.W1_1, Workload.W1_N, Workload.W5);
		assertThat(options.clients()).containsExactly(ClientKind.POSTGRES_CLIENT, ClientKind.BASELINE);
		assertThat(options.driverProperties()).containsEntry("prepareThreshold", "1");
		assertThat(options.poolMax()).isEqualTo(8);
	}

}
