/**
 * Replay protection for the server API (protocol §4): the {@link io.parley.chat.signing.replay.ReplayGuard} port
 * and its memory and Redis implementations, chosen in {@code Adapters}.
 */
package io.parley.chat.signing.replay;
