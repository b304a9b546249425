package io.aluskort.postgres;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The statements of one transaction, handed to a {@link TransactionCallback}. Every call runs on the
 * transaction's connection; the transaction commits when the callback returns and rolls back when it
 * throws. Parameters are {@code $1, $2, ...}, always bound.
 */
public interface Transaction {

	/**
	 * Runs one statement.
	 * @return the command tag the server sent, for example {@code UPDATE 1}
	 */
	CommandStatus execute(String sql, @Nullable Object... args);

	/** The first row as an insertion-ordered column-to-value map, or empty when there is none. */
	Optional<Map<String, Object>> fetchOne(String sql, @Nullable Object... args);

	/** All rows, each an insertion-ordered column-to-value map. */
	List<Map<String, Object>> fetchMany(String sql, @Nullable Object... args);

}
