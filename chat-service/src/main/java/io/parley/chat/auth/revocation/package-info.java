/**
 * Token revocation (protocol §2, {@code disconnect} with {@code revoke}): the {@link
 * io.parley.chat.auth.revocation.Revocations} port remembers, per user, the instant before which that user's tokens
 * are refused; {@link io.parley.chat.auth.revocation.RevocationCheckingVerifier} applies it to every token a
 * connection presents ({@code auth} and {@code refresh}). In memory for a single instance, in Redis (with a TTL) for
 * a cluster, so a revocation made through any instance holds on all of them.
 */
package io.parley.chat.auth.revocation;
