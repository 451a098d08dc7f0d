package io.parley.chat.auth.revocation;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Revocations of a single instance, in this process; forgotten on restart (see the docs on in-memory mode). */
public final class MemoryRevocations implements Revocations {

    private record Revoked(Instant at, Instant until) {
    }

    private final Clock clock;
    private final Map<String, Revoked> revoked = new ConcurrentHashMap<>();

    public MemoryRevocations(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void revoke(String userId, Instant at) {
        Instant now = clock.instant();
        revoked.values().removeIf(r -> r.until().isBefore(now));
        revoked.merge(userId, new Revoked(at, at.plus(RETENTION)),
                (old, fresh) -> fresh.at().isAfter(old.at()) ? fresh : old);
    }

    @Override
    public boolean isRevoked(String userId, Optional<Instant> issuedAt) {
        Revoked r = revoked.get(userId);
        return r != null && r.until().isAfter(clock.instant()) && Revocations.covers(r.at(), issuedAt);
    }
}
