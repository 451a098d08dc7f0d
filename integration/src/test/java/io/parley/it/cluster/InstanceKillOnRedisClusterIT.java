package io.parley.it.cluster;

import org.junit.jupiter.api.BeforeAll;

/** An instance killed with SIGKILL while its members chat, on a real Redis Cluster in cluster mode. */
class InstanceKillOnRedisClusterIT extends InstanceKillIT {

    @BeforeAll
    static void start() {
        startOn(Cluster.startOnRedisCluster());
    }
}
