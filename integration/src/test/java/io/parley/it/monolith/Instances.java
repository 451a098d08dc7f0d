package io.parley.it.monolith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.parley.chat.ParleyServer;
import io.parley.chat.api.SignedApiClient;
import io.parley.chat.testing.RedisServer;
import io.parley.chat.testing.TestServers;

/**
 * Parley instances for the monolith tests, in this JVM: pointed at a stand-in monolith (history and events), with
 * the server API enabled, on one Redis when given (a cluster) or in memory (a single instance). The presence TTL is
 * short so that a dead instance's work is taken over quickly (it is also the outbox claim time).
 */
final class Instances implements AutoCloseable {

    static final String API_SECRET = "monolith-api-secret-0123456789abcdef-0123";
    static final String PRESENCE_TTL = "2s";

    private final StandInMonolith monolith;
    private final Optional<RedisServer> redis;
    private final List<ParleyServer> servers = new ArrayList<>();

    Instances(StandInMonolith monolith, Optional<RedisServer> redis) {
        this.monolith = monolith;
        this.redis = redis;
    }

    /** The variables an instance of this set gets (for child processes too). */
    Map<String, String> environment(String instanceId) {
        Map<String, String> env = TestServers.with(TestServers.defaults(), "PARLEY_API_SECRETS", API_SECRET,
                "PARLEY_INSTANCE_ID", instanceId, "PARLEY_PRESENCE_TTL", PRESENCE_TTL, "PARLEY_DRAIN_PERIOD", "100ms",
                // the tests send faster than a person types
                "PARLEY_LIMITS_RATE", "1000", "PARLEY_LIMITS_BURST", "1000");
        env.putAll(monolith.environment());
        redis.ifPresent(r -> env.put("PARLEY_REDIS_URI", r.uri()));
        return env;
    }

    ParleyServer start(String instanceId) {
        ParleyServer server = ParleyServer.start(environment(instanceId));
        servers.add(server);
        return server;
    }

    static SignedApiClient api(ParleyServer server) {
        return new SignedApiClient(server.adminPort(), API_SECRET);
    }

    @Override
    public void close() {
        servers.forEach(ParleyServer::close);
    }
}
