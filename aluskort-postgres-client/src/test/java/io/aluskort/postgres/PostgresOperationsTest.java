package io.aluskort.postgres;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public call surface of the client.
 */
class PostgresOperationsTest {

	/**
	 * A {@code notify(String, String)} would overload {@link Object#notify()}: {@code db.notify()} would
	 * compile, and throw {@code IllegalMonitorStateException}.
	 */
	@Test
	void noCallOverloadsAMethodOfObject() throws Exception {
		List<String> objectMethods = Arrays.stream(Object.class.getMethods()).map(Method::getName).toList();
		for (Class<?> type : List.of(PostgresOperations.class, PostgresClient.class, TenantClient.class,
				Transaction.class)) {
			assertThat(Arrays.stream(type.getMethods()).filter((method) -> method.getDeclaringClass() != Object.class))
				.as(type.getSimpleName())
				.noneMatch((method) -> objectMethods.contains(method.getName()) && !isObjectOverride(method));
		}
		assertThat(PostgresOperations.class.getMethod("sendNotification", String.class, String.class)).isNotNull();
	}

	/** equals, hashCode and toString overridden with Object's own signature. */
	private static boolean isObjectOverride(Method method) {
		try {
			Object.class.getMethod(method.getName(), method.getParameterTypes());
			return true;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

}
