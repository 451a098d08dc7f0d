package io.parley.chat.presence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.parley.chat.model.User;
import io.parley.chat.testing.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link PresenceStore} guarantees, run against every implementation. Implementations whose stores share one
 * backing store (instances of a cluster) run {@link SharedPresenceStoreContract}, which adds the cross-instance and
 * eviction cases.
 */
abstract class PresenceStoreContract {

    static final User ADA = new User("1", "Ada");
    static final User BOB = new User("2", "Bob");
    static final User CID = new User("3", "Cid");

    private final List<PresenceStore> stores = new ArrayList<>();

    /** A new store, one instance of the implementation, reporting {@code connections} as its local socket count. */
    protected abstract PresenceStore create(String instanceId, AtomicInteger connections);




    /** An instance: a started store with a recording eviction listener. */
    protected record Instance(String id, PresenceStore store, List<String> evictions, AtomicInteger connections,
                              List<String> restorations) {
    }

    protected Instance instance(String name) {
        AtomicInteger connections = new AtomicInteger();
        String id = name + "-" + UUID.randomUUID().toString().substring(0, 6);
        PresenceStore store = create(id, connections);
        stores.add(store);
        List<String> evictions = Collections.synchronizedList(new ArrayList<>());
        List<String> restorations = Collections.synchronizedList(new ArrayList<>());
        store.start(new PresenceListener() {
            @Override
            public void evicted(String room, User user) {
                evictions.add(room + "/" + user.id());
            }

            @Override
            public void restored(String room, User user) {
                restorations.add(room + "/" + user.id());
            }
        });
        return new Instance(id, store, evictions, connections, restorations);
    }

    @AfterEach
    void closeStores() {
        stores.forEach(PresenceStore::close);
        afterStoresClosed();
    }

    /** Releases what the stores of a test used, once they are closed. */
    protected void afterStoresClosed() {
    }

    static String room(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void joinIsTrueOnlyForAUsersFirstConnectionAndLeaveOnlyForTheLast() {
        PresenceStore p = instance("a").store();
        String r = room("tabs");
        assertTrue(p.join(r, ADA, "c1"));
        assertFalse(p.join(r, ADA, "c2"), "a second tab is not a new member");
        assertTrue(p.join(r, BOB, "c3"));
        assertFalse(p.leave(r, ADA, "c1"));
        assertTrue(p.leave(r, ADA, "c2"), "the last tab went");
        assertTrue(p.join(r, ADA, "c4"), "and a new first one is a join again");
        assertTrue(p.leave(r, ADA, "c4"));
        assertTrue(p.leave(r, BOB, "c3"));
    }

    @Test
    void joinAndLeaveAreIdempotentPerConnection() {
        PresenceStore p = instance("a").store();
        String r = room("idem");
        assertTrue(p.join(r, ADA, "c1"));
        assertFalse(p.join(r, ADA, "c1"));
        assertEquals(List.of(new Member(ADA, 1)), p.members(r, 10));
        assertTrue(p.leave(r, ADA, "c1"));
        assertFalse(p.leave(r, ADA, "c1"));
        assertFalse(p.leave(r, BOB, "never-joined"));
        assertEquals(0, p.memberCount(r));
    }

    @Test
    void membersAreCountedPerUserWithTheirConnections() {
        PresenceStore p = instance("a").store();
        String r = room("members");
        p.join(r, ADA, "c1");
        p.join(r, ADA, "c2");
        p.join(r, BOB, "c3");
        p.join(room("elsewhere"), CID, "c4");
        assertEquals(2, p.memberCount(r));
        List<Member> members = new ArrayList<>(p.members(r, 10));
        members.sort((x, y) -> x.user().id().compareTo(y.user().id()));
        assertEquals(List.of(new Member(ADA, 2), new Member(BOB, 1)), members);
        assertEquals(1, p.members(r, 1).size(), "at most the limit");
        assertEquals(List.of(), p.members(room("empty"), 10));
    }

    @Test
    void statsCountRoomsWithMembers() {
        Instance a = instance("a");
        a.connections().set(3);
        String r1 = room("s1");
        String r2 = room("s2");
        long before = a.store().stats().rooms();
        a.store().join(r1, ADA, "c1");
        a.store().join(r2, BOB, "c2");
        a.store().join(r2, CID, "c3");
        assertEquals(before + 2, a.store().stats().rooms());
        a.store().leave(r2, BOB, "c2");
        a.store().leave(r2, CID, "c3");
        assertEquals(before + 1, a.store().stats().rooms(), "an empty room is not counted");
        Eventually.until("the local connections are counted", () -> a.store().stats().connections() >= 3);
        assertTrue(a.store().stats().instances() >= 1);
    }
}
