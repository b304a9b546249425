package io.aluskort.postgres;

/**
 * A notification a {@link PostgresClient#listen listener} received. PostgreSQL delivers it once the
 * transaction that sent it has committed.
 *
 * @param channel the channel it was sent on
 * @param payload what was sent with it; empty when nothing was
 * @param pid the process ID of the server backend that sent it ({@code pg_backend_pid()} there)
 */
public record Notification(String channel, String payload, int pid) {

}
