package io.aluskort.postgres;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.jspecify.annotations.Nullable;

/**
 * How a {@link PostgresClient} scopes calls to a tenant ({@link PostgresClient#forTenant}): the
 * setting the tenant is bound to, which tenant ids are accepted, and whether the unscoped client
 * refuses statements on tenant tables. An immutable value, made by {@link #builder()}; given to
 * {@link PostgresClientConfig.Builder#tenantPolicy}.
 *
 * <p>The rows themselves are kept apart by the server's row-level security, with policies that read
 * the setting ({@code io/aluskort/postgres/tenant-isolation.sql}); this policy only makes the client
 * bind it, and makes forgetting to an error rather than an empty result.
 */
public final class TenantPolicy {

	/** Default setting the tenant is bound to. */
	public static final String DEFAULT_SETTING = "aluskort.tenant_id";

	/** Default pattern a tenant id must match, whole. */
	public static final String DEFAULT_ID_PATTERN = "[A-Za-z0-9_-]+";

	/** Default longest tenant id. */
	public static final int DEFAULT_MAX_ID_LENGTH = 64;

	private static final int MAX_ID_LENGTH_LIMIT = 1024;

	/** The defaults: tenant ids bound to {@value #DEFAULT_SETTING}, no table guarded. */
	public static final TenantPolicy DEFAULT = builder().build();

	private final String setting;

	private final Pattern idPattern;

	private final int maxIdLength;

	private final boolean required;

	private final Set<String> tables;

	private final Set<String> tableNames;

	private TenantPolicy(Builder builder) {
		this.setting = builder.setting;
		this.idPattern = builder.idPattern;
		this.maxIdLength = builder.maxIdLength;
		this.required = builder.required;
		this.tables = Set.copyOf(builder.tables);
		Set<String> names = new LinkedHashSet<>();
		builder.tables.forEach((table) -> names.add(nameOf(table)));
		this.tableNames = Set.copyOf(names);
		// The setting is written into SQL: PostgreSQL takes any two-part name for a custom one.
		if (!Identifiers.isSetting(this.setting)) {
			throw new InvalidConfigurationException("setting", "setting ('" + this.setting
					+ "') must be a two-part name of plain identifiers, such as " + DEFAULT_SETTING);
		}
		if (this.maxIdLength < 1 || this.maxIdLength > MAX_ID_LENGTH_LIMIT) {
			throw new InvalidConfigurationException("maxIdLength",
					"maxIdLength (" + this.maxIdLength + ") must be between 1 and " + MAX_ID_LENGTH_LIMIT);
		}
		if (this.required && this.tables.isEmpty()) {
			throw new InvalidConfigurationException("tables",
					"tables must name at least one tenant table when required is true");
		}
	}

	/** The table's name as the statement lexer reports it: unquoted and lower-cased, or quoted as written. */
	private static String nameOf(String table) {
		String name = Identifiers.unqualifiedFolded(table);
		if (name == null) {
			throw new InvalidConfigurationException("tables", "tables: '" + table
					+ "' must be a plain or double-quoted identifier, optionally schema-qualified");
		}
		return name;
	}

	/** A builder with every value at its default. */
	public static Builder builder() {
		return new Builder();
	}

	/** The setting each tenant-scoped transaction binds, transaction-locally, to its tenant id. */
	public String setting() {
		return this.setting;
	}

	/** The pattern a tenant id must match as a whole. */
	public Pattern idPattern() {
		return this.idPattern;
	}

	/** The longest tenant id accepted. */
	public int maxIdLength() {
		return this.maxIdLength;
	}

	/** Whether the unscoped client refuses statements that name a tenant table. */
	public boolean required() {
		return this.required;
	}

	/** The tenant tables, as configured. */
	public Set<String> tables() {
		return this.tables;
	}

	/** The tenant tables' names without schema, as {@link ParsedSql#firstNameOf} compares them. */
	Set<String> tableNames() {
		return this.tableNames;
	}

	/**
	 * Checks a tenant id before anything is sent. The id is quoted in the message only when it is
	 * short enough to be one.
	 * @return the id
	 * @throws InvalidTenantIdException naming what is wrong with it
	 */
	String checkTenantId(String tenantId) {
		if (tenantId == null || tenantId.isEmpty()) {
			throw new InvalidTenantIdException("Tenant id must not be " + ((tenantId == null) ? "null" : "empty"));
		}
		if (tenantId.length() > this.maxIdLength) {
			throw new InvalidTenantIdException("Tenant id is " + tenantId.length() + " characters long; at most "
					+ this.maxIdLength + " are allowed");
		}
		if (!this.idPattern.matcher(tenantId).matches()) {
			throw new InvalidTenantIdException(
					"Tenant id '" + printable(tenantId) + "' does not match the pattern " + this.idPattern.pattern());
		}
		return tenantId;
	}

	/** Control characters would let a caller forge log lines through the message. */
	private static String printable(String text) {
		StringBuilder printable = new StringBuilder(text.length());
		text.codePoints()
			.forEach((c) -> printable.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
					: new String(Character.toChars(c))));
		return printable.toString();
	}

	/** Patterns compare by their text and flags, which is all a Pattern is made of. */
	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof TenantPolicy that && this.setting.equals(that.setting)
				&& this.idPattern.pattern().equals(that.idPattern.pattern())
				&& this.idPattern.flags() == that.idPattern.flags() && this.maxIdLength == that.maxIdLength
				&& this.required == that.required && this.tables.equals(that.tables));
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.setting, this.idPattern.pattern(), this.maxIdLength, this.required, this.tables);
	}

	@Override
	public String toString() {
		return "TenantPolicy[setting=" + this.setting + ", idPattern=" + this.idPattern.pattern() + ", maxIdLength="
				+ this.maxIdLength + ", required=" + this.required + ", tables=" + this.tables + "]";
	}

	/**
	 * Collects the values of a {@link TenantPolicy}; {@link #build()} checks them.
	 */
	public static final class Builder {

		private String setting = DEFAULT_SETTING;

		private Pattern idPattern = Pattern.compile(DEFAULT_ID_PATTERN);

		private int maxIdLength = DEFAULT_MAX_ID_LENGTH;

		private boolean required;

		private List<String> tables = List.of();

		private Builder() {
		}

		/**
		 * The setting the tenant is bound to: a two-part name such as {@value #DEFAULT_SETTING}, the
		 * one the row-level security policies read with {@code current_setting}.
		 */
		public Builder setting(String setting) {
			this.setting = Objects.requireNonNull(setting, "setting");
			return this;
		}

		/**
		 * The regular expression a tenant id must match as a whole.
		 * @throws InvalidConfigurationException when it is no valid regular expression
		 */
		public Builder idPattern(String idPattern) {
			Objects.requireNonNull(idPattern, "idPattern");
			try {
				this.idPattern = Pattern.compile(idPattern);
			}
			catch (PatternSyntaxException ex) {
				throw new InvalidConfigurationException("idPattern",
						"idPattern ('" + idPattern + "') is not a valid regular expression: " + ex.getDescription(), ex);
			}
			return this;
		}

		/** The longest tenant id accepted, 1 to 1024. */
		public Builder maxIdLength(int maxIdLength) {
			this.maxIdLength = maxIdLength;
			return this;
		}

		/**
		 * Whether the unscoped client refuses, before sending it, a statement that names one of the
		 * {@link #tables tenant tables}. Needs at least one table.
		 */
		public Builder required(boolean required) {
			this.required = required;
			return this;
		}

		/**
		 * The tables whose rows belong to tenants, optionally schema-qualified; plain names match
		 * regardless of case, double-quoted ones exactly.
		 */
		public Builder tables(Collection<String> tables) {
			this.tables = List.copyOf(tables);
			return this;
		}

		/**
		 * The checked, immutable policy.
		 * @throws InvalidConfigurationException naming the setting whose value is malformed
		 */
		public TenantPolicy build() {
			return new TenantPolicy(this);
		}

	}

}
