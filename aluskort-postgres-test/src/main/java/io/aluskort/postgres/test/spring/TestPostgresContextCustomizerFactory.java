package io.aluskort.postgres.test.spring;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Finds {@link AutoConfigureTestPostgres @AutoConfigureTestPostgres} on a test class (or an enclosing
 * class of a {@code @Nested} one). Registered in {@code META-INF/spring.factories}.
 */
class TestPostgresContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		AutoConfigureTestPostgres annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				AutoConfigureTestPostgres.class);
		if (annotation == null) {
			return null;
		}
		String hint = annotation.database().isBlank() ? testClass.getSimpleName() : annotation.database();
		return new TestPostgresContextCustomizer(hint);
	}

}
