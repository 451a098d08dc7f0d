package io.parley.chat.connection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.parley.chat.connection.websocket.Outgoing;
import io.parley.chat.model.MessageId;

/**
 * The rooms one socket has joined, and the join/live sync of each: while a {@code join} is being answered, live
 * events of that room are held back; when the answer (with history) is queued, the held events follow, less any
 * message the history already carried. After that a message is passed on only if its id is above the room's floor,
 * so a resume neither loses nor repeats a message.
 *
 * <p>Threads: joins and leaves come from the socket's reader (and {@link #removeAll} from whichever thread closes
 * the socket); deliveries from the broker's single dispatch thread (and the sweeper, for events without an id). A
 * delivery to a live room takes no lock: the rooms are an immutable map replaced on every change (joins are rare,
 * deliveries are not, and most sockets are in one room, where {@code Map.of} is one small object), the floor is
 * touched only by the dispatch thread once the room is live, and the switch to live is a volatile write after the
 * floor is set.
 */
final class RoomSubscriptions {

    private record Held(MessageId cursor, Outgoing.Text frame) {
    }

    private static final class Room {
        volatile boolean live;
        MessageId floor;               // written by the joiner before live, then by the dispatch thread only
        List<Held> held = new ArrayList<>(2); // guarded by this Room while not live
    }

    private volatile Map<String, Room> rooms = Map.of(); // replaced, never modified, under this object's lock

    int size() {
        return rooms.size();
    }

    boolean contains(String room) {
        return rooms.containsKey(room);
    }

    /** Starts a join (or a re-join, which holds live events again); false when a new room would pass the limit. */
    synchronized boolean startJoin(String room, int limit) {
        Room existing = rooms.get(room);
        Room fresh = new Room();
        if (existing != null) {
            fresh.floor = existing.floor;
        } else if (rooms.size() >= limit) {
            return false;
        }
        Map<String, Room> next = new HashMap<>(rooms);
        next.put(room, fresh);
        rooms = Map.copyOf(next);
        return true;
    }

    /**
     * Completes a join: {@code answer} is sent, then the held events above the new floor. Returns false when the room
     * was left (or the socket closed) meanwhile.
     */
    boolean finishJoin(String room, MessageId floor, Runnable answer, Consumer<Outgoing.Text> send) {
        Room state = rooms.get(room);
        if (state == null) {
            return false;
        }
        synchronized (state) {
            answer.run();
            if (floor != null) {
                state.floor = floor;
            }
            for (Held h : state.held) {
                if (above(state, h.cursor())) {
                    send.accept(h.frame());
                }
            }
            state.held = null;
            state.live = true;
        }
        return true;
    }

    /**
     * Whether a room's frame is to be sent now; false when it is held while the join is answered (it goes out with
     * {@link #finishJoin}) or dropped (the room is not joined, or the message was already delivered). Called once per
     * recipient of every room event, so it allocates nothing unless it holds.
     */
    boolean admit(String room, MessageId cursor, Outgoing.Text frame) {
        Room state = rooms.get(room);
        if (state == null) {
            return false;
        }
        if (!state.live) {
            synchronized (state) {
                if (!state.live) {
                    state.held.add(new Held(cursor, frame));
                    return false;
                }
            }
        }
        return above(state, cursor);
    }

    synchronized boolean remove(String room) {
        if (!rooms.containsKey(room)) {
            return false;
        }
        Map<String, Room> next = new HashMap<>(rooms);
        next.remove(room);
        rooms = Map.copyOf(next);
        return true;
    }

    /** Forgets every room; returns their names (to leave them in the core). */
    synchronized Set<String> removeAll() {
        Set<String> names = rooms.keySet();
        rooms = Map.of();
        return names;
    }

    private static boolean above(Room state, MessageId cursor) {
        if (cursor == null) {
            return true; // presence, typing, counts: not part of the message sequence
        }
        if (state.floor != null && cursor.compareTo(state.floor) <= 0) {
            return false;
        }
        state.floor = cursor;
        return true;
    }
}
