package io.parley.chat.auth;

/**
 * Port: turns a bearer token into a {@link Principal}.
 *
 * <p>Guarantee: returns only for a token whose signature verifies with a configured key under a
 * pinned algorithm, that carries {@code sub} and {@code exp}, is inside its validity window (with the
 * configured leeway) and matches the configured issuer and audience. Everything else throws
 * {@link AuthException}. Implementations are thread-safe and never log the token.
 */
public interface TokenVerifier {

    Principal verify(String token) throws AuthException;
}
