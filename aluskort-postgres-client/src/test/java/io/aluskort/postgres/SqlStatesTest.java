package io.aluskort.postgres;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SqlStatesTest {

	@ParameterizedTest
	@CsvSource(nullValues = "null",
			value = { "08006, true", "08003, true", "08001, true", "57P01, true", "57P02, true", "57P03, true",
					"57014, false", "40001, false", "58030, false", "XX000, false", "23505, false", "null, false" })
	void connectionLost(String state, boolean lost) {
		assertThat(SqlStates.isConnectionLost(state)).isEqualTo(lost);
	}

	@ParameterizedTest
	@CsvSource(nullValues = "null",
			value = { "40001, true", "40P01, true", "40002, false", "40003, false", "23505, false", "null, false" })
	void conflicts(String state, boolean conflict) {
		assertThat(SqlStates.isConflict(state)).isEqualTo(conflict);
	}

	@ParameterizedTest
	@CsvSource(nullValues = "null",
			value = { "40001, true", "23505, true", "40002, true", "57014, true", "08003, true", "08006, false",
					"08000, false", "57P01, false", "58030, false", "XX000, false", "null, false" })
	void serverAnswers(String state, boolean answer) {
		assertThat(SqlStates.isServerAnswer(state)).isEqualTo(answer);
	}

}
