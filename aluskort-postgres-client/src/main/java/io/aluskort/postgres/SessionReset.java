package io.aluskort.postgres;

/**
 * When a pooled connection is reset ({@code DISCARD ALL}) before the next borrower gets it, so that
 * session state one caller left behind ({@code SET}, {@code SET ROLE}, temporary tables, advisory
 * locks, {@code LISTEN}, prepared statements, cursors held open) never reaches another.
 */
public enum SessionReset {

	/**
	 * Only a connection on which the client saw a statement that changes the session. The client's
	 * statement lexer marks, in each statement of the text and in the statement under {@code EXPLAIN}
	 * (which {@code EXPLAIN ANALYZE} runs): {@code SET} (other than {@code SET LOCAL},
	 * {@code SET TRANSACTION} and {@code SET CONSTRAINTS}), {@code RESET}, {@code SET ROLE},
	 * {@code SET SESSION AUTHORIZATION}, {@code SET SESSION CHARACTERISTICS},
	 * {@code CREATE [LOCAL | GLOBAL] TEMP ...}, {@code SELECT ... INTO [LOCAL | GLOBAL] TEMP}, any name
	 * that starts with {@code pg_temp} (the temporary schema, {@code pg_temp_N} too), an {@code UPDATE}
	 * naming {@code pg_settings}, session-level advisory locks ({@code pg_advisory_lock},
	 * {@code pg_try_advisory_lock} and their {@code _shared} forms), {@code set_config(..., ..., x)} unless
	 * {@code x} is the literal {@code true}, {@code LISTEN}, {@code PREPARE} (other
	 * than {@code PREPARE TRANSACTION}), {@code DECLARE} and {@code DO}. Names count quoted or not: plain ones
	 * in any case, quoted ones as written; any identifier written with Unicode escapes ({@code U&"..."})
	 * counts as a change. Costs nothing for the other statements. It cannot see state changed where the
	 * statement's text does not show it: inside views, functions, procedures, rules and triggers,
	 * through dynamic SQL, or by statements sent on {@link PostgresClient#dataSource()} by other code
	 * (JdbcClient, Flyway); nor does it mark {@code nextval} and {@code setval} (what {@code currval} and
	 * {@code lastval} then return), {@code setseed} or {@code LOAD}. The default.
	 */
	WHEN_CHANGED,

	/**
	 * Every connection, after every call or transaction of the client: for services whose functions
	 * or procedures change session state. Costs a round trip per call, and makes the driver prepare
	 * its server-side statements again.
	 */
	ALWAYS

}
