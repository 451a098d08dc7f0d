package io.parley.chat.presence;

/**
 * Cluster-wide counts for {@code GET /api/v1/stats}.
 *
 * @param connections authenticated sockets on all live instances
 * @param rooms       rooms with at least one member
 * @param instances   live instances
 */
public record ClusterStats(long connections, long rooms, int instances) {
}
