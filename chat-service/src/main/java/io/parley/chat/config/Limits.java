package io.parley.chat.config;

/**
 * Per-connection and per-user limits (protocol §1 "Limits").
 *
 * @param maxTextChars       longest message text
 * @param maxFrameBytes      largest client frame; larger closes 1009
 * @param framesPerSecond    sustained client frame rate
 * @param frameBurst         client frame burst
 * @param roomsPerConnection rooms one connection may join
 * @param connectionsPerUser connections one user may hold on one instance
 * @param outboundQueue      frames queued for a client before it is closed 4503 as a slow consumer
 * @param joinHistory        messages sent with {@code joined} when there is no {@code since}
 * @param retainedPerRoom    messages kept per room for history and resume
 * @param presenceListLimit  members above which a room sends counts instead of per-user presence
 */
public record Limits(int maxTextChars, int maxFrameBytes, int framesPerSecond, int frameBurst,
                     int roomsPerConnection, int connectionsPerUser, int outboundQueue, int joinHistory,
                     int retainedPerRoom, int presenceListLimit) {

    static Limits from(Settings s) {
        return new Limits(
                s.integer("parley.limits.text", 1, 1_000_000),
                s.integer("parley.limits.frame-bytes", 1024, 16 * 1024 * 1024),
                s.integer("parley.limits.rate", 1, 10_000),
                s.integer("parley.limits.burst", 1, 10_000),
                s.integer("parley.limits.rooms-per-connection", 1, 10_000),
                s.integer("parley.limits.connections-per-user", 1, 10_000),
                s.integer("parley.limits.outbound-queue", 8, 1_000_000),
                s.integer("parley.history.join", 0, 1_000),
                s.integer("parley.history.retain", 1, 1_000_000),
                s.integer("parley.presence.list-limit", 1, 1_000_000));
    }
}
