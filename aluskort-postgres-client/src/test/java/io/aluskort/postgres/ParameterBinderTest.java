package io.aluskort.postgres;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.postgresql.core.Oid;
import org.postgresql.core.ParameterList;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

/**
 * Pins which PostgreSQL type and text each Java value is bound with; the round trips through a real
 * server are in the integration tests.
 */
class ParameterBinderTest {

	private final ParameterList parameters = mock(ParameterList.class);

	private void bind(String sql, Object... args) throws Exception {
		ParameterBinder.bind(this.parameters, ParsedSql.parse(sql), args, null);
	}

	@Test
	void argumentsFollowThePlaceholderOrder() throws Exception {
		bind("SELECT $2, $1, $2", "a", 7);
		verify(this.parameters).setIntParameter(1, 7);
		verify(this.parameters).setStringParameter(2, "a", Oid.UNSPECIFIED);
		verify(this.parameters).setIntParameter(3, 7);
		verifyNoMoreInteractions(this.parameters);
	}

	@Test
	void scalarsCarryTheirType() throws Exception {
		UUID id = UUID.fromString("7f1d3c1e-2f0a-4b7c-9a55-0c6f5e2f9d10");
		bind("SELECT $1, $2, $3, $4, $5, $6", 5L, new BigDecimal("1.50"), true, id, 2.5d, (short) 3);
		verify(this.parameters).setStringParameter(1, "5", Oid.INT8);
		verify(this.parameters).setStringParameter(2, "1.50", Oid.NUMERIC);
		verify(this.parameters).setStringParameter(3, "true", Oid.BOOL);
		verify(this.parameters).setStringParameter(4, id.toString(), Oid.UUID);
		verify(this.parameters).setStringParameter(5, "2.5", Oid.FLOAT8);
		verify(this.parameters).setStringParameter(6, "3", Oid.INT2);
	}

	@Test
	void timesAreIsoText() throws Exception {
		bind("SELECT $1, $2, $3, $4", OffsetDateTime.of(2024, 1, 2, 3, 4, 0, 0, ZoneOffset.ofHours(2)),
				Instant.parse("2024-01-02T03:04:05.123456Z"), LocalDateTime.of(2024, 1, 2, 3, 4, 5), LocalDate.of(2024, 1, 2));
		verify(this.parameters).setStringParameter(1, "2024-01-02T03:04:00+02:00", Oid.TIMESTAMPTZ);
		verify(this.parameters).setStringParameter(2, "2024-01-02T03:04:05.123456Z", Oid.TIMESTAMPTZ);
		verify(this.parameters).setStringParameter(3, "2024-01-02T03:04:05", Oid.TIMESTAMP);
		verify(this.parameters).setStringParameter(4, "2024-01-02", Oid.DATE);
	}

	@Test
	void nullIsUntyped() throws Exception {
		bind("SELECT $1", (Object) null);
		verify(this.parameters).setNull(1, Oid.UNSPECIFIED);
	}

	@Test
	void bytesAreBytea() throws Exception {
		byte[] bytes = { 1, 2, 3 };
		bind("SELECT $1", (Object) bytes);
		verify(this.parameters).setBytea(1, bytes, 0, 3);
	}

	@Test
	void listsAndArraysBecomeQuotedArrayLiterals() throws Exception {
		bind("SELECT $1, $2, $3, $4", Arrays.asList("a\"b", null, "c\\d"), new Integer[] { 1, 2 }, new long[] { 3L },
				List.of(List.of(1, 2), List.of(3, 4)));
		verify(this.parameters).setStringParameter(1, "{\"a\\\"b\",NULL,\"c\\\\d\"}", Oid.TEXT_ARRAY);
		verify(this.parameters).setStringParameter(2, "{\"1\",\"2\"}", Oid.INT4_ARRAY);
		verify(this.parameters).setStringParameter(3, "{\"3\"}", Oid.INT8_ARRAY);
		verify(this.parameters).setStringParameter(4, "{{\"1\",\"2\"},{\"3\",\"4\"}}", Oid.INT4_ARRAY);
	}

	@Test
	void emptyListIsUntyped() throws Exception {
		bind("SELECT $1", List.of());
		verify(this.parameters).setStringParameter(1, "{}", Oid.UNSPECIFIED);
	}

	@Test
	void unsupportedTypeNamesTheTypeAndParameterNumber() {
		assertThatIllegalArgumentException().isThrownBy(() -> bind("SELECT $1, $2", 1, new Object()))
			.withMessageStartingWith("Parameter $2 has type java.lang.Object");
		assertThatIllegalArgumentException().isThrownBy(() -> bind("SELECT $1", List.of(new Object())))
			.withMessageContaining("Parameter $1 is an array of java.lang.Object");
	}

	@Test
	void mixedElementTypesAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> bind("SELECT $1", Arrays.asList(1, "x")))
			.withMessageContaining("mixes element types");
	}

	@Test
	void aValueTheCodecCannotWriteIsAnIllegalArgumentThatDoesNotShowIt() {
		JsonCodec failing = mock(JsonCodec.class);
		given(failing.toJson(any())).willThrow(new IllegalStateException("cannot write secret-4412"));
		for (Object value : new Object[] { Map.of("k", "secret-4412"), Json.of("secret-4412") }) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> ParameterBinder.bind(this.parameters, ParsedSql.parse("SELECT $1, $2"),
						new Object[] { 1, value }, failing))
				.withMessageStartingWith("Parameter $2 is a ")
				.withMessageContaining("cannot write (IllegalStateException; the value is not shown)")
				.withMessageNotContaining("secret-4412")
				.withNoCause();
		}
	}

}
