package io.parley.chat.presence;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.parley.chat.model.User;

import io.parley.chat.redis.RedisConnections;
import io.parley.chat.redis.RedisKeys;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The presence contract against a real {@code redis-server}, each store one instance of a cluster with a short
 * presence TTL; plus recovery from a Redis outage.
 */
class RedisPresenceStoreIT extends SharedPresenceStoreContract {

    private static final RedisKeys keys = RedisKeys.STANDALONE;

    static final Duration TTL = Duration.ofSeconds(1);
    private static RedisServer redis;
    private final List<RedisConnections> connections = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected void afterStoresClosed() {
        connections.forEach(RedisConnections::close);
        redis.flushAll();
    }

    @Override
    protected PresenceStore create(String instanceId, AtomicInteger localConnections) {
        RedisConnections c = RedisConnections.open(redis.redisUri(), RedisConnections.COMMAND_TIMEOUT);
        connections.add(c);
        return new RedisPresenceStore(c, instanceId, TTL, localConnections::get, Clock.systemUTC());
    }


    @Override
    protected void kill(PresenceStore store) {
        ((RedisPresenceStore) store).halt();
    }

    @Override
    protected boolean evictionFinished(String instanceId) {
        return "$-1".equals(redis.command("ZSCORE", RedisKeys.instances(), instanceId))
                && ":0".equals(redis.command("EXISTS", RedisKeys.evictionLock(instanceId)));
    }

    @Test
    void aCleanCloseLeavesAtOnceAndNeedsNoEviction() {
        Instance leaving = instance("leaving");
        Instance staying = instance("staying");
        String r = room("close");
        leaving.store().join(r, ADA, "l1");
        leaving.store().close();
        assertEquals(0, staying.store().memberCount(r));
        assertEquals(List.of(r + "/" + ADA.id()), leaving.evictions(), "the last leave is reported on close");
        assertEquals(1, staying.store().stats().instances());
    }

    @Test
    void aLeaveDuringAnOutageIsAppliedAndReportedAfterRecoveryWithoutEvictingLiveInstances() {
        Instance one = instance("one");
        Instance two = instance("two");
        String r = room("outage");
        one.store().join(r, ADA, "c1");
        two.store().join(r, BOB, "c2");

        redis.kill();
        assertFalse(one.store().leave(r, ADA, "c1"), "cannot be decided now; never throws");
        sleepAtLeast(TTL.multipliedBy(2)); // longer than the TTL: every heartbeat deadline passes meanwhile
        redis.restart();

        Eventually.until("the deferred leave is reported", () -> one.evictions().contains(r + "/" + ADA.id()));
        // Nobody evicts a live instance whose deadline passed during the outage: it heartbeats again first.
        sleepAtLeast(TTL.multipliedBy(3));
        assertEquals(List.of(new Member(BOB, 1)), one.store().members(r, 10));
        assertEquals(List.of(), two.evictions());
        assertEquals(List.of(r + "/" + ADA.id()), one.evictions());
        assertEquals(2, one.store().stats().instances());
    }

    @Test
    void anInstanceEvictedWhileCutOffRestoresItsMembersAtItsNextHeartbeat() {
        Instance cutOff = instance("cut-off");
        Instance other = instance("other");
        String r = room("restore");
        cutOff.store().join(r, ADA, "c1");
        // What survivors leave behind after evicting an instance that was only cut off (a long pause, a partition).
        int shard = keys.shard(r);
        redis.command("ZREM", RedisKeys.instances(), cutOff.id());
        redis.command("DEL", keys.roomMembers(r), keys.roomConnections(r),
                keys.instanceConnections(shard, cutOff.id()), keys.occupiedRooms(shard));
        assertEquals(0, other.store().memberCount(r));

        Eventually.until("the instance put its member back",
                () -> other.store().members(r, 10).equals(List.of(new Member(ADA, 1))));
        // The store writes the member back, then reports it: the report may follow the write by a moment.
        Eventually.until("and reported it once, to be announced",
                () -> cutOff.restorations().equals(List.of(r + "/" + ADA.id())), () -> "" + cutOff.restorations(),
                Eventually.DEFAULT);
        assertTrue(cutOff.store().leave(r, ADA, "c1"), "and its state is consistent again");
    }

    @Test
    void reconciliationRacingJoinsAndLeavesNeitherTakesALeaveOverNorPutsOneBack() throws InterruptedException {
        Instance a = instance("racing");
        RedisPresenceStore store = (RedisPresenceStore) a.store();
        String r = room("race");
        AtomicBoolean done = new AtomicBoolean();
        // Reconciliation runs after Redis trouble while sockets keep joining and leaving; here it runs nonstop.
        Thread reconciler = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                store.reconcile();
            }
        });
        List<String> unreportedLastLeaves = new ArrayList<>();
        try {
            for (int i = 0; i < 2_000; i++) {
                User user = new User("u" + i, "U" + i);
                assertTrue(store.join(r, user, "c" + i));
                if (!store.leave(r, user, "c" + i)) {
                    unreportedLastLeaves.add(user.id());
                }
            }
        } finally {
            done.set(true);
            reconciler.join();
        }
        assertEquals(List.of(), unreportedLastLeaves, "every last leave is the leave call's to report");
        assertEquals(List.of(), a.evictions());
        assertEquals(List.of(), a.restorations());
        assertEquals(0, store.memberCount(r), "no connection that left was put back");
        assertEquals(":0", redis.command("HLEN", keys.instanceConnections(keys.shard(r), a.id())));
    }

    private static void sleepAtLeast(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
