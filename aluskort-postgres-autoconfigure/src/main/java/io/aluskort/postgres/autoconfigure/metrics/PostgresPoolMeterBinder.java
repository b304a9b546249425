package io.aluskort.postgres.autoconfigure.metrics;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.aluskort.postgres.PostgresClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Binds HikariCP's own meters ({@code hikaricp.connections.*}, tagged {@code pool=aluskort-postgres})
 * for the client's pool. Spring Boot's JDBC module does the same for {@code DataSource} beans; whichever
 * comes first binds the pool, the other leaves it alone, so the meters exist whether or not the pool
 * is exposed as a {@code DataSource} and whether or not that module is present.
 */
class PostgresPoolMeterBinder implements MeterBinder {

	private static final Logger logger = LoggerFactory.getLogger(PostgresPoolMeterBinder.class);

	private final ObjectProvider<PostgresClient> clients;

	PostgresPoolMeterBinder(ObjectProvider<PostgresClient> clients) {
		this.clients = clients;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.clients.orderedStream().forEach((client) -> bind(client, registry));
	}

	private void bind(PostgresClient client, MeterRegistry registry) {
		DataSource dataSource;
		try {
			dataSource = client.dataSource();
		}
		catch (IllegalStateException ex) {
			return; // not connected
		}
		if (dataSource instanceof HikariDataSource hikari && hikari.getMetricRegistry() == null
				&& hikari.getMetricsTrackerFactory() == null) {
			try {
				hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
			}
			catch (RuntimeException ex) {
				logger.warn("Failed to bind HikariCP metrics of PostgresClient: {}", ex.getMessage());
			}
		}
	}

}
