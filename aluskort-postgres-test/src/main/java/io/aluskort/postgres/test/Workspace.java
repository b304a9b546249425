package io.aluskort.postgres.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory the harness keeps its files in, {@code ${java.io.tmpdir}/aluskort-postgres-<user>}
 * unless the {@value #DIRECTORY_PROPERTY} system property names another: the extracted binaries,
 * which every JVM shares, and one run directory per server holding its data and log.
 *
 * <p>A run directory is named {@code run-<pid>-<random>} after the JVM that owns it, and records that
 * JVM's start time in an {@value #OWNER_FILE} file. A JVM that is killed leaves its run directory
 * behind; the next JVM to start a server reclaims every directory whose owner is gone: it stops a
 * postmaster that still runs there and deletes the directory. The pid in the name makes this safe
 * against a directory that is still being set up; the start time against a reused pid.
 */
final class Workspace {

	/** System property naming the directory, instead of one under {@code java.io.tmpdir}. */
	static final String DIRECTORY_PROPERTY = "aluskort.test.postgres.dir";

	static final String RUN_PREFIX = "run-";

	static final String TEMP_PREFIX = "tmp-";

	static final String OWNER_FILE = "owner";

	private static final Set<PosixFilePermission> READ_AND_SEARCH = PosixFilePermissions.fromString("rwxr-xr-x");

	private static final Duration POSTMASTER_STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(Workspace.class);

	private final Path root;

	private Workspace(Path root) {
		this.root = root;
	}

	/**
	 * Creates the directory if needed and checks that it is safe to use: owned by this JVM's user, and
	 * searchable all the way down when the server runs as another user.
	 */
	static Workspace open(ServerUser serverUser) throws IOException {
		String configured = System.getProperty(DIRECTORY_PROPERTY);
		Path root = (configured != null && !configured.isBlank()) ? Path.of(configured)
				: Path.of(System.getProperty("java.io.tmpdir"), "aluskort-postgres-" + userName());
		return open(root, serverUser);
	}

	static Workspace open(Path directory, ServerUser serverUser) throws IOException {
		Path root = directory.toAbsolutePath().normalize();
		Files.createDirectories(root);
		// The binaries cached here get executed: never trust a directory another user could have planted.
		int owner = (Integer) Files.getAttribute(root, "unix:uid");
		if (owner != ServerUser.effectiveUid()) {
			throw new IllegalStateException(root + " belongs to another user (uid " + owner
					+ "); choose another directory with -D" + DIRECTORY_PROPERTY);
		}
		Files.setPosixFilePermissions(root, READ_AND_SEARCH);
		if (serverUser.switched()) {
			requireSearchable(root, serverUser);
		}
		return new Workspace(root);
	}

	private static String userName() {
		return System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9._-]", "_");
	}

	private static void requireSearchable(Path root, ServerUser serverUser) throws IOException {
		for (Path directory = root; directory != null; directory = directory.getParent()) {
			if (!Files.getPosixFilePermissions(directory).contains(PosixFilePermission.OTHERS_EXECUTE)) {
				throw new IllegalStateException("PostgreSQL runs as " + serverUser.describe() + ", which cannot reach "
						+ root + " because " + directory + " is not searchable by other users; choose another "
						+ "directory with -D" + DIRECTORY_PROPERTY);
			}
		}
	}

	Path root() {
		return this.root;
	}

	/** A new run directory owned by this JVM, readable and searchable by the server's user. */
	Path createRunDirectory() throws IOException {
		Path directory = createOwnedDirectory(RUN_PREFIX);
		ProcessHandle self = ProcessHandle.current();
		String started = self.info().startInstant().map((instant) -> " " + instant.toEpochMilli()).orElse("");
		Files.writeString(directory.resolve(OWNER_FILE), self.pid() + started + "\n", StandardCharsets.UTF_8);
		return directory;
	}

	/** A new scratch directory, reclaimed like a run directory if this JVM dies before removing it. */
	Path createTempDirectory() throws IOException {
		return createOwnedDirectory(TEMP_PREFIX);
	}

	private Path createOwnedDirectory(String prefix) throws IOException {
		Path directory = Files.createTempDirectory(this.root, prefix + ProcessHandle.current().pid() + "-");
		Files.setPosixFilePermissions(directory, READ_AND_SEARCH);
		return directory;
	}

	/** Stops the servers and deletes the directories of JVMs that are gone. Never fails. */
	void reclaimStale() {
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.root)) {
			for (Path directory : entries) {
				String name = directory.getFileName().toString();
				long ownerPid = ownerPid(name);
				if (ownerPid >= 0 && !ownerAlive(directory, ownerPid)) {
					reclaim(directory, ownerPid);
				}
			}
		}
		catch (IOException ex) {
			logger.warn("Could not look for stale PostgreSQL directories in {}", this.root, ex);
		}
	}

	private static long ownerPid(String name) {
		String rest;
		if (name.startsWith(RUN_PREFIX)) {
			rest = name.substring(RUN_PREFIX.length());
		}
		else if (name.startsWith(TEMP_PREFIX)) {
			rest = name.substring(TEMP_PREFIX.length());
		}
		else {
			return -1;
		}
		int dash = rest.indexOf('-');
		try {
			return (dash > 0) ? Long.parseLong(rest.substring(0, dash)) : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static boolean ownerAlive(Path directory, long pid) {
		Optional<ProcessHandle> owner = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
		if (owner.isEmpty()) {
			return false;
		}
		Long recordedStart = recordedStart(directory);
		Optional<Long> actualStart = owner.get().info().startInstant().map((instant) -> instant.toEpochMilli());
		// Without both start times the pid alone decides, erring on the side of keeping the directory.
		return recordedStart == null || actualStart.isEmpty() || recordedStart.equals(actualStart.get());
	}

	private static @Nullable Long recordedStart(Path directory) {
		try {
			String[] fields = Files.readString(directory.resolve(OWNER_FILE), StandardCharsets.UTF_8).trim().split(" ");
			return (fields.length > 1) ? Long.valueOf(fields[1]) : null;
		}
		catch (IOException | NumberFormatException ex) {
			return null;
		}
	}

	private static void reclaim(Path directory, long ownerPid) {
		try {
			stopOrphanedPostmaster(directory.resolve(EmbeddedPostgresServer.DATA_DIRECTORY));
			deleteRecursively(directory);
			logger.info("Removed {}, left behind by JVM {} which is gone", directory, ownerPid);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not remove {}, left behind by JVM {} which is gone", directory, ownerPid, ex);
		}
	}

	/**
	 * Stops the postmaster that {@code postmaster.pid} names, if that process is still a postgres
	 * serving this data directory (and not an unrelated process that reused the pid).
	 */
	static void stopOrphanedPostmaster(Path dataDirectory) {
		Path pidFile = dataDirectory.resolve("postmaster.pid");
		long pid;
		try {
			List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
			if (lines.isEmpty()) {
				return;
			}
			pid = Long.parseLong(lines.get(0).trim());
		}
		catch (NoSuchFileException ex) {
			return;
		}
		catch (IOException | NumberFormatException ex) {
			logger.debug("Could not read {}", pidFile, ex);
			return;
		}
		Optional<ProcessHandle> postmaster = ProcessHandle.of(pid)
			.filter(ProcessHandle::isAlive)
			.filter((process) -> servesDataDirectory(process, dataDirectory));
		if (postmaster.isEmpty()) {
			return;
		}
		logger.info("Stopping orphaned PostgreSQL server (pid {}) of {}", pid, dataDirectory);
		// SIGTERM is a smart shutdown: the dead JVM's connections are gone, so it stops promptly.
		postmaster.get().destroy();
		if (!awaitExit(postmaster.get(), POSTMASTER_STOP_TIMEOUT)) {
			postmaster.get().destroyForcibly();
			awaitExit(postmaster.get(), POSTMASTER_STOP_TIMEOUT);
		}
	}

	private static boolean servesDataDirectory(ProcessHandle process, Path dataDirectory) {
		ProcessHandle.Info info = process.info();
		boolean postgres = info.command().map((command) -> command.endsWith("/postgres")).orElse(false);
		boolean dataDirectoryArgument = info.arguments()
			.map((arguments) -> Arrays.asList(arguments).contains(dataDirectory.toString()))
			.orElse(false);
		return postgres && dataDirectoryArgument;
	}

	private static boolean awaitExit(ProcessHandle process, Duration timeout) {
		try {
			process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			return !process.isAlive();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return !process.isAlive();
		}
	}

	/** Deletes a directory tree without following symbolic links; a missing tree is fine. */
	static void deleteRecursively(Path root) throws IOException {
		if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		Files.walkFileTree(root, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
				Files.deleteIfExists(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFileFailed(Path file, IOException ex) throws IOException {
				if (ex instanceof NoSuchFileException) {
					return FileVisitResult.CONTINUE;
				}
				throw ex;
			}

			@Override
			public FileVisitResult postVisitDirectory(Path directory, @Nullable IOException ex) throws IOException {
				if (ex != null && !(ex instanceof NoSuchFileException)) {
					throw ex;
				}
				Files.deleteIfExists(directory);
				return FileVisitResult.CONTINUE;
			}

		});
	}

}
