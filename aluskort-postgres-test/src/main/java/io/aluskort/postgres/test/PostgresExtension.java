package io.aluskort.postgres.test;

import io.aluskort.postgres.PostgresClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit Jupiter extension behind {@link PostgresTest @PostgresTest}: creates a database for each
 * test class and resolves {@link PostgresDatabase}, {@link PostgresClient} and {@link PostgresServer}
 * parameters. Use the annotation rather than this class.
 *
 * <p>The database and client live in the class's extension store, so JUnit closes them when the
 * class is done, after its {@code @AfterAll} methods: the client first, then the database is
 * dropped. A {@code @Nested} class finds its enclosing class's entry in the store and shares it.
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {

	/** The pool's idle size for injected clients: one, so that many test classes do not crowd the server. */
	static final int CLIENT_MIN_SIZE = 1;

	private static final Namespace NAMESPACE = Namespace.create(PostgresExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		// Create the database up front, so that a server that cannot start fails the class, not its first test.
		classDatabase(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return type == PostgresDatabase.class || type == PostgresClient.class || type == PostgresServer.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		ClassDatabase classDatabase = classDatabase(extensionContext);
		Class<?> type = parameterContext.getParameter().getType();
		if (type == PostgresClient.class) {
			return classDatabase.client();
		}
		if (type == PostgresServer.class) {
			return classDatabase.database.server();
		}
		return classDatabase.database;
	}

	/**
	 * The class's database, created on first use: in {@code beforeAll}, or earlier when a
	 * {@code PER_CLASS} test instance is constructed.
	 */
	private static ClassDatabase classDatabase(ExtensionContext context) {
		ExtensionContext classContext = context;
		while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
			classContext = classContext.getParent().get();
		}
		Class<?> testClass = classContext.getRequiredTestClass();
		// The store looks in the enclosing classes' stores first: nested classes share their database.
		return classContext.getStore(NAMESPACE)
			.computeIfAbsent(ClassDatabase.class, (key) -> new ClassDatabase(testClass), ClassDatabase.class);
	}

	/** A test class's database and, once asked for, its client. JUnit closes it with the class. */
	private static final class ClassDatabase implements AutoCloseable {

		private final PostgresDatabase database;

		private @Nullable PostgresClient client;

		ClassDatabase(Class<?> testClass) {
			this.database = PostgresServer.shared().createDatabase(testClass.getSimpleName());
		}

		synchronized PostgresClient client() {
			PostgresClient client = this.client;
			if (client == null) {
				client = new PostgresClient(this.database.clientConfig().minSize(CLIENT_MIN_SIZE).build());
				client.connect();
				this.client = client;
			}
			return client;
		}

		@Override
		public synchronized void close() {
			try {
				if (this.client != null) {
					this.client.close();
				}
			}
			finally {
				this.database.server().dropDatabase(this.database.name());
			}
		}

	}

}
