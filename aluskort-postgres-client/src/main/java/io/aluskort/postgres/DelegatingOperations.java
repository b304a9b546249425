package io.aluskort.postgres;

import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * Hands every statement call of {@link PostgresOperations} to the {@link Operations} of a view, for
 * the public types ({@link PostgresClient}, {@link TenantClient}) that are such a view and more. It
 * only forwards: what makes a view differ is in the {@link View} its {@code Operations} was made with.
 */
abstract class DelegatingOperations implements PostgresOperations {

	/** The statement calls of this view. */
	abstract Operations operations();

	@Override
	public CommandStatus execute(String sql, @Nullable Object... args) {
		return operations().execute(sql, args);
	}

	@Override
	public Optional<Map<String, Object>> fetchOne(String sql, @Nullable Object... args) {
		return operations().fetchOne(sql, args);
	}

	@Override
	public List<Map<String, Object>> fetchMany(String sql, @Nullable Object... args) {
		return operations().fetchMany(sql, args);
	}

	@Override
	public <T> Optional<T> fetchOne(Class<T> type, String sql, @Nullable Object... args) {
		return operations().fetchOne(type, sql, args);
	}

	@Override
	public <T> List<T> fetchMany(Class<T> type, String sql, @Nullable Object... args) {
		return operations().fetchMany(type, sql, args);
	}

	@Override
	public <T> Optional<T> fetchValue(Class<T> type, String sql, @Nullable Object... args) {
		return operations().fetchValue(type, sql, args);
	}

	@Override
	public long[] executeBatch(String sql, List<? extends @Nullable Object[]> rows) {
		return operations().executeBatch(sql, rows);
	}

	@Override
	public long copyIn(String table, List<String> columns, Iterable<? extends @Nullable Object[]> rows) {
		return operations().copyIn(table, columns, rows);
	}

	@Override
	public long copyIn(String table, List<String> columns, Stream<? extends @Nullable Object[]> rows) {
		return operations().copyIn(table, columns, rows);
	}

	@Override
	public <T extends Record> long copyIn(String table, Class<T> type, Iterable<T> rows) {
		return operations().copyIn(table, type, rows);
	}

	@Override
	public long copyOut(String query, OutputStream out) {
		return operations().copyOut(query, out);
	}

	@Override
	public Stream<Map<String, Object>> stream(String sql, @Nullable Object... args) {
		return operations().stream(sql, args);
	}

	@Override
	public <T> Stream<T> stream(Class<T> type, String sql, @Nullable Object... args) {
		return operations().stream(type, sql, args);
	}

	@Override
	public void sendNotification(String channel, String payload) {
		operations().sendNotification(channel, payload);
	}

}
