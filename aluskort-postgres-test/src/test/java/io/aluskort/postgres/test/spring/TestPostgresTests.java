package io.aluskort.postgres.test.spring;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TestPostgres} and the context customizer behind
 * {@link AutoConfigureTestPostgres @AutoConfigureTestPostgres}.
 */
class TestPostgresTests {

	private final TestPostgresContextCustomizerFactory factory = new TestPostgresContextCustomizerFactory();

	@Test
	void argumentsPointAtANewDatabase() throws Exception {
		List<String> arguments = Arrays.asList(TestPostgres.arguments("--server.port=0"));
		assertThat(arguments).first().isEqualTo("--server.port=0");
		String url = value(arguments, "--aluskort.postgres.url=");
		assertThat(url).startsWith("jdbc:postgresql://");
		try (Connection connection = DriverManager.getConnection(url, value(arguments, "--aluskort.postgres.username="),
				value(arguments, "--aluskort.postgres.password="))) {
			assertThat(connection.isValid(5)).isTrue();
		}
	}

	@Test
	void argumentsAreLeftAloneWhenAUrlIsGiven() {
		String[] given = { "--aluskort.postgres.url=postgresql://db.internal/prod" };
		assertThat(TestPostgres.arguments(given)).containsExactly(given);
	}

	@Test
	void noCustomizerWithoutTheAnnotation() {
		assertThat(this.factory.createContextCustomizer(TestPostgresTests.class, List.of())).isNull();
	}

	@Test
	void customizersOfTheSameDatabaseHintAreEqualSoTheContextIsShared() {
		assertThat(this.factory.createContextCustomizer(Annotated.class, List.of()))
			.isEqualTo(this.factory.createContextCustomizer(Annotated.class, List.of()))
			.isNotEqualTo(this.factory.createContextCustomizer(Named.class, List.of()));
		assertThat(this.factory.createContextCustomizer(Annotated.Inner.class, List.of())).isNotNull();
	}

	private static String value(List<String> arguments, String prefix) {
		return arguments.stream()
			.filter((argument) -> argument.startsWith(prefix))
			.map((argument) -> argument.substring(prefix.length()))
			.findFirst()
			.orElseThrow();
	}

	@AutoConfigureTestPostgres
	static class Annotated {

		@Nested
		class Inner {

		}

	}

	@AutoConfigureTestPostgres(database = "orders")
	static class Named {

	}

}
