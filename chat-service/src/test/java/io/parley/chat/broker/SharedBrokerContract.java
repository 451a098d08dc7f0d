package io.parley.chat.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import io.parley.chat.model.ChatMessage;
import io.parley.chat.model.ControlEvent;
import io.parley.chat.model.MessageId;
import io.parley.chat.model.RoomEvent;
import io.parley.chat.model.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link Broker} guarantees that only brokers sharing one store have: several instances of a cluster see each
 * other's rooms, history, refs, control and ephemeral events.
 */
abstract class SharedBrokerContract extends BrokerContract {

    @Test
    void instancesShareRoomsHistoryAndDedupe() {
        Started one = broker(100);
        Started two = broker(100);
        String r = room("shared");
        one.broker().subscribe(r);
        two.broker().subscribe(r);

        ChatMessage fromOne = one.broker().append(keyed(r, "hi from one", "k-1")).message();
        ChatMessage fromTwo = two.broker().append(draft(r, "hi from two")).message();
        assertTrue(MessageId.parse(fromTwo.id()).compareTo(MessageId.parse(fromOne.id())) > 0,
                "ids increase per room across instances");
        for (Started s : List.of(one, two)) {
            assertEquals(fromOne, s.listener().nextPosted());
            assertEquals(fromTwo, s.listener().nextPosted());
        }
        Published retried = two.broker().append(keyed(r, "hi from one", "k-1"));
        assertTrue(retried.duplicate(), "a ref holds across instances");
        assertEquals(fromOne.id(), retried.message().id());

        assertEquals(List.of(fromTwo), two.broker().history(r, Optional.of(fromOne.id()), 10).messages(),
                "a cursor from one instance works on another");
    }

    @Test
    void controlEventsReachEveryInstance() {
        Started one = broker(100);
        Started two = broker(100);
        two.broker().broadcast(new ControlEvent.DisconnectUser("7", "revoked"));
        assertInstanceOf(ControlEvent.DisconnectUser.class, one.listener().nextControl());
        assertInstanceOf(ControlEvent.DisconnectUser.class, two.listener().nextControl());
    }

    @Test
    void typingOnOneInstanceReachesAnotherThatSubscribed() {
        Started one = broker(100);
        Started two = broker(100);
        String r = room("typing");
        two.broker().subscribe(r);
        one.broker().emit(new RoomEvent.Typing(r, BOB));
        assertEquals(new RoomEvent.Typing(r, BOB), two.listener().next());
    }
}
