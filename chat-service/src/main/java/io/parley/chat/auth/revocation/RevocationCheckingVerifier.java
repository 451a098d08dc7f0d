package io.parley.chat.auth.revocation;

import io.parley.chat.auth.AuthException;
import io.parley.chat.auth.Principal;
import io.parley.chat.auth.TokenVerifier;

/**
 * A {@link TokenVerifier} that refuses, with reason {@code revoked}, the tokens of a revoked user issued before the
 * revocation. It checks after the delegate, so only genuine tokens cost a revocation lookup. When the store cannot be
 * read the token is refused (reason {@code unavailable}): a revoked user must not slip in during a Redis outage.
 */
public final class RevocationCheckingVerifier implements TokenVerifier {

    private final TokenVerifier delegate;
    private final Revocations revocations;

    public RevocationCheckingVerifier(TokenVerifier delegate, Revocations revocations) {
        this.delegate = delegate;
        this.revocations = revocations;
    }

    @Override
    public Principal verify(String token) throws AuthException {
        Principal principal = delegate.verify(token);
        boolean revoked;
        try {
            revoked = revocations.isRevoked(principal.userId(), principal.issuedAt());
        } catch (RevocationUnavailableException e) {
            throw new AuthException("unavailable", "tokens cannot be checked right now, retry shortly");
        }
        if (revoked) {
            throw new AuthException("revoked", "token has been revoked");
        }
        return principal;
    }
}
