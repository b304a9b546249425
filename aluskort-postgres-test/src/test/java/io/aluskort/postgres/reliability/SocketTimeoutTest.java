package io.aluskort.postgres.reliability;

import java.sql.Connection;
import java.time.Duration;

import io.aluskort.postgres.PostgresClient;
import io.aluskort.postgres.TransactionOptions;
import io.aluskort.postgres.test.PostgresDatabase;
import io.aluskort.postgres.test.PostgresTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The socket timeout is a backstop behind the server's statement timeout: it never cuts off a statement
 * the server is still allowed to run, not even one with a longer timeout of its own.
 */
@PostgresTest
class SocketTimeoutTest {

	@Test
	void defaultsToTheStatementTimeoutPlusFiveSecondsOnEveryConnection(PostgresDatabase database) throws Exception {
		try (PostgresClient client = new PostgresClient(
				database.clientConfig().minSize(1).statementTimeout(Duration.ofMillis(1500)).build())) {
			client.connect();
			try (Connection connection = client.dataSource().getConnection()) {
				assertThat(connection.getNetworkTimeout()).isEqualTo(7000);
			}
		}
	}

	@Test
	void aLongerTimeoutOfOneCallOrTransactionLengthensIt(PostgresDatabase database) throws Exception {
		try (PostgresClient client = new PostgresClient(database.clientConfig()
			.minSize(1)
			.maxSize(1)
			.statementTimeout(Duration.ofMillis(500))
			.socketTimeout(Duration.ofSeconds(1))
			.build())) {
			client.connect();
			assertThat(client.withStatementTimeout(Duration.ofSeconds(5)).execute("SELECT pg_sleep(1.5)").tag())
				.isEqualTo("SELECT 1");
			String tag = client.transaction(TransactionOptions.defaults().timeout(Duration.ofSeconds(5)),
					(tx) -> tx.execute("SELECT pg_sleep(1.5)").tag());
			assertThat(tag).isEqualTo("SELECT 1");
			// The pool gives the next borrower the connection with the client's own socket timeout again.
			try (Connection connection = client.dataSource().getConnection()) {
				assertThat(connection.getNetworkTimeout()).isEqualTo(1000);
			}
		}
	}

}
