package io.aluskort.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What one call does with the connection it was given.
 *
 * @param <R> what it returns
 */
@FunctionalInterface
interface ConnectionWork<R> {

	R doWith(Connection connection) throws SQLException;

}
