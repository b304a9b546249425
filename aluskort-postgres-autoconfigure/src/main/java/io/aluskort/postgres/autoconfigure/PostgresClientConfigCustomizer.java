package io.aluskort.postgres.autoconfigure;

import io.aluskort.postgres.PostgresClientConfig;

/**
 * Changes the {@link PostgresClientConfig} the auto-configuration builds from
 * {@code aluskort.postgres.*}, after the properties have been applied and before the config is
 * checked. Beans of this type are applied in order.
 */
@FunctionalInterface
public interface PostgresClientConfigCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder, with the properties applied
	 */
	void customize(PostgresClientConfig.Builder builder);

}
