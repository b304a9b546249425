package io.aluskort.postgres;

import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The statements a {@link PostgresClient} runs, and a {@link Transaction} runs inside its transaction.
 * Parameters are PostgreSQL's {@code $1, $2, ...}; values are always bound, never spliced into the
 * text. Failures are Spring {@code DataAccessException}s translated from the server's SQLState.
 *
 * <p>A misused call fails by one rule, the line Spring draws between an illegal argument and a misused
 * API. An argument the call cannot take, whatever the database holds, is an
 * {@link IllegalArgumentException}: SQL text that is null, holds no statement or numbers its
 * placeholders wrongly; arguments that do not match the statement's {@code $n}; a value with no
 * PostgreSQL type, or one the {@link JsonCodec} cannot write; a type no row can be mapped to; a table,
 * column or channel that is not an identifier. Most are refused before the statement is sent; a COPY
 * row, when it is reached. A tenant id is refused the same way, as an {@link InvalidTenantIdException};
 * any other null where the signature takes none is a {@link NullPointerException}. Arguments that are
 * valid but ask for what the client does not do are an
 * {@link org.springframework.dao.InvalidDataAccessApiUsageException}, a {@code DataAccessException} like
 * every other failure of the call: a statement that ends or forks the transaction, a tenant table outside
 * {@link PostgresClient#forTenant}, a call for one tenant while a stream for another is open in the same
 * transaction, a result whose columns do not fit the type asked for. A call on a client that is not
 * connected or is closed, or on a transaction or stream that has ended, is an
 * {@link IllegalStateException}. A configuration value out of range or malformed is refused by its
 * builder, as an {@link InvalidConfigurationException}.
 */
public interface PostgresOperations {

	/** How many rows a {@link #stream} asks the server for at a time. */
	int STREAM_FETCH_SIZE = 1000;

	/**
	 * Runs one statement.
	 * @return the command tag the server sent, for example {@code INSERT 0 1}
	 * @throws IllegalArgumentException when the text holds no statement, when the number of arguments
	 * does not match the placeholders, or when an argument has no PostgreSQL type
	 * @throws org.springframework.dao.InvalidDataAccessApiUsageException when the statement controls
	 * the transaction ({@code BEGIN}, {@code COMMIT}, ...) or names a tenant table outside
	 * {@link PostgresClient#forTenant}
	 */
	CommandStatus execute(String sql, @Nullable Object... args);

	/**
	 * The first row as an insertion-ordered column-to-value map, or empty when there is none. Asks the
	 * server for one row only.
	 * @throws IllegalArgumentException as {@link #execute} does
	 * @throws org.springframework.dao.InvalidDataAccessApiUsageException as {@link #execute} does, and
	 * when two columns of the result share a name
	 */
	Optional<Map<String, Object>> fetchOne(String sql, @Nullable Object... args);

	/**
	 * All rows, each an insertion-ordered column-to-value map.
	 * @throws IllegalArgumentException as {@link #execute} does
	 * @throws org.springframework.dao.InvalidDataAccessApiUsageException as {@link #fetchOne(String, Object...)}
	 * does
	 */
	List<Map<String, Object>> fetchMany(String sql, @Nullable Object... args);

	/**
	 * The first row as the given type, or empty when there is none: a record (by its canonical
	 * constructor), a JavaBean (no-argument constructor and setters), or, for a one-column query, the
	 * column's value ({@code Long}, {@code String}, an enum, ...). Columns match components by name,
	 * {@code snake_case} to {@code camelCase}.
	 * @throws IllegalArgumentException as {@link #execute} does, and when no row can be mapped to the
	 * type (an interface, a class with neither a record's constructor nor a public no-argument one)
	 * @throws org.springframework.dao.InvalidDataAccessApiUsageException as {@link #execute} does, naming
	 * the component a column is missing for, or when a single-value type meets several columns
	 * @throws org.springframework.dao.TypeMismatchDataAccessException naming the column whose value
	 * does not fit (a NULL into a primitive, a text into a number)
	 */
	<T> Optional<T> fetchOne(Class<T> type, String sql, @Nullable Object... args);

	/** All rows as the given type; see {@link #fetchOne(Class, String, Object...)}. */
	<T> List<T> fetchMany(Class<T> type, String sql, @Nullable Object... args);

	/**
	 * The first column of the first row as the given type; empty when there is no row or the value is
	 * NULL. {@code db.fetchValue(Long.class, "SELECT count(*) FROM alerts WHERE tenant_id = $1", t)}.
	 */
	<T> Optional<T> fetchValue(Class<T> type, String sql, @Nullable Object... args);

	/**
	 * Runs one statement for many argument rows, atomically, a chunk of rows per round trip. A plain
	 * {@code INSERT ... VALUES (...)} is sent as multi-row INSERTs (pgjdbc's
	 * {@code reWriteBatchedInserts}, done by the client); any other statement is repeated within one
	 * message.
	 * @return the rows each argument row affected, in order
	 * @throws IllegalArgumentException naming the row whose number of arguments does not match, or when
	 * the text holds more than one statement
	 * @throws org.springframework.dao.InvalidDataAccessApiUsageException as {@link #execute} does
	 */
	long[] executeBatch(String sql, List<? extends @Nullable Object[]> rows);

	/**
	 * Loads rows into a table with {@code COPY ... FROM STDIN}: the fastest way in. Values are the
	 * types a parameter may be, or null.
	 * @param table the table, optionally schema-qualified: plain or double-quoted identifiers only
	 * @param columns the columns each row's values go to, in order
	 * @return the number of rows loaded
	 * @throws IllegalArgumentException when the table or a column is not an identifier, or naming the
	 * row whose number of values does not match the columns or whose value has no PostgreSQL type
	 * @throws org.springframework.dao.InvalidDataAccessApiUsageException when the table is a tenant
	 * table outside {@link PostgresClient#forTenant}
	 */
	long copyIn(String table, List<String> columns, Iterable<? extends @Nullable Object[]> rows);

	/** {@link #copyIn(String, List, Iterable)} from a stream, read once; the caller closes it. */
	long copyIn(String table, List<String> columns, Stream<? extends @Nullable Object[]> rows);

	/**
	 * Loads records into a table with {@code COPY}; each component fills the column of its name in
	 * {@code snake_case} ({@code createdAt} fills {@code created_at}).
	 */
	<T extends Record> long copyIn(String table, Class<T> type, Iterable<T> rows);

	/**
	 * Writes the result of a query as CSV, with a header line, through {@code COPY (query) TO STDOUT}.
	 * COPY takes no parameters: the query has no placeholders.
	 * @return the number of rows written
	 * @throws IllegalArgumentException when the query has placeholders
	 * @throws org.springframework.dao.InvalidDataAccessApiUsageException as {@link #execute} does
	 */
	long copyOut(String query, OutputStream out);

	/**
	 * The rows of a query, one at a time, in constant memory however many there are: the server keeps
	 * a cursor and sends {@value #STREAM_FETCH_SIZE} rows at a time. The stream holds a
	 * connection (and, outside a transaction, a read transaction of its own) until it is closed:
	 * always use try-with-resources.
	 * @throws IllegalArgumentException as {@link #execute} does
	 * @throws org.springframework.dao.InvalidDataAccessApiUsageException as {@link #fetchOne(String, Object...)}
	 * does, and when a stream of another tenant is open in the same transaction
	 */
	Stream<Map<String, Object>> stream(String sql, @Nullable Object... args);

	/** {@link #stream(String, Object...)} with each row as the given type. */
	<T> Stream<T> stream(Class<T> type, String sql, @Nullable Object... args);

	/**
	 * Sends a notification to the listeners of a channel ({@code SELECT pg_notify($1, $2)}). Inside a
	 * transaction it is delivered when the transaction commits, and never if it rolls back. (Not named
	 * {@code notify}, which would overload {@link Object#notify()}.)
	 * @param channel a channel as {@link PostgresClient#listen} takes it
	 * @param payload shorter than 8000 bytes; may be empty
	 * @throws IllegalArgumentException naming the channel when it is not an identifier
	 */
	void sendNotification(String channel, String payload);

	/**
	 * These calls for one tenant: each runs in a transaction (the caller's, or one of its own) that
	 * binds the tenant first, as {@link TenantClient} describes; a view for another tenant binds that
	 * one instead. Views combine in any order with {@link #withStatementTimeout}.
	 * @throws InvalidTenantIdException when the id is empty, longer than the policy allows or does not
	 * match its pattern; nothing is sent then
	 */
	PostgresOperations forTenant(String tenantId);

	/**
	 * These calls with another statement timeout: each runs in a transaction (the caller's, or one of
	 * its own) that first sets {@code SET LOCAL statement_timeout}; inside a caller's transaction the
	 * setting lasts until that transaction ends. Views combine in any order with {@link #forTenant}.
	 * @throws IllegalArgumentException when the timeout is zero or negative
	 */
	PostgresOperations withStatementTimeout(Duration statementTimeout);

}
