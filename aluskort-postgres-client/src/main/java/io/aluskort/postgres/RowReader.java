package io.aluskort.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.postgresql.core.Field;
import org.postgresql.core.TypeInfo;

import org.springframework.dao.InvalidDataAccessApiUsageException;

/**
 * Turns each row of one result into an insertion-ordered map from column name to value.
 */
final class RowReader implements RowMapping<Map<String, @Nullable Object>> {

	static final RowMapping.Factory<Map<String, @Nullable Object>> FACTORY = RowReader::of;

	private final ColumnReader[] columns;

	private final int mapCapacity;

	private RowReader(ColumnReader[] columns) {
		this.columns = columns;
		this.mapCapacity = (int) (columns.length / 0.75f) + 1;
	}

	/**
	 * @throws InvalidDataAccessApiUsageException when two columns share a name, which would make one
	 * overwrite the other in the row's map
	 */
	static RowReader of(Field[] fields, TypeInfo typeInfo) throws SQLException {
		ColumnReader[] columns = new ColumnReader[fields.length];
		for (int i = 0; i < fields.length; i++) {
			columns[i] = ColumnReader.of(fields[i], typeInfo);
		}
		checkUniqueLabels(columns);
		return new RowReader(columns);
	}

	private static void checkUniqueLabels(ColumnReader[] columns) {
		if (columns.length < 2) {
			return;
		}
		Set<String> seen = new HashSet<>(columns.length * 2);
		for (ColumnReader column : columns) {
			if (!seen.add(column.label)) {
				throw new InvalidDataAccessApiUsageException("The result has two columns named '" + column.label
						+ "'; give one of them another name with AS");
			}
		}
	}

	@Override
	public Map<String, @Nullable Object> map(ResultSet resultSet) throws SQLException {
		Map<String, @Nullable Object> row = new LinkedHashMap<>(this.mapCapacity);
		for (int i = 0; i < this.columns.length; i++) {
			row.put(this.columns[i].label, this.columns[i].read(resultSet, i + 1));
		}
		return row;
	}

}
