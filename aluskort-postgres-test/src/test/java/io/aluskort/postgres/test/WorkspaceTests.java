package io.aluskort.postgres.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reclaiming what killed JVMs leave behind, without touching what live ones use.
 */
class WorkspaceTests {

	@TempDir
	Path root;

	private Workspace workspace;

	@BeforeEach
	void openWorkspace() throws IOException {
		this.workspace = Workspace.open(this.root, ServerUser.current());
	}

	@Test
	void reclaimsTheDirectoriesOfJvmsThatAreGoneOnly() throws Exception {
		long deadPid = deadPid();
		Path deadRun = Files.createDirectories(this.root.resolve("run-" + deadPid + "-1").resolve("data"));
		Path deadScratch = Files.createDirectories(this.root.resolve("tmp-" + deadPid + "-2"));
		Path ownRun = this.workspace.createRunDirectory();
		Path ownScratch = this.workspace.createTempDirectory();
		Path binaries = Files.createDirectories(this.root.resolve("binaries-0123456789abcdef"));
		Path unrelated = Files.createDirectories(this.root.resolve("run-not-a-pid"));
		this.workspace.reclaimStale();
		assertThat(deadRun.getParent()).doesNotExist();
		assertThat(deadScratch).doesNotExist();
		assertThat(ownRun).isDirectory();
		assertThat(ownScratch).isDirectory();
		assertThat(binaries).isDirectory();
		assertThat(unrelated).isDirectory();
	}

	@Test
	void reclaimsADirectoryWhoseOwnerPidWasReusedByAnotherProcess() throws Exception {
		long pid = ProcessHandle.current().pid();
		Path run = Files.createDirectories(this.root.resolve("run-" + pid + "-3"));
		// The pid is alive, but it started at another time than the directory's owner did.
		Files.writeString(run.resolve(Workspace.OWNER_FILE), pid + " 12345\n");
		this.workspace.reclaimStale();
		assertThat(run).doesNotExist();
	}

	@Test
	void stopsTheOrphanedPostmasterOfAJvmThatIsGone() throws Exception {
		// A stand-in postmaster: a shell named postgres whose arguments name the data directory.
		Path postgres = Files.createDirectories(this.root.resolve("bin")).resolve("postgres");
		Files.copy(Path.of("/bin/sh"), postgres, StandardCopyOption.COPY_ATTRIBUTES);
		Files.setPosixFilePermissions(postgres, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path data = Files.createDirectories(this.root.resolve("run-" + deadPid() + "-4").resolve("data"));
		Process postmaster = new ProcessBuilder(postgres.toString(), "-c", "while :; do sleep 0.1; done",
				data.toString())
			.start();
		try {
			Files.writeString(data.resolve("postmaster.pid"), postmaster.pid() + "\n" + data + "\n");
			this.workspace.reclaimStale();
			assertThat(postmaster.onExit()).succeedsWithin(Duration.ofSeconds(5));
			assertThat(data.getParent()).doesNotExist();
		}
		finally {
			postmaster.destroyForcibly();
		}
	}

	@Test
	void leavesAProcessAloneThatMerelyReusedThePostmasterPid() throws Exception {
		Process bystander = new ProcessBuilder("sleep", "30").start();
		try {
			Path data = Files.createDirectories(this.root.resolve("run-" + deadPid() + "-5").resolve("data"));
			Files.writeString(data.resolve("postmaster.pid"), bystander.pid() + "\n" + data + "\n");
			this.workspace.reclaimStale();
			assertThat(data.getParent()).doesNotExist();
			assertThat(bystander.isAlive()).isTrue();
		}
		finally {
			bystander.destroyForcibly();
		}
	}

	@Test
	void refusesADirectoryThatAnotherUserOwns() throws Exception {
		assumeTrue(ServerUser.effectiveUid() == 0, "only root can give a directory away");
		Path planted = Files.createDirectories(this.root.resolve("planted"));
		Files.setAttribute(planted, "unix:uid", 65534);
		assertThatIllegalStateException()
			.isThrownBy(() -> Workspace.open(planted, ServerUser.current()))
			.withMessageContaining(Workspace.DIRECTORY_PROPERTY);
	}

	/** The pid of a process that has exited. */
	static long deadPid() throws Exception {
		Process process = new ProcessBuilder("true").start();
		process.waitFor();
		return process.pid();
	}

}
