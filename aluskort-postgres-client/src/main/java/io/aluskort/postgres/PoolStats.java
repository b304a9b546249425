package io.aluskort.postgres;

/**
 * A snapshot of the connection pool.
 *
 * @param active connections lent out to running calls
 * @param idle connections waiting in the pool
 * @param total connections open, active and idle
 * @param pending callers waiting for a connection
 * @param max the most connections the pool opens
 */
public record PoolStats(int active, int idle, int total, int pending, int max) {
}
