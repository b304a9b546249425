package io.aluskort.postgres.test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A JVM killed with SIGKILL runs no shutdown hook: its server must stop anyway, and the next JVM
 * must clean up its directory.
 */
class JvmDeathTests {

	private static final String READY = "READY ";

	@Test
	void aKilledJvmTakesItsServerAlongAndTheNextJvmCleansUp() throws Exception {
		// Not a @TempDir: those are private to root, and the server may run as nobody.
		Path root = Files.createTempDirectory("aluskort-postgres-jvm-death-");
		Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
		Process jvm = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), "-D" + Workspace.DIRECTORY_PROPERTY + "=" + root,
				ServerInAnotherJvm.class.getName()))
			.redirectErrorStream(true)
			.start();
		try {
			Path data = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> awaitReady(jvm));
			ProcessHandle postmaster = ProcessHandle
				.of(Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0)))
				.orElseThrow();
			jvm.destroyForcibly();
			assertThat(jvm.onExit()).succeedsWithin(Duration.ofSeconds(10));
			assertThat(postmaster.onExit()).succeedsWithin(Duration.ofSeconds(15));
			assertThat(data).isDirectory();
			Workspace.open(root, ServerUser.current()).reclaimStale();
			assertThat(data.getParent()).doesNotExist();
		}
		finally {
			jvm.destroyForcibly();
			Workspace.deleteRecursively(root);
		}
	}

	/** Reads the other JVM's output until it names its data directory. */
	private static Path awaitReady(Process jvm) throws Exception {
		BufferedReader reader = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
		StringBuilder output = new StringBuilder();
		String line;
		while ((line = reader.readLine()) != null) {
			if (line.startsWith(READY)) {
				return Path.of(line.substring(READY.length()));
			}
			output.append(line).append('\n');
		}
		throw new AssertionError("The other JVM ended without starting a server:\n" + output);
	}

	/** Starts the embedded server, says where its data is, and waits to be killed. */
	static final class ServerInAnotherJvm {

		public static void main(String[] args) throws InterruptedException {
			EmbeddedPostgresServer server = (EmbeddedPostgresServer) PostgresServer.shared();
			System.out.println(READY + server.dataDirectory());
			System.out.flush();
			Thread.sleep(Long.MAX_VALUE);
		}

	}

}
