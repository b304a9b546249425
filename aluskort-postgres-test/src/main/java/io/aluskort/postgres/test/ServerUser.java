package io.aluskort.postgres.test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The operating-system user that runs {@code initdb} and {@code postgres}.
 *
 * <p>PostgreSQL refuses to run as root, and CI containers often build as root. Then the server runs
 * as an unprivileged user ({@code nobody} unless the {@value #OS_USER_PROPERTY} system property
 * names another) through {@code setpriv}, or {@code runuser} where {@code setpriv} is missing, and the
 * files it writes are handed to that user. As any other user the programs run directly.
 */
final class ServerUser {

	/** System property naming the user to run PostgreSQL as when the JVM runs as root. */
	static final String OS_USER_PROPERTY = "aluskort.test.postgres.os-user";

	private static final String DEFAULT_OS_USER = "nobody";

	private final @Nullable String name;

	private final int uid;

	private final int gid;

	private final List<String> commandPrefix;

	private ServerUser(@Nullable String name, int uid, int gid, List<String> commandPrefix) {
		this.name = name;
		this.uid = uid;
		this.gid = gid;
		this.commandPrefix = commandPrefix;
	}

	/** The JVM's own user, or an unprivileged one when the JVM runs as root. */
	static ServerUser detect() {
		int effectiveUid = effectiveUid();
		if (effectiveUid != 0) {
			return current();
		}
		String name = System.getProperty(OS_USER_PROPERTY, DEFAULT_OS_USER);
		int uid = idOf(name, "-u");
		int gid = idOf(name, "-g");
		if (uid == 0) {
			throw new IllegalStateException("The JVM runs as root and PostgreSQL must not: user '" + name
					+ "' (system property " + OS_USER_PROPERTY + ") is root too");
		}
		return new ServerUser(name, uid, gid, switchUserCommand(name, uid, gid));
	}

	/** The JVM's own user, even root: for work that does not run PostgreSQL. */
	static ServerUser current() {
		return new ServerUser(null, effectiveUid(), -1, List.of());
	}

	private static List<String> switchUserCommand(String name, int uid, int gid) {
		String setpriv = findExecutable("setpriv");
		if (setpriv != null) {
			// --clear-groups drops root's supplementary groups, which would otherwise stay with the server.
			return List.of(setpriv, "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--");
		}
		String runuser = findExecutable("runuser");
		if (runuser != null) {
			return List.of(runuser, "-u", name, "--");
		}
		throw new IllegalStateException("The JVM runs as root, and PostgreSQL refuses to: install setpriv or "
				+ "runuser (util-linux) so that it can run as '" + name + "', or run the build as another user");
	}

	/** Whether PostgreSQL runs as another user than the JVM. */
	boolean switched() {
		return this.name != null;
	}

	/** The user id the server processes run with. */
	int uid() {
		return this.uid;
	}

	/** Describes the user for log messages. */
	String describe() {
		return (this.name != null) ? this.name + " (uid " + this.uid + ")" : "the current user (uid " + this.uid + ")";
	}

	/** The command that runs the given one as this user. */
	List<String> command(List<String> command) {
		List<String> result = new ArrayList<>(this.commandPrefix);
		result.addAll(command);
		return result;
	}

	/** Hands a file the JVM created to this user, so that the server may write it. */
	void own(Path path) throws IOException {
		if (switched()) {
			Files.setAttribute(path, "unix:uid", this.uid);
			Files.setAttribute(path, "unix:gid", this.gid);
		}
	}

	/** The effective user id of this JVM, from {@code /proc/self/status}. */
	static int effectiveUid() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
				if (line.startsWith("Uid:")) {
					// Real, effective, saved and filesystem uid, in that order.
					return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Not Linux, or /proc is not mounted: ask id(1) instead.
		}
		return Integer.parseInt(run(List.of("id", "-u")));
	}

	private static int idOf(String user, String option) {
		try {
			return Integer.parseInt(run(List.of("id", option, user)));
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("The JVM runs as root and PostgreSQL must not, but there is no user '"
					+ user + "' to run it as; name another with -D" + OS_USER_PROPERTY, ex);
		}
	}

	private static String run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getOutputStream().close();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException(String.join(" ", command) + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(String.join(" ", command) + " was interrupted", ex);
		}
	}

	private static @Nullable String findExecutable(String name) {
		List<String> directories = new ArrayList<>();
		String path = System.getenv("PATH");
		if (path != null) {
			directories.addAll(List.of(path.split(File.pathSeparator)));
		}
		// A root shell's PATH may lack the sbin directories, where runuser lives.
		directories.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
		for (String directory : directories) {
			if (directory.isEmpty()) {
				continue;
			}
			Path candidate = Path.of(directory, name);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		return null;
	}

}
