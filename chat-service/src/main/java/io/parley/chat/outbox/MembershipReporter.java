package io.parley.chat.outbox;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.parley.chat.model.User;
import io.parley.chat.protocol.Json;

/**
 * Turns presence transitions into monolith events: {@code member_added}/{@code member_removed}, plus
 * {@code room_occupied} when the member count after a join is 1 and {@code room_vacated} when it is 0 after a leave.
 *
 * <p>The room events follow from a count read after the transition, so two joins racing on two instances into an
 * empty room can both see 2 (no {@code room_occupied}) or, rarely, one sees 1 after the other left: the member
 * events are exact, the room events are a convenience derived from them.
 */
public final class MembershipReporter implements MembershipEvents {

    private static final System.Logger LOG = System.getLogger(MembershipReporter.class.getName());

    private final EventQueue queue;
    private final Clock clock;

    public MembershipReporter(EventQueue queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
    }

    @Override
    public void joined(String room, User user, IntSupplier membersAfter) {
        report(room, user, MonolithEvent.MEMBER_ADDED, membersAfter, 1, MonolithEvent.ROOM_OCCUPIED);
    }

    @Override
    public void left(String room, User user, IntSupplier membersAfter) {
        report(room, user, MonolithEvent.MEMBER_REMOVED, membersAfter, 0, MonolithEvent.ROOM_VACATED);
    }

    private void report(String room, User user, String memberEvent, IntSupplier membersAfter, int roomEdge,
                        String roomEvent) {
        try {
            long now = clock.millis();
            List<String> events = new ArrayList<>(2);
            boolean edge = membersAfter.getAsInt() == roomEdge;
            if (edge && roomEdge == 1) {
                events.add(json(new MonolithEvent(roomEvent, room, null, now)));
            }
            events.add(json(new MonolithEvent(memberEvent, room, user, now)));
            if (edge && roomEdge == 0) {
                events.add(json(new MonolithEvent(roomEvent, room, null, now)));
            }
            queue.add(events);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "presence event for room " + room + " not queued for the monolith: "
                    + e.getMessage());
        }
    }

    private static String json(MonolithEvent event) {
        try {
            return Json.MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event cannot be serialized", e);
        }
    }
}
