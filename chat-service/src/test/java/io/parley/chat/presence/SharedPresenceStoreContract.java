package io.parley.chat.presence;

import java.util.ArrayList;
import java.util.List;
import io.parley.chat.testing.Eventually;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link PresenceStore} guarantees that only stores shared by several instances have: one member per user across
 * instances, cluster-wide stats, and eviction of a dead instance's members by exactly one survivor.
 */
abstract class SharedPresenceStoreContract extends PresenceStoreContract {

    /** Ends a store as a killed process would: no more heartbeats, nothing cleaned up. */
    protected abstract void kill(PresenceStore store);

    /** Whether the survivors have finished evicting the (killed) instance: nothing is left to report. */
    protected abstract boolean evictionFinished(String instanceId);

    @Test
    void tabsOnTwoInstancesAreOneMember() {
        PresenceStore one = instance("one").store();
        PresenceStore two = instance("two").store();
        String r = room("two-tabs");
        assertTrue(one.join(r, ADA, "c1"));
        assertFalse(two.join(r, ADA, "c2"), "the user is already in the room on another instance");
        assertEquals(List.of(new Member(ADA, 2)), two.members(r, 10));
        assertEquals(1, one.memberCount(r));
        assertFalse(one.leave(r, ADA, "c1"), "a tab remains on the other instance");
        assertTrue(two.leave(r, ADA, "c2"));
        assertEquals(0, one.memberCount(r));
    }

    @Test
    void statsCoverEveryLiveInstance() {
        Instance one = instance("one");
        Instance two = instance("two");
        one.connections().set(2);
        two.connections().set(5);
        Eventually.until("two instances with 7 connections",
                () -> one.store().stats().instances() == 2 && one.store().stats().connections() == 7,
                () -> "got " + one.store().stats(), Eventually.DEFAULT);
    }

    @Test
    void aKilledInstancesMembersAreEvictedOnceBySurvivors() {
        Instance doomed = instance("doomed");
        Instance survivor = instance("survivor");
        Instance other = instance("other");
        String r = room("evict");
        String r2 = room("evict2");
        doomed.store().join(r, ADA, "d1");
        doomed.store().join(r, ADA, "d2");
        doomed.store().join(r, BOB, "d3");
        survivor.store().join(r, BOB, "s1");  // Bob stays: he has a tab on a live instance
        doomed.store().join(r2, CID, "d4");
        other.store().join(r2, ADA, "o1");

        kill(doomed.store());
        List<String> expected = List.of(r + "/" + ADA.id(), r2 + "/" + CID.id());
        Eventually.until("the dead instance is evicted and forgotten", () -> evictionFinished(doomed.id()));
        assertEquals(2, survivor.store().stats().instances());
        List<String> reported = new ArrayList<>(survivor.evictions());
        reported.addAll(other.evictions());
        reported.sort(null);
        assertEquals(expected.stream().sorted().toList(), reported, "each user that left is reported once");
        assertEquals(List.of(new Member(BOB, 1)), survivor.store().members(r, 10));
        assertEquals(List.of(new Member(ADA, 1)), survivor.store().members(r2, 10));
    }
}
