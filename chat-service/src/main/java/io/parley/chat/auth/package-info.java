/**
 * Who may connect and where they may go.
 *
 * <p>The port is {@link io.parley.chat.auth.TokenVerifier}: it turns the bearer token of a WebSocket's
 * first frame (or of a {@code refresh}) into a {@link io.parley.chat.auth.Principal}, or refuses it with
 * an {@link io.parley.chat.auth.AuthException} whose message is safe to send to the client.
 * {@link io.parley.chat.auth.JjwtTokenVerifier} implements it with jjwt for the tokens the monolith issues
 * (shared HMAC secrets, PEM public keys, or a JWKS URL; algorithms pinned by configuration), configured by
 * {@link io.parley.chat.auth.AuthSettings}. {@link io.parley.chat.auth.RoomAccess} holds the room rules
 * (the {@code rooms} claim, direct-message rooms and the default policy) and the room name syntax.
 * {@link io.parley.chat.auth.DevTokenIssuer} mints tokens for the development mode only.
 *
 * <p>The package is pure: no sockets except the JWKS fetch, no dependency on the rest of the service.
 * Nothing here logs or echoes a token or a secret.
 */
package io.parley.chat.auth;
