package io.aluskort.postgres.benchmarks;

/**
 * One measured round of one client.
 *
 * @param rate units (operations, rows, transactions) per second
 * @param cpuMicros CPU time the client's calling threads spent per unit, in microseconds
 */
record Sample(double rate, double cpuMicros) {

}
