/**
 * The core: {@link io.parley.chat.core.ChatNode}, where rooms, the broker, presence, the outbox's membership events
 * and metrics meet. The edges ({@code connection}, {@code api}) call in here; the core calls the ports and knows this
 * instance's sockets only through {@link io.parley.chat.core.LocalSessions} (implemented by the connection layer) and
 * {@link io.parley.chat.room.Recipient}. It imports no edge, no adapter and nothing of HTTP or WebSocket.
 */
package io.parley.chat.core;
