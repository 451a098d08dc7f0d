package io.parley.chat.room;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.parley.chat.model.MessageId;

/** Local membership: room to the local recipients in it. Thread-safe. */
public final class LocalRooms {

    private final Map<String, Set<Recipient>> rooms = new ConcurrentHashMap<>();

    /** Adds the recipient; returns true when it is the room's first local one (subscribe to the room then). */
    public boolean add(String room, Recipient recipient) {
        boolean[] first = {false};
        rooms.compute(room, (r, members) -> {
            Set<Recipient> m = members == null ? ConcurrentHashMap.newKeySet() : members;
            first[0] = m.isEmpty();
            m.add(recipient);
            return m;
        });
        return first[0];
    }

    /** Removes the recipient; returns true when the room has no local recipient left (unsubscribe then). */
    public boolean remove(String room, Recipient recipient) {
        boolean[] last = {false};
        rooms.computeIfPresent(room, (r, members) -> {
            if (members.remove(recipient) && members.isEmpty()) {
                last[0] = true;
                return null;
            }
            return members;
        });
        return last[0];
    }

    /**
     * Enqueues the frame (UTF-8 JSON, the same array for every recipient) to every local recipient of the room that the
     * filter accepts; returns how many. With a non-zero {@code sampleSince}, the first recipient measures delivery.
     */
    public int fanOut(String room, MessageId cursor, byte[] frame, Predicate<Recipient> filter, long sampleSince) {
        Set<Recipient> members = rooms.get(room);
        if (members == null) {
            return 0;
        }
        int n = 0;
        for (Recipient r : members) {
            if (filter.test(r)) {
                r.deliver(room, cursor, frame, n == 0 ? sampleSince : 0);
                n++;
            }
        }
        return n;
    }

    public int size() {
        return rooms.size();
    }
}
