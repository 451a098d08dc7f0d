/**
 * The WebSocket edge: one {@link io.parley.chat.connection.Connection} per socket (its state, its bounded outbound
 * queue and single writer), the registry that counts and sweeps them, and the limits applied to client frames.
 */
package io.parley.chat.connection;
