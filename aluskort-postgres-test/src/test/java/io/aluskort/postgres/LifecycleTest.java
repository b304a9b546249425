package io.aluskort.postgres;

import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@PostgresTest
class LifecycleTest {

	@Test
	void everyCallBeforeConnectSaysToConnectFirst(PostgresDatabase database) {
		PostgresClient client = new PostgresClient(database.clientConfig().build());
		assertThatIllegalStateException().isThrownBy(() -> client.execute("SELECT 1"))
			.withMessageContaining("call connect() first");
		assertThatIllegalStateException().isThrownBy(() -> client.fetchOne("SELECT 1"))
			.withMessageContaining("call connect() first");
		assertThatIllegalStateException().isThrownBy(() -> client.fetchMany("SELECT 1"))
			.withMessageContaining("call connect() first");
		assertThatIllegalStateException().isThrownBy(() -> client.transaction((tx) -> null))
			.withMessageContaining("call connect() first");
		assertThatIllegalStateException().isThrownBy(client::dataSource).withMessageContaining("call connect() first");
		assertThatIllegalStateException().isThrownBy(client::poolStats).withMessageContaining("call connect() first");
		assertThat(client.healthCheck()).isFalse();
		client.close();
		client.connect();
		try {
			assertThat(client.healthCheck()).isTrue();
		}
		finally {
			client.close();
		}
	}

	@Test
	void connectTwiceIsRefused(PostgresDatabase database) {
		try (PostgresClient client = new PostgresClient(database.clientConfig().minSize(1).build())) {
			client.connect();
			assertThatIllegalStateException().isThrownBy(client::connect).withMessageContaining("already connected");
		}
	}

	@Test
	void closedClientRefusesCallsAndAnotherConnect(PostgresDatabase database) {
		PostgresClient client = new PostgresClient(database.clientConfig().minSize(1).build());
		client.connect();
		client.close();
		assertThatIllegalStateException().isThrownBy(() -> client.execute("SELECT 1")).withMessageContaining("is closed");
		assertThatIllegalStateException().isThrownBy(() -> client.transaction((tx) -> null))
			.withMessageContaining("is closed");
		assertThatIllegalStateException().isThrownBy(client::connect).withMessageContaining("is closed");
		assertThat(client.healthCheck()).isFalse();
	}

}
