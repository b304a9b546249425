package io.aluskort.postgres;

/**
 * Where a statement's parts are in its JDBC text, to write the statement for many argument rows at once:
 * a multi-row INSERT where the statement is a plain {@code INSERT ... VALUES (...)}, else the statement
 * repeated.
 *
 * @param statementEnd where the statement ends, before trailing semicolons, space and comments
 * @param rowStart where the one VALUES row of a multi-row INSERT starts, or -1 when the statement is none
 * @param rowEnd just past that row, or -1
 * @param multiStatement whether the text holds several statements
 */
record BatchLayout(int statementEnd, int rowStart, int rowEnd, boolean multiStatement) {

	boolean isMultiRowInsert() {
		return this.rowStart >= 0;
	}

	/** The JDBC text for {@code rows} rows. */
	String forRows(String jdbcSql, int rows) {
		StringBuilder jdbc = new StringBuilder(jdbcSql.length() * rows + 16);
		if (isMultiRowInsert()) {
			jdbc.append(jdbcSql, 0, this.rowStart);
			for (int row = 0; row < rows; row++) {
				jdbc.append((row > 0) ? "," : "").append(jdbcSql, this.rowStart, this.rowEnd);
			}
			jdbc.append(jdbcSql, this.rowEnd, jdbcSql.length());
		}
		else {
			for (int row = 0; row < rows; row++) {
				jdbc.append(jdbcSql, 0, this.statementEnd).append(';');
			}
		}
		return jdbc.toString();
	}

}
