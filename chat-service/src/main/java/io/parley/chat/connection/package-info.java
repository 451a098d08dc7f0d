/**
 * The chat socket edge. {@link io.parley.chat.connection.websocket} is RFC 6455 on Helidon (handshake, frames, the
 * single writer); here is what a socket means to chat: {@link io.parley.chat.connection.Session} (authentication,
 * the client frames, closing), {@link io.parley.chat.connection.RoomSubscriptions} (the join/live sync per room),
 * {@link io.parley.chat.connection.FrameGuard} (rate and strikes), {@link io.parley.chat.connection.LiveSessions}
 * (the open sessions and their counts, shared with the core and presence), and the
 * {@link io.parley.chat.connection.ConnectionRegistry} that opens, sweeps and drains the sessions.
 */
package io.parley.chat.connection;
