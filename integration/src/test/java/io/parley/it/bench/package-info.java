/**
 * The benchmark harness: speed and memory of a real Parley server, measured from outside.
 *
 * <p>The server always runs as a child JVM ({@link io.parley.it.bench.BenchServer}) with stated flags, so that its
 * heap holds nothing but the service and can be inspected with {@code jcmd}. The load side is one NIO selector
 * thread speaking just enough WebSocket ({@link io.parley.it.bench.LoadClient}) to hold tens of thousands of sockets
 * on a small machine. {@link io.parley.it.bench.IdleConnectionsBench} measures live heap per idle authenticated
 * connection; {@link io.parley.it.bench.FanoutBench} measures delivery latency and throughput of one room.
 *
 * <p>The benchmarks are main classes run by {@code integration/bench/run.sh}, not by the test build (they take
 * minutes); {@code BenchmarksSmokeIT} runs both at a tiny size so that they keep working. Results are recorded in
 * {@code docs/performance.md}, never asserted: the machines are small and shared.
 */
package io.parley.it.bench;
