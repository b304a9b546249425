package io.aluskort.postgres.autoconfigure;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.aluskort.postgres.PasswordShapes;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

import static io.aluskort.postgres.PasswordShapes.assertNoPieceOf;
import static io.aluskort.postgres.PasswordShapes.encoded;
import static io.aluskort.postgres.PasswordShapes.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Startup failures of {@link AluskortPostgresAutoConfiguration} and how the failure analyzers explain
 * them: the property is named, the fix is said, the password never shows.
 */
class FailureAnalyzersTests {

	private static final String SECRET = "hunter2-very-secret";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AluskortPostgresAutoConfiguration.class));

	@Test
	void minSizeAboveMaxSize() {
		FailureAnalysis analysis = invalid("aluskort.postgres.pool.min-size=30");
		assertThat(analysis.getDescription()).contains("'aluskort.postgres.pool.min-size'")
			.contains("'30'")
			.contains("pool.min-size (30) must not be greater than pool.max-size (20)");
		assertThat(analysis.getAction()).contains("aluskort.postgres.pool.min-size").contains("default (5)");
	}

	@Test
	void nonPositiveStatementTimeout() {
		FailureAnalysis analysis = invalid("aluskort.postgres.statement-timeout=0s");
		assertThat(analysis.getDescription()).contains("'aluskort.postgres.statement-timeout'")
			.contains("'0s'")
			.contains("must be positive");
		assertThat(analysis.getAction()).contains("default (30s)");
	}

	@Test
	void portOutOfRange() {
		FailureAnalysis analysis = invalid("aluskort.postgres.port=70000");
		assertThat(analysis.getDescription()).contains("'aluskort.postgres.port'")
			.contains("must be between 1 and 65535");
	}

	@Test
	void acquireTimeoutTooShort() {
		assertThat(invalid("aluskort.postgres.pool.acquire-timeout=100ms").getDescription())
			.contains("'aluskort.postgres.pool.acquire-timeout'")
			.contains("must be at least");
	}

	@Test
	void everyValidationNamesItsProperty() {
		assertThat(invalid("aluskort.postgres.pool.max-size=0").getDescription()).contains("aluskort.postgres.pool.max-size");
		assertThat(invalid("aluskort.postgres.pool.min-size=-1").getDescription()).contains("aluskort.postgres.pool.min-size");
		assertThat(invalid("aluskort.postgres.pool.max-lifetime=1s").getDescription()).contains("aluskort.postgres.pool.max-lifetime");
		assertThat(invalid("aluskort.postgres.pool.idle-timeout=1s").getDescription()).contains("aluskort.postgres.pool.idle-timeout");
		assertThat(invalid("aluskort.postgres.connect-timeout=0s").getDescription()).contains("aluskort.postgres.connect-timeout");
		assertThat(invalid("aluskort.postgres.health.timeout=0s").getDescription()).contains("aluskort.postgres.health.timeout");
		assertThat(invalid("aluskort.postgres.shutdown-timeout=-1s").getDescription()).contains("aluskort.postgres.shutdown-timeout");
		assertThat(invalid("aluskort.postgres.host= ").getDescription()).contains("aluskort.postgres.host");
		assertThat(invalid("aluskort.postgres.username= ").getDescription()).contains("aluskort.postgres.username");
	}

	@Test
	void everyTenantValidationNamesItsProperty() {
		FailureAnalysis setting = invalid("aluskort.postgres.tenant.setting=tenant_id");
		assertThat(setting.getDescription()).contains("'aluskort.postgres.tenant.setting'")
			.contains("tenant.setting ('tenant_id') must be a two-part name");
		assertThat(setting.getAction()).contains("default (aluskort.tenant_id)");
		assertThat(invalid("aluskort.postgres.tenant.id-pattern=[a-z").getDescription())
			.contains("'aluskort.postgres.tenant.id-pattern'");
		assertThat(invalid("aluskort.postgres.tenant.max-id-length=0").getAction()).contains("default (64)");
		assertThat(invalid("aluskort.postgres.tenant.required=true").getDescription())
			.contains("'aluskort.postgres.tenant.tables'")
			.contains("when tenant.required is true");
	}

	@Test
	void defaultsInTheActionAreWrittenAsProperties() {
		assertThat(invalid("aluskort.postgres.pool.max-lifetime=1s").getAction()).contains("default (30m)");
		assertThat(invalid("aluskort.postgres.pool.acquire-timeout=100ms").getAction()).contains("default (30s)");
		assertThat(invalid("aluskort.postgres.pool.leak-detection-threshold=1s").getAction()).contains("default (0s)");
		assertThat(invalid("aluskort.postgres.socket-timeout=1s").getAction()).doesNotContain("default");
	}

	@Test
	void malformedUrlIsShownWithItsPasswordMasked() {
		FailureAnalysis analysis = invalid("aluskort.postgres.url=mysql://svc:" + SECRET + "@db.internal/alerts");
		assertThat(analysis.getDescription()).contains("'aluskort.postgres.url'")
			.contains("mysql://svc:******@db.internal/alerts")
			.doesNotContain(SECRET);
		assertThat(analysis.getAction()).contains("postgresql://");
	}

	@Test
	void unknownSslModeInTheUrl() {
		FailureAnalysis analysis = invalid(
				"aluskort.postgres.url=postgresql://svc:" + SECRET + "@db.internal/alerts?sslmode=sometimes");
		assertThat(analysis.getDescription()).contains("'aluskort.postgres.url'").contains("sslmode").doesNotContain(SECRET);
	}

	@Test
	void invalidConnectionDetailsNameTheirBean() {
		JdbcConnectionDetails details = new JdbcConnectionDetails() {

			@Override
			public String getJdbcUrl() {
				return "jdbc:postgresql://container:99999/test";
			}

			@Override
			public @Nullable String getUsername() {
				return "test";
			}

			@Override
			public @Nullable String getPassword() {
				return SECRET;
			}

		};
		this.runner.withBean(JdbcConnectionDetails.class, () -> details).run((context) -> {
			FailureAnalysis analysis = new InvalidPostgresPropertyFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("JdbcConnectionDetails").doesNotContain(SECRET);
			assertThat(analysis.getAction()).contains("JdbcConnectionDetails");
		});
	}

	@Test
	void unreachableServerNamesHostPortDatabaseAndUserButNotThePassword() throws IOException {
		int port = closedPort();
		this.runner
			.withPropertyValues("aluskort.postgres.host=127.0.0.1", "aluskort.postgres.port=" + port,
					"aluskort.postgres.database=alerts", "aluskort.postgres.username=svc",
					"aluskort.postgres.password=" + SECRET, "aluskort.postgres.connect-timeout=2s")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				FailureAnalysis analysis = new PostgresConnectionFailureAnalyzer().analyze(failure);
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("127.0.0.1:" + port + "/alerts")
					.contains("'svc'")
					.contains("aluskort.postgres.host, aluskort.postgres.port and aluskort.postgres.database")
					.doesNotContain(SECRET);
				assertThat(analysis.getAction()).contains("aluskort.postgres.enabled=false").doesNotContain(SECRET);
				assertThat(stackTrace(failure)).doesNotContain(SECRET);
			});
	}

	@Test
	void unreachableServerOfAUrlWithAPassword() throws IOException {
		int port = closedPort();
		this.runner
			.withPropertyValues("aluskort.postgres.url=postgresql://svc:" + SECRET + "@127.0.0.1:" + port + "/alerts")
			.run((context) -> {
				Throwable failure = context.getStartupFailure();
				FailureAnalysis analysis = new PostgresConnectionFailureAnalyzer().analyze(failure);
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("127.0.0.1:" + port + "/alerts")
					.contains("configured by aluskort.postgres.url")
					.doesNotContain(SECRET);
				assertThat(stackTrace(failure)).doesNotContain(SECRET);
			});
	}

	@ParameterizedTest
	@MethodSource("io.aluskort.postgres.PasswordShapes#reserved")
	void unreachableServerWithEveryShapeOfPassword(String password) throws IOException {
		int port = closedPort();
		String target = "@127.0.0.1:" + port + "/alerts";
		assertConnectionFailureHidesThePassword(password,
				"aluskort.postgres.url=postgresql://svc:" + raw(password) + target);
		assertConnectionFailureHidesThePassword(password,
				"aluskort.postgres.url=postgresql://svc:" + encoded(password) + target);
		assertConnectionFailureHidesThePassword(password, "aluskort.postgres.host=127.0.0.1",
				"aluskort.postgres.port=" + port, "aluskort.postgres.database=alerts", "aluskort.postgres.username=svc",
				"aluskort.postgres.password=" + password);
	}

	@ParameterizedTest
	@MethodSource("io.aluskort.postgres.PasswordShapes#passwords")
	void invalidUrlWithEveryShapeOfPassword(String password) {
		FailureAnalysis analysis = invalid(
				"aluskort.postgres.url=postgresql://svc:" + raw(password) + "@db.internal:port/alerts");
		assertThat(analysis.getDescription()).contains("'aluskort.postgres.url'")
			.contains("postgresql://svc:******@db.internal:port/alerts")
			.contains("port is not a number");
		assertNoPieceOf(password, analysis.getDescription() + analysis.getAction() + stackTrace(analysis.getCause()));
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void startupReportOfAnUnreachableServerShowsNoPieceOfThePassword(CapturedOutput output) throws IOException {
		String password = PasswordShapes.EVERY;
		String target = "@127.0.0.1:" + closedPort() + "/alerts";
		for (String url : List.of("postgresql://svc:" + raw(password) + target,
				"postgresql://svc:" + encoded(password) + target)) {
			SpringApplication application = new SpringApplicationBuilder(PostgresOnlyApplication.class)
				.web(WebApplicationType.NONE)
				.properties(Map.of("aluskort.postgres.url", url, "aluskort.postgres.connect-timeout", "2s"))
				.build();
			assertThatException().isThrownBy(application::run);
		}
		assertThat(output).contains("APPLICATION FAILED TO START").contains("could not connect to PostgreSQL at 127.0.0.1:");
		assertNoPieceOf(password, output.toString());
	}

	private void assertConnectionFailureHidesThePassword(String password, String... properties) {
		this.runner.withPropertyValues(properties)
			.withPropertyValues("aluskort.postgres.connect-timeout=2s")
			.run((context) -> {
				Throwable failure = context.getStartupFailure();
				FailureAnalysis analysis = new PostgresConnectionFailureAnalyzer().analyze(failure);
				assertThat(analysis).as("analysis of %s", failure).isNotNull();
				assertThat(analysis.getDescription()).contains("127.0.0.1:").contains("/alerts").contains("'svc'");
				assertNoPieceOf(password, analysis.getDescription() + analysis.getAction() + stackTrace(failure));
			});
	}

	@Test
	void analyzersAreRegistered() throws IOException {
		List<String> analyzers = new ArrayList<>();
		for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
			Properties properties = PropertiesLoaderUtils.loadProperties(new UrlResource(url));
			String value = properties.getProperty("org.springframework.boot.diagnostics.FailureAnalyzer", "");
			for (String name : value.split(",")) {
				analyzers.add(name.trim());
			}
		}
		assertThat(analyzers).contains(InvalidPostgresPropertyFailureAnalyzer.class.getName(),
				PostgresConnectionFailureAnalyzer.class.getName());
	}

	private FailureAnalysis invalid(String... properties) {
		List<FailureAnalysis> result = new ArrayList<>();
		this.runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new InvalidPostgresPropertyFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
			result.add(analysis);
		});
		return result.get(0);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(AluskortPostgresAutoConfiguration.class)
	static class PostgresOnlyApplication {

	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static String stackTrace(Throwable failure) {
		StringWriter writer = new StringWriter();
		failure.printStackTrace(new PrintWriter(writer));
		return writer.toString();
	}

}
