package io.aluskort.postgres;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandStatusTest {

	@Test
	void rowsComeFromTheTagsTrailingCount() {
		assertThat(new CommandStatus("INSERT 0 12").rows()).isEqualTo(12);
		assertThat(new CommandStatus("UPDATE 3").rows()).isEqualTo(3);
		assertThat(new CommandStatus("SELECT 0").rows()).isZero();
		assertThat(new CommandStatus("CREATE TABLE").rows()).isZero();
		assertThat(new CommandStatus("").rows()).isZero();
	}

	@Test
	void toStringIsTheTag() {
		assertThat(new CommandStatus("DELETE 1")).hasToString("DELETE 1");
		assertThat(new CommandStatus("DELETE 1")).isEqualTo(new CommandStatus("DELETE 1"));
	}

}
