package io.aluskort.postgres;

/**
 * When a pooled connection is reset ({@code DISCARD ALL}) before the next borrower gets it, so that
 * session state one caller left behind ({@code SET}, {@code SET ROLE}, temporary tables, advisory
 * locks, {@code LISTEN}, prepared statements, cursors held open) never reaches another.
 */
public enum SessionReset {

	/**
	 * Only a connection on which the client saw a statement that changes the session: the client's
	 * statement lexer marks {@code SET} (other than {@code SET LOCAL}, {@code SET TRANSACTION} and
	 * {@code SET CONSTRAINTS}), {@code RESET}, {@code SET ROLE}, {@code SET SESSION AUTHORIZATION},
	 * {@code SET SESSION CHARACTERISTICS}, {@code CREATE TEMP ...}, {@code SELECT ... INTO TEMP},
	 * anything naming {@code pg_temp}, session-level advisory locks ({@code pg_advisory_lock},
	 * {@code pg_try_advisory_lock} and their {@code _shared} forms), {@code set_config(..., ..., x)} unless
	 * {@code x} is the literal {@code true}, {@code LISTEN}, {@code PREPARE}, {@code DECLARE} and
	 * {@code DO}. Costs nothing for the other statements. It cannot see state changed where the
	 * statement's text does not show it: inside functions, procedures and triggers, through dynamic
	 * SQL, or by statements sent on {@link PostgresClient#dataSource()} by other code (JdbcClient,
	 * Flyway). The default.
	 */
	WHEN_CHANGED,

	/**
	 * Every connection, after every call or transaction of the client: for services whose functions
	 * or procedures change session state. Costs a round trip per call, and makes the driver prepare
	 * its server-side statements again.
	 */
	ALWAYS

}
