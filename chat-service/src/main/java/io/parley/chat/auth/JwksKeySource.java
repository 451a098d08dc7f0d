package io.parley.chat.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.parley.chat.protocol.Json;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Public keys from a JWKS URL, fetched with the JDK HttpClient and cached.
 *
 * <p>Freshness: the set is fetched on first use and again on first use after {@link #MAX_AGE}. A token
 * whose {@code kid} is not in the cache (the issuer rotated its keys) triggers one re-fetch, at most one
 * per {@link #REFETCH_INTERVAL}: a flood of tokens with invented {@code kid}s costs the issuer one request
 * per interval, not one per token. A failed fetch keeps the keys already held (an issuer outage does not
 * log everybody out); after one, nothing is fetched for {@link #REFETCH_INTERVAL}, whatever the reason.
 *
 * <p>Thread-safe: readers see an immutable snapshot; fetches are serialized by a lock, and a thread that
 * waited for one re-checks the fresh snapshot before fetching again.
 */
final class JwksKeySource {

    static final Duration REFETCH_INTERVAL = Duration.ofSeconds(30);
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_DOCUMENT_BYTES = 1 << 20;
    private static final ObjectMapper JSON = JsonMapper.builder(Json.pooledFactory()).build();
    private static final System.Logger LOG = System.getLogger(JwksKeySource.class.getName());

    private record Snapshot(Map<String, VerificationKey> byKid, List<VerificationKey> all, Instant loadedAt) {
        static final Snapshot NONE = new Snapshot(Map.of(), List.of(), null);
    }

    private final URI url;
    private final HttpClient http;
    private final Clock clock;
    private final PinnedParsers parsers;
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile Snapshot snapshot = Snapshot.NONE;
    private Instant lastFailedFetch;       // guarded by fetching
    private Instant lastUnknownKidFetch;   // guarded by fetching

    JwksKeySource(URI url, HttpClient http, Clock clock, PinnedParsers parsers) {
        this.url = url;
        this.http = http;
        this.clock = clock;
        this.parsers = parsers;
    }

    /** The key with this {@code kid}, re-fetching the set (rate-limited) when it is not known. */
    Optional<VerificationKey> byKid(String kid) {
        boolean justFetched = refreshIfStale();
        VerificationKey key = snapshot.byKid().get(kid);
        if (key != null || justFetched) {
            return Optional.ofNullable(key);
        }
        fetching.lock();
        try {
            key = snapshot.byKid().get(kid);
            if (key == null && mayRefetchForUnknownKid() && !failedRecently()) {
                lastUnknownKidFetch = clock.instant();
                fetch();
                key = snapshot.byKid().get(kid);
            }
            return Optional.ofNullable(key);
        } finally {
            fetching.unlock();
        }
    }

    /** Every usable key in the set, for tokens that name no {@code kid}. */
    List<VerificationKey> all() {
        refreshIfStale();
        return snapshot.all();
    }

    /** Fetches when nothing is loaded yet or the set is older than {@link #MAX_AGE}; true if it fetched. */
    private boolean refreshIfStale() {
        if (!isStale(snapshot)) {
            return false;
        }
        fetching.lock();
        try {
            if (!isStale(snapshot) || failedRecently()) {
                return false;
            }
            fetch();
            return true;
        } finally {
            fetching.unlock();
        }
    }

    private boolean isStale(Snapshot current) {
        return current.loadedAt() == null || !clock.instant().isBefore(current.loadedAt().plus(MAX_AGE));
    }

    /** Called with the lock held. */
    private boolean failedRecently() {
        return lastFailedFetch != null && clock.instant().isBefore(lastFailedFetch.plus(REFETCH_INTERVAL));
    }

    /** Called with the lock held. */
    private boolean mayRefetchForUnknownKid() {
        return lastUnknownKidFetch == null || !clock.instant().isBefore(lastUnknownKidFetch.plus(REFETCH_INTERVAL));
    }

    /** Called with the lock held. */
    private void fetch() {
        try {
            snapshot = toSnapshot(download());
            lastFailedFetch = null;
            LOG.log(System.Logger.Level.DEBUG, "JWKS loaded: {0} usable key(s)", snapshot.all().size());
        } catch (IOException | RuntimeException e) {
            lastFailedFetch = clock.instant();
            LOG.log(System.Logger.Level.WARNING, "JWKS fetch failed, keeping {0} cached key(s): {1}",
                    snapshot.all().size(), e.toString());
        } catch (InterruptedException e) {
            lastFailedFetch = clock.instant();
            Thread.currentThread().interrupt();
        }
    }

    private String download() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(FETCH_TIMEOUT)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("JWKS answered HTTP " + response.statusCode());
            }
            byte[] document = body.readNBytes(MAX_DOCUMENT_BYTES + 1);
            if (document.length > MAX_DOCUMENT_BYTES) {
                throw new IOException("JWKS document is larger than " + MAX_DOCUMENT_BYTES + " bytes");
            }
            return new String(document, StandardCharsets.UTF_8);
        }
    }

    /**
     * Keeps the public signature keys Parley can use: RSA (RS256) and EC P-256 (ES256), whose {@code use}
     * (when given) is {@code sig} and whose {@code alg} (when given) is the one the key type pins.
     *
     * <p>Each key is parsed on its own rather than through jjwt's JwkSet, which drops JWKs with the same key
     * material under another {@code kid} (a set holds equal keys once) and would let one key it cannot read
     * cost the others.
     */
    private Snapshot toSnapshot(String document) throws IOException {
        JsonNode keys = JSON.readTree(document).get("keys");
        if (keys == null || !keys.isArray()) {
            throw new IOException("JWKS document has no 'keys' array");
        }
        Map<String, VerificationKey> byKid = new HashMap<>();
        List<VerificationKey> all = new ArrayList<>();
        for (JsonNode member : keys) {
            usableKey(member).ifPresent(key -> {
                all.add(key);
                if (member.path("kid").isTextual()) {
                    byKid.putIfAbsent(member.get("kid").asText(), key);
                }
            });
        }
        return new Snapshot(Map.copyOf(byKid), List.copyOf(all), clock.instant());
    }

    private Optional<VerificationKey> usableKey(JsonNode member) {
        Jwk<?> jwk;
        try {
            jwk = Jwks.parser().build().parse(member.toString());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "JWKS key skipped: {0}", e.toString());
            return Optional.empty();
        }
        if (!(jwk instanceof PublicJwk<?> publicJwk)
                || (publicJwk.getPublicKeyUse() != null && !publicJwk.getPublicKeyUse().equals("sig"))) {
            return Optional.empty();
        }
        return parsers.publicKey(publicJwk.toKey())
                .filter(key -> jwk.getAlgorithm() == null || jwk.getAlgorithm().equals(key.algorithm().name()));
    }
}
