/**
 * The server API of protocol §2, served on the internal admin port under {@code /api/v1}: the monolith publishes
 * system messages, reads presence and history, disconnects (and revokes) users, reads cluster stats, and lists and
 * replays dead letters. Every request is signed ({@link io.parley.chat.signing}); the signature is checked before
 * anything else, and an error of any kind changes nothing. An edge: it calls into {@link io.parley.chat.core.ChatNode}
 * and the stores, never the other way round.
 *
 * <p>To add an endpoint: a constant in {@link io.parley.chat.api.Endpoint} (its route template, also the metric
 * label), one {@code route(...)} line in {@link io.parley.chat.api.ServerApi#routing}, a response record in
 * {@link io.parley.chat.api.Responses}, and its input rules in {@link io.parley.chat.api.RequestBodies}. The
 * {@link io.parley.chat.api.SignatureFilter} covers it without a change.
 */
package io.parley.chat.api;
