package io.aluskort.postgres.autoconfigure;

import io.aluskort.postgres.PostgresClient;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.annotation.Transactional;

/**
 * The smallest service that uses the starter: nothing but auto-configuration, and a bean with a
 * {@code @Transactional} method.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class StarterTestApplication {

	@Bean
	AlertService alertService(PostgresClient db) {
		return new AlertService(db);
	}

	static class AlertService {

		private final PostgresClient db;

		AlertService(PostgresClient db) {
			this.db = db;
		}

		@Transactional
		public void insertThenFail(String tenant) {
			this.db.execute("INSERT INTO alerts(tenant_id) VALUES ($1)", tenant);
			throw new IllegalStateException("rolled back on purpose");
		}

		@Transactional
		public void insertTwice(String tenant) {
			this.db.execute("INSERT INTO alerts(tenant_id) VALUES ($1)", tenant);
			this.db.execute("INSERT INTO alerts(tenant_id) VALUES ($1)", tenant);
		}

	}

}
