package io.aluskort.postgres.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.aluskort.postgres.PostgresClientConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server this JVM runs from the binaries on the class path, in a run directory of the
 * {@link Workspace}: {@code data/} holds the cluster and the server's log ({@value #LOG_FILE}),
 * {@code initdb.log} what {@code initdb} printed.
 *
 * <p>The server must not outlive the JVM, even one that is killed with {@code SIGKILL} and runs no
 * shutdown hook. So {@code postgres} is not started by {@code pg_ctl}, which detaches it, but as the
 * child of a small shell script ({@link #WATCHDOG}) whose standard input is a pipe from this JVM.
 * The script stops the server (a fast shutdown, {@code SIGINT}) when that pipe closes: when
 * {@link #stop()} closes it, and when the kernel closes it because the JVM died. A shutdown hook
 * stops the server and deletes the run directory on a normal exit; the {@link Workspace} reclaims
 * what a killed JVM leaves behind.
 */
final class EmbeddedPostgresServer extends PostgresServer {

	static final String HOST = "127.0.0.1";

	static final String ADMIN_DATABASE = "postgres";

	static final String DATA_DIRECTORY = "data";

	static final String LOG_FILE = "postgres.log";

	/**
	 * Runs postgres ({@code "$@"}) until this script's standard input closes, then stops it and exits
	 * with its status. If postgres exits by itself, so does the script, so that the JVM sees a failed
	 * start. A background job's standard input is {@code /dev/null}, hence the pipe's copy on fd 3.
	 */
	static final String WATCHDOG = """
			exec 3<&0 </dev/null
			"$@" 3<&- &
			postmaster=$!
			{ read -r line <&3; kill -INT "$postmaster" 2>/dev/null; } &
			watcher=$!
			exec 3<&-
			wait "$postmaster"
			status=$?
			kill "$watcher" 2>/dev/null
			exit "$status"
			""";

	/** Settings for a fast, throwaway server; durability is not needed for test data. */
	private static final String SETTINGS = """

			# Added by aluskort-postgres-test: a throwaway server for tests.
			listen_addresses = '127.0.0.1'
			# No Unix socket: /var/run/postgresql may not exist or be writable.
			unix_socket_directories = ''
			# Several pools of 20 connections may be open at once in one test JVM.
			max_connections = 300
			shared_buffers = 64MB
			fsync = off
			synchronous_commit = off
			full_page_writes = off
			""";

	private static final Duration INITDB_TIMEOUT = Duration.ofSeconds(120);

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration TLS_RELOAD_TIMEOUT = Duration.ofSeconds(10);

	/** Where {@link #enableTls} puts the certificate chain and the key, in the data directory. */
	static final String TLS_CERTIFICATE = "aluskort-server.crt";

	static final String TLS_KEY = "aluskort-server.key";

	private static final int START_ATTEMPTS = 3;

	private static final int LOG_TAIL_LINES = 30;

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

	private final PostgresBinaries binaries;

	private final ServerUser serverUser;

	private final Path runDirectory;

	private final Path dataDirectory;

	private final Path logFile;

	private volatile PostgresClientConfig config;

	private @Nullable Process process;

	private boolean destroyed;

	private EmbeddedPostgresServer(PostgresBinaries binaries, ServerUser serverUser, Path runDirectory) {
		this.binaries = binaries;
		this.serverUser = serverUser;
		this.runDirectory = runDirectory;
		this.dataDirectory = runDirectory.resolve(DATA_DIRECTORY);
		this.logFile = this.dataDirectory.resolve(LOG_FILE);
		this.config = configFor(0);
	}

	/** Starts the server of this JVM, which a shutdown hook stops and deletes. */
	static EmbeddedPostgresServer startShared() {
		EmbeddedPostgresServer server = create(ServerUser.detect());
		Runtime.getRuntime().addShutdownHook(new Thread(server::destroy, "aluskort-postgres-shutdown"));
		return server;
	}

	/** Reclaims what dead JVMs left behind, then creates, initializes and starts a new server. */
	static EmbeddedPostgresServer create(ServerUser serverUser) {
		long started = System.nanoTime();
		EmbeddedPostgresServer server;
		try {
			Workspace workspace = Workspace.open(serverUser);
			workspace.reclaimStale();
			PostgresBinaries binaries = PostgresBinaries.install(workspace);
			server = new EmbeddedPostgresServer(binaries, serverUser, workspace.createRunDirectory());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not prepare the embedded PostgreSQL server", ex);
		}
		try {
			server.initialize();
			server.startOnFreePort();
		}
		catch (RuntimeException ex) {
			server.destroy();
			throw ex;
		}
		logger.info("Started PostgreSQL on {}:{} as {} in {} ms (data: {})", HOST, server.port(),
				serverUser.describe(), (System.nanoTime() - started) / 1_000_000, server.dataDirectory);
		return server;
	}

	private static PostgresClientConfig configFor(int port) {
		return PostgresClientConfig.builder()
			.host(HOST)
			// The builder wants a valid port even before one is chosen.
			.port((port != 0) ? port : PostgresClientConfig.DEFAULT_PORT)
			.database(ADMIN_DATABASE)
			.user(EMBEDDED_USER)
			.password(EMBEDDED_PASSWORD)
			.build();
	}

	/** Creates the cluster with {@code initdb}, as the server's user. */
	private void initialize() {
		Path passwordFile = this.runDirectory.resolve("password");
		try {
			Files.createDirectory(this.dataDirectory, PosixFilePermissions.asFileAttribute(
					PosixFilePermissions.fromString("rwx------")));
			this.serverUser.own(this.dataDirectory);
			// initdb reads the password from a file that only the server's user can read.
			Files.writeString(passwordFile, EMBEDDED_PASSWORD + "\n", StandardCharsets.UTF_8);
			Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
			this.serverUser.own(passwordFile);
			Path initdbLog = this.runDirectory.resolve("initdb.log");
			List<String> command = List.of(this.binaries.initdb().toString(), "--pgdata=" + this.dataDirectory,
					"--username=" + EMBEDDED_USER, "--pwfile=" + passwordFile, "--auth=scram-sha-256",
					"--encoding=UTF8", "--no-locale", "--no-sync", "--no-instructions");
			Process initdb = new ProcessBuilder(this.serverUser.command(command)).directory(this.runDirectory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(initdbLog.toFile())
				.start();
			initdb.getOutputStream().close();
			if (!initdb.waitFor(INITDB_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				initdb.destroyForcibly();
				throw new IllegalStateException("initdb did not finish within " + INITDB_TIMEOUT.toSeconds()
						+ " s; its output ends with:\n" + tail(initdbLog, 0));
			}
			if (initdb.exitValue() != 0) {
				throw new IllegalStateException("initdb failed with exit status " + initdb.exitValue()
						+ "; its output ends with:\n" + tail(initdbLog, 0));
			}
			Files.writeString(this.dataDirectory.resolve("postgresql.conf"), SETTINGS, StandardCharsets.UTF_8,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not initialize a PostgreSQL cluster in " + this.dataDirectory, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while initializing PostgreSQL", ex);
		}
		finally {
			deleteQuietly(passwordFile);
		}
	}

	/** Starts on a free port, trying another if something else takes the port before postgres does. */
	private synchronized void startOnFreePort() {
		for (int attempt = 1;; attempt++) {
			this.config = configFor(freePort());
			try {
				startProcess();
				return;
			}
			catch (PortInUseException ex) {
				if (attempt == START_ATTEMPTS) {
					throw ex;
				}
				logger.debug("Port {} was taken before PostgreSQL could listen on it; trying another", port());
			}
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free port on " + HOST, ex);
		}
	}

	@Override
	public boolean controllable() {
		return true;
	}

	@Override
	public synchronized void start() {
		if (this.destroyed) {
			throw new IllegalStateException("The embedded PostgreSQL server has been shut down with the JVM");
		}
		if (this.process != null && this.process.isAlive()) {
			return;
		}
		long started = System.nanoTime();
		startProcess();
		logger.info("Started PostgreSQL on {}:{} in {} ms", HOST, port(), (System.nanoTime() - started) / 1_000_000);
	}

	private void startProcess() {
		long logOffset = size(this.logFile);
		List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", WATCHDOG, "aluskort-postgres-watchdog"));
		command.addAll(List.of(this.binaries.postgres().toString(), "-D", this.dataDirectory.toString(), "-p",
				Integer.toString(port())));
		Process process;
		try {
			// The JVM opens the log, so the server's user needs no right to create files in the run directory.
			process = new ProcessBuilder(this.serverUser.command(command)).directory(this.runDirectory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(Redirect.appendTo(this.logFile.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + this.binaries.postgres(), ex);
		}
		this.process = process;
		try {
			awaitAcceptingConnections(process, logOffset);
		}
		catch (RuntimeException ex) {
			stopProcess();
			throw ex;
		}
	}

	private void awaitAcceptingConnections(Process process, long logOffset) {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		@Nullable SQLException lastFailure = null;
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				String log = tail(this.logFile, logOffset);
				String message = "PostgreSQL exited with status " + process.exitValue() + " while starting on port "
						+ port() + "; its log (" + this.logFile + ") ends with:\n" + log;
				throw (log.contains("could not bind") || log.contains("Address already in use"))
						? new PortInUseException(message) : new IllegalStateException(message);
			}
			try (Connection connection = connectAdmin()) {
				return;
			}
			catch (SQLException ex) {
				// Refused until it listens, then 57P03 ("the database system is starting up").
				lastFailure = ex;
			}
			sleep(Duration.ofMillis(50));
		}
		throw new IllegalStateException("PostgreSQL did not accept connections on port " + port() + " within "
				+ START_TIMEOUT.toSeconds() + " s; its log (" + this.logFile + ") ends with:\n"
				+ tail(this.logFile, logOffset), lastFailure);
	}

	@Override
	public synchronized void stop() {
		if (this.process != null) {
			long started = System.nanoTime();
			stopProcess();
			logger.info("Stopped PostgreSQL on {}:{} in {} ms", HOST, port(), (System.nanoTime() - started) / 1_000_000);
		}
	}

	@Override
	public synchronized void restart() {
		stop();
		start();
	}

	@Override
	public synchronized void enableTls(String certificateChainPem, String privateKeyPem) {
		ensureRunning();
		try {
			writeServerFile(TLS_CERTIFICATE, certificateChainPem);
			// PostgreSQL refuses a key that others than its owner may read.
			writeServerFile(TLS_KEY, privateKeyPem);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the TLS certificate and key to " + this.dataDirectory, ex);
		}
		long logOffset = size(this.logFile);
		reloadWith("ALTER SYSTEM SET ssl_cert_file = '" + TLS_CERTIFICATE + "'",
				"ALTER SYSTEM SET ssl_key_file = '" + TLS_KEY + "'", "ALTER SYSTEM SET ssl = on");
		awaitTls(true, logOffset);
	}

	@Override
	public synchronized void disableTls() {
		ensureRunning();
		long logOffset = size(this.logFile);
		reloadWith("ALTER SYSTEM RESET ssl", "ALTER SYSTEM RESET ssl_cert_file", "ALTER SYSTEM RESET ssl_key_file");
		awaitTls(false, logOffset);
	}

	private void writeServerFile(String name, String content) throws IOException {
		Path file = this.dataDirectory.resolve(name);
		Files.deleteIfExists(file);
		Files.writeString(file, content, StandardCharsets.UTF_8);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		this.serverUser.own(file);
	}

	private void reloadWith(String... statements) {
		try (Connection connection = connectAdmin(); Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
			statement.execute("SELECT pg_reload_conf()");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not change the TLS settings of " + describe(), ex);
		}
	}

	/** The reload is a signal the postmaster handles in its own time: wait until new connections see it. */
	private void awaitTls(boolean enabled, long logOffset) {
		long deadline = System.nanoTime() + TLS_RELOAD_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (tlsOffered() == enabled) {
				return;
			}
			sleep(Duration.ofMillis(50));
		}
		throw new IllegalStateException("PostgreSQL did not turn TLS " + (enabled ? "on" : "off") + " within "
				+ TLS_RELOAD_TIMEOUT.toSeconds() + " s; its log (" + this.logFile + ") ends with:\n"
				+ tail(this.logFile, logOffset));
	}

	private boolean tlsOffered() {
		Properties properties = connectionProperties();
		properties.setProperty("sslmode", "require");
		properties.setProperty("socketTimeout", "10");
		try (Connection connection = DriverManager.getConnection(jdbcUrl(ADMIN_DATABASE), properties)) {
			return true;
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/** Closes the watchdog's pipe, which makes it stop postgres, and waits for both to end. */
	private void stopProcess() {
		Process process = this.process;
		if (process == null) {
			return;
		}
		this.process = null;
		try {
			process.getOutputStream().close();
			if (process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				return;
			}
			logger.warn("PostgreSQL did not stop within {} s; killing it", STOP_TIMEOUT.toSeconds());
		}
		catch (IOException ex) {
			logger.warn("Could not signal PostgreSQL to stop; killing it", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		postmaster().ifPresent(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	/** The running postmaster, from {@code postmaster.pid}. */
	Optional<ProcessHandle> postmaster() {
		try {
			List<String> lines = Files.readAllLines(this.dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
			return lines.isEmpty() ? Optional.empty()
					: ProcessHandle.of(Long.parseLong(lines.get(0).trim())).filter(ProcessHandle::isAlive);
		}
		catch (IOException | NumberFormatException ex) {
			return Optional.empty();
		}
	}

	Path dataDirectory() {
		return this.dataDirectory;
	}

	PostgresBinaries binaries() {
		return this.binaries;
	}

	ServerUser serverUser() {
		return this.serverUser;
	}

	/** Stops the server for good and deletes its files; the shutdown hook. */
	synchronized void destroy() {
		this.destroyed = true;
		stopProcess();
		try {
			Workspace.deleteRecursively(this.runDirectory);
		}
		catch (IOException ex) {
			logger.warn("Could not delete {}", this.runDirectory, ex);
		}
	}

	@Override
	PostgresClientConfig adminConfig() {
		return this.config;
	}

	@Override
	synchronized void ensureRunning() {
		if (this.process == null || !this.process.isAlive()) {
			logger.warn("The embedded PostgreSQL server was stopped (a test did not start it again); starting it");
			start();
		}
	}

	@Override
	String describe() {
		return "the embedded PostgreSQL server on " + HOST + ":" + port();
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			return 0;
		}
	}

	/** The last lines of a log, from an offset on, for exception messages. */
	static String tail(Path log, long offset) {
		try (SeekableByteChannel channel = Files.newByteChannel(log)) {
			long start = Math.max(offset, channel.size() - 16 * 1024);
			ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(0, channel.size() - start));
			channel.position(start);
			while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
				// read to the end
			}
			List<String> lines = List.of(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8)
				.split("\n"));
			return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
		}
		catch (NoSuchFileException ex) {
			return "(no log)";
		}
		catch (IOException ex) {
			return "(log unreadable: " + ex + ")";
		}
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.debug("Could not delete {}", file, ex);
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for PostgreSQL to start", ex);
		}
	}

	/** Postgres could not listen on the port it was given: another process took it first. */
	private static final class PortInUseException extends IllegalStateException {

		PortInUseException(String message) {
			super(message);
		}

	}

}
