package io.aluskort.postgres;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ColumnNamesTest {

	@ParameterizedTest
	@CsvSource({ "id, id", "createdAt, created_at", "tenantId, tenant_id", "line2Total, line2_total",
			"version2, version2", "already_snake, already_snake", "HTTPStatus, httpstatus" })
	void snakeCase(String javaName, String column) {
		assertThat(ColumnNames.snakeCase(javaName)).isEqualTo(column);
	}

	@ParameterizedTest
	@CsvSource({ "created_at, createdAt", "CREATED_AT, createdat", "_id, Id", "tenant_id, TenantId" })
	void aColumnAndAJavaNameMeet(String column, String javaName) {
		assertThat(ColumnNames.normalize(column)).isEqualTo(ColumnNames.normalize(javaName));
	}

	@ParameterizedTest
	@CsvSource({ "created_at, created_by", "id, ids" })
	void differentNamesDoNotMeet(String one, String other) {
		assertThat(ColumnNames.normalize(one)).isNotEqualTo(ColumnNames.normalize(other));
	}

}
