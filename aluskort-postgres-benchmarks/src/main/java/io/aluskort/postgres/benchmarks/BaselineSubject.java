package io.aluskort.postgres.benchmarks;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * The baseline: hand-written pgjdbc on HikariCP with prepared statements, doing the same work as
 * PostgresClient does for a caller, down to the result's shape: rows become insertion-ordered maps
 * holding the same Java types ({@code Long}, {@code String}, {@code OffsetDateTime},
 * {@code Integer}, jsonb as {@code String}).
 */
final class BaselineSubject implements Subject {

	private final HikariDataSource pool;

	BaselineSubject(HikariDataSource pool) {
		this.pool = pool;
	}

	@Override
	public ClientKind kind() {
		return ClientKind.BASELINE;
	}

	@Override
	public @Nullable Map<String, @Nullable Object> pointSelect(long id) throws SQLException {
		try (Connection connection = this.pool.getConnection();
				PreparedStatement statement = connection.prepareStatement(Sql.JDBC_POINT_SELECT)) {
			statement.setLong(1, id);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() ? alert(result, true) : null;
			}
		}
	}

	@Override
	public int fetchRange(long first, int count, boolean withPayload) throws SQLException {
		try (Connection connection = this.pool.getConnection(); PreparedStatement statement = connection
			.prepareStatement(withPayload ? Sql.JDBC_RANGE_JSONB : Sql.JDBC_RANGE)) {
			statement.setLong(1, first);
			statement.setLong(2, first + count - 1);
			try (ResultSet result = statement.executeQuery()) {
				List<Map<String, @Nullable Object>> rows = new ArrayList<>();
				while (result.next()) {
					rows.add(alert(result, withPayload));
				}
				return rows.size();
			}
		}
	}

	private static Map<String, @Nullable Object> alert(ResultSet result, boolean withPayload) throws SQLException {
		Map<String, @Nullable Object> row = new LinkedHashMap<>(withPayload ? 9 : 8);
		row.put("id", result.getLong(1));
		row.put("tenant_id", result.getString(2));
		row.put("created_at", result.getObject(3, OffsetDateTime.class));
		row.put("severity", result.getInt(4));
		row.put("source", result.getString(5));
		if (withPayload) {
			row.put("payload", result.getString(6));
		}
		return row;
	}

	@Override
	public void insertBatch(List<Object[]> rows) throws SQLException {
		try (Connection connection = this.pool.getConnection()) {
			connection.setAutoCommit(false);
			try (PreparedStatement statement = connection.prepareStatement(Sql.JDBC_INSERT_LOAD)) {
				int pending = 0;
				for (Object[] row : rows) {
					statement.setString(1, (String) row[0]);
					statement.setObject(2, row[1]);
					statement.setInt(3, (Integer) row[2]);
					statement.setString(4, (String) row[3]);
					statement.setString(5, (String) row[4]);
					statement.addBatch();
					if (++pending == Sql.BATCH_SIZE) {
						statement.executeBatch();
						pending = 0;
					}
				}
				if (pending > 0) {
					statement.executeBatch();
				}
				connection.commit();
			}
			catch (SQLException ex) {
				connection.rollback();
				throw ex;
			}
		}
	}

	@Override
	public void copyIn(List<Object[]> rows) throws SQLException {
		try (Connection connection = this.pool.getConnection()) {
			CopyManager copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
			CopyIn copy = copyManager.copyIn(Sql.COPY_LOAD);
			try {
				CopyText text = new CopyText(64 * 1024);
				for (Object[] row : rows) {
					text.row(row);
					if (text.size() >= 60 * 1024) {
						copy.writeToCopy(text.buffer(), 0, text.size());
						text.reset();
					}
				}
				if (text.size() > 0) {
					copy.writeToCopy(text.buffer(), 0, text.size());
				}
				copy.endCopy();
			}
			finally {
				if (copy.isActive()) {
					copy.cancelCopy();
				}
			}
		}
	}

	@Override
	public long writeTransaction(String tenant, int severity) throws SQLException {
		try (Connection connection = this.pool.getConnection()) {
			connection.setAutoCommit(false);
			try {
				long id;
				try (PreparedStatement insert = connection.prepareStatement(Sql.JDBC_INSERT_RETURNING)) {
					insert.setString(1, tenant);
					insert.setInt(2, severity);
					insert.setString(3, Sql.TX_PAYLOAD);
					try (ResultSet result = insert.executeQuery()) {
						result.next();
						id = result.getLong(1);
					}
				}
				try (PreparedStatement update = connection.prepareStatement(Sql.JDBC_UPDATE)) {
					update.setInt(1, severity + 1);
					update.setLong(2, id);
					update.executeUpdate();
				}
				connection.commit();
				return id;
			}
			catch (SQLException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
		}
	}

	@Override
	public Object selectOne() throws SQLException {
		try (Connection connection = this.pool.getConnection();
				PreparedStatement statement = connection.prepareStatement(Sql.SELECT_ONE);
				ResultSet result = statement.executeQuery()) {
			result.next();
			Map<String, @Nullable Object> row = new LinkedHashMap<>(2);
			row.put("?column?", result.getInt(1));
			return row;
		}
	}

	@Override
	public void close() {
		// The pool is shared with JdbcClient; the harness closes it.
	}

	/** Rows in COPY's text format, UTF-8, in a growable buffer. */
	static final class CopyText {

		private byte[] buffer;

		private int size;

		CopyText(int capacity) {
			this.buffer = new byte[capacity];
		}

		void row(Object[] row) {
			for (int i = 0; i < row.length; i++) {
				if (i > 0) {
					put((byte) '\t');
				}
				value(row[i]);
			}
			put((byte) '\n');
		}

		private void value(@Nullable Object value) {
			if (value == null) {
				put((byte) '\\');
				put((byte) 'N');
				return;
			}
			String text = value.toString();
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				switch (c) {
					case '\\' -> escape('\\');
					case '\t' -> escape('t');
					case '\n' -> escape('n');
					case '\r' -> escape('r');
					default -> {
						if (c < 0x80) {
							put((byte) c);
						}
						else {
							int end = Character.isHighSurrogate(c) && i + 1 < text.length() ? i + 2 : i + 1;
							for (byte b : text.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
								put(b);
							}
							i = end - 1;
						}
					}
				}
			}
		}

		private void escape(char c) {
			put((byte) '\\');
			put((byte) c);
		}

		private void put(byte b) {
			if (this.size == this.buffer.length) {
				this.buffer = Arrays.copyOf(this.buffer, this.buffer.length * 2);
			}
			this.buffer[this.size++] = b;
		}

		byte[] buffer() {
			return this.buffer;
		}

		int size() {
			return this.size;
		}

		void reset() {
			this.size = 0;
		}

	}
}
