/**
 * The chat socket edge. {@link io.parley.chat.connection.websocket} is RFC 6455 on Helidon (handshake, frames, the
 * single writer); here is what a socket means to chat: {@link io.parley.chat.connection.Session} (authentication,
 * the client frames, closing), {@link io.parley.chat.connection.RoomSubscriptions} (the join/live sync per room),
 * {@link io.parley.chat.connection.FrameGuard} (rate and strikes), and the
 * {@link io.parley.chat.connection.ConnectionRegistry} that counts and sweeps the sessions.
 */
package io.parley.chat.connection;
