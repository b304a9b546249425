package io.aluskort.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;

import org.postgresql.core.Field;
import org.postgresql.core.TypeInfo;

/**
 * Turns the current row of a result into one value: a map, a record, a bean or a single column. Made
 * once per result by its {@link Factory}, which resolves columns and conversions up front.
 *
 * @param <T> what a row becomes
 */
@FunctionalInterface
interface RowMapping<T> {

	T map(ResultSet resultSet) throws SQLException;

	/** Makes the mapping for a result with the given columns. */
	@FunctionalInterface
	interface Factory<T> {

		RowMapping<T> forColumns(Field[] fields, TypeInfo typeInfo) throws SQLException;

	}

}
