package io.aluskort.postgres.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link PostgresConnectionFailureException}: which server, database and user, what the
 * driver said, and what configured them. Never shows the password.
 */
class PostgresConnectionFailureAnalyzer extends AbstractFailureAnalyzer<PostgresConnectionFailureException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PostgresConnectionFailureException cause) {
		String description = "PostgresClient could not connect to PostgreSQL at " + cause.getTarget() + " as user '"
				+ cause.getUser() + "' (configured by " + cause.getConfiguredBy() + "):\n\n    " + cause.getReason()
				+ "\n";
		String action = "Check that PostgreSQL is running and reachable at " + cause.getTarget()
				+ ", that the database exists and that the user and password are right. Update "
				+ cause.getConfiguredBy() + " (username and password under " + PostgresClientConfigFactory.PREFIX
				+ "*) if they point elsewhere, or set " + PostgresClientConfigFactory.PREFIX
				+ "enabled=false to start without the database.";
		return new FailureAnalysis(description, action, cause);
	}

}
