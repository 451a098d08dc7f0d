/**
 * The server API of protocol §2, served on the internal admin port under {@code /api/v1}: the monolith publishes
 * system messages, reads presence and history, disconnects (and revokes) users, reads cluster stats, and lists and
 * replays dead letters. Every request is signed ({@link io.parley.chat.signing}); the signature is checked before
 * anything else, and an error of any kind changes nothing. An edge: it calls into {@link io.parley.chat.core.ChatNode}
 * and the stores, never the other way round.
 */
package io.parley.chat.api;
