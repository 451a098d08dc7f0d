package io.parley.it.cluster;

import org.junit.jupiter.api.BeforeAll;

/**
 * The cross-instance conversation tests (a conversation, resume with {@code since} on another instance, tabs on two
 * instances, a disconnect from the API, stats and presence) on a real Redis Cluster in cluster mode.
 */
class ConversationOnRedisClusterIT extends ConversationAcrossInstancesIT {

    @BeforeAll
    static void start() {
        startOn(Cluster.startOnRedisCluster());
    }
}
