package io.aluskort.postgres.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidPostgresPropertyException}: which property, where it was set, what is
 * wrong with it and how to fix it.
 */
class InvalidPostgresPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPostgresPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidPostgresPropertyException cause) {
		StringBuilder description = new StringBuilder("Invalid value ");
		if (cause.getValue() != null) {
			description.append("'").append(cause.getValue()).append("' ");
		}
		description.append("for configuration property '").append(cause.getProperty()).append("'");
		if (cause.getOrigin() != null) {
			description.append(" (originating from '").append(cause.getOrigin()).append("')");
		}
		description.append(":\n\n    ").append(cause.getReason()).append("\n");
		return new FailureAnalysis(description.toString(), cause.getAction(), cause);
	}

}
