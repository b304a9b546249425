package io.aluskort.postgres;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IdentifiersTest {

	@ParameterizedTest
	@ValueSource(strings = { "id", "_id", "created_at", "price$1", "\"Order\"", "\"a.b\"", "\"say \"\"hi\"\"\"" })
	void plainOrQuotedNames(String name) {
		assertThat(Identifiers.isPlainOrQuoted(name)).isTrue();
		assertThat(Identifiers.isQualified(name)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "1id", "$id", "a b", "a-b", "a.b", "\"\"", "\"a\"b\"", "a;DROP TABLE t", "caf\u00e9" })
	void notPlainOrQuoted(String name) {
		assertThat(Identifiers.isPlainOrQuoted(name)).isFalse();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "orders|orders", "public.Orders|orders", "\"Sales\".\"Orders\"|Orders",
			"s.\"a.b\"|a.b", "\"x\"\".y\"|x\".y", "\"say \"\"hi\"\"\"|say \"hi\"" })
	void qualifiedNamesAndWhatTheyFoldTo(String name, String folded) {
		assertThat(Identifiers.isQualified(name)).isTrue();
		assertThat(Identifiers.unqualifiedFolded(name)).isEqualTo(folded);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "a.b.c", "a.", ".a", "a..b", "\"a\".", "a.\"\"", "a.1b", "a b.c" })
	void notQualified(String name) {
		assertThat(Identifiers.isQualified(name)).isFalse();
		assertThat(Identifiers.unqualifiedFolded(name)).isNull();
	}

	@ParameterizedTest
	@CsvSource({ "aluskort.tenant_id, true", "app.Tenant1, true", "_a._b, true", "tenant_id, false", "a.b.c, false",
			"a$.b, false", "a.b$, false", "1a.b, false", "'\"a\".b', false" })
	void settingsAreTwoPlainNamesWithoutDollarSigns(String name, boolean setting) {
		assertThat(Identifiers.isSetting(name)).isEqualTo(setting);
	}

	@ParameterizedTest
	@CsvSource({ "orders, true", "_jobs, true", "Jobs$2, true", "caf\u00e9, true", "\u00e9v\u00e9nements, true",
			"1jobs, false", "$jobs, false", "jobs-done, false", "a.b, false", "'', false", "'a\"b', false" })
	void channelsMayUseAnyLetter(String name, boolean channel) {
		assertThat(Identifiers.isChannel(name)).isEqualTo(channel);
	}

	@ParameterizedTest
	@CsvSource({ "a, true", "Z, true", "7, true", "_, true", "$, true", "\u00e9, true", "., false", "' ', false",
			"'\"', false", "-, false" })
	void partsOfAnIdentifier(char c, boolean part) {
		assertThat(Identifiers.isPart(c)).isEqualTo(part);
	}

}
