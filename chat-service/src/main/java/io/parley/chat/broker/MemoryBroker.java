package io.parley.chat.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.parley.chat.model.ChatMessage;
import io.parley.chat.model.ControlEvent;
import io.parley.chat.model.MessageId;
import io.parley.chat.model.RoomEvent;

/**
 * The single-instance broker: per-room bounded history in memory, delivery on one dispatch thread so that events
 * reach the listener in the order they were accepted, as they would through Redis. Nothing survives a restart.
 */
public final class MemoryBroker implements Broker {

    private final int retained;
    private final Duration refWindow;
    private final Clock clock;
    private final OutboxSink outbox;
    private final Map<String, RoomLog> rooms = new ConcurrentHashMap<>();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("parley-memory-broker").daemon().factory());
    private volatile BrokerListener listener;

    public MemoryBroker(int retainedPerRoom, Duration refWindow, Clock clock, OutboxSink outbox) {
        this.retained = retainedPerRoom;
        this.refWindow = refWindow;
        this.clock = clock;
        this.outbox = outbox;
    }

    @Override
    public void start(BrokerListener listener) {
        this.listener = listener;
    }

    @Override
    public Published append(MessageDraft draft) {
        RoomLog log = rooms.computeIfAbsent(draft.room(), r -> new RoomLog());
        Published published;
        synchronized (log) {
            long now = clock.millis();
            Optional<ChatMessage> earlier = draft.dedupeKey().flatMap(key -> log.byKey(key, now - refWindow.toMillis()));
            if (earlier.isPresent()) {
                return new Published(earlier.get(), true);
            }
            MessageId id = MessageId.next(log.lastId, now);
            ChatMessage message = new ChatMessage(id.format(draft.room()), draft.room(), draft.user().orElse(null),
                    draft.text(), now, draft.kind(), draft.ref().orElse(null), draft.meta().orElse(null));
            // The outbox first: when it refuses (full), nothing is stored and the sender gets no ack.
            outbox.accepted(message);
            log.add(id, message, draft.dedupeKey(), now, retained);
            published = new Published(message, false);
            // Dispatch inside the lock so that the room's events are queued in id order.
            deliver(new RoomEvent.Posted(message));
        }
        return published;
    }

    @Override
    public History history(String room, Optional<String> since, int limit) {
        RoomLog log = rooms.get(room);
        if (log == null) {
            return new History(List.of(), true, false);
        }
        synchronized (log) {
            return log.read(since.map(MessageId::parse), limit);
        }
    }

    @Override
    public void emit(RoomEvent event) {
        deliver(event);
    }

    @Override
    public void broadcast(ControlEvent event) {
        BrokerListener l = listener;
        if (l != null) {
            dispatcher.execute(() -> l.onControl(event));
        }
    }

    @Override
    public void subscribe(String room) {
        subscribed.add(room);
    }

    @Override
    public void unsubscribe(String room) {
        subscribed.remove(room);
    }

    @Override
    public boolean available() {
        return !dispatcher.isShutdown();
    }

    @Override
    public void close() {
        dispatcher.shutdown();
    }

    private void deliver(RoomEvent event) {
        BrokerListener l = listener;
        if (l != null && subscribed.contains(event.room()) && !dispatcher.isShutdown()) {
            dispatcher.execute(() -> l.onRoomEvent(event));
        }
    }

    /** One room's retained messages, and the refs seen within the window. Guarded by its own monitor. */
    private static final class RoomLog {
        private final ArrayDeque<Entry> entries = new ArrayDeque<>();
        private final LinkedHashMap<String, Keyed> keys = new LinkedHashMap<>();
        private MessageId lastId;
        private MessageId maxTrimmed = MessageId.NONE;

        private record Entry(MessageId id, ChatMessage message) {
        }

        private record Keyed(ChatMessage message, long at) {
        }

        Optional<ChatMessage> byKey(String key, long notBefore) {
            expireKeys(notBefore);
            Keyed keyed = keys.get(key);
            return keyed == null ? Optional.empty() : Optional.of(keyed.message());
        }

        void add(MessageId id, ChatMessage message, Optional<String> key, long now, int retained) {
            entries.addLast(new Entry(id, message));
            lastId = id;
            key.ifPresent(k -> keys.put(k, new Keyed(message, now)));
            // Refs are remembered for the ref window, and for at most as many messages as the room retains.
            Iterator<Keyed> oldest = keys.values().iterator();
            while (keys.size() > retained) {
                oldest.next();
                oldest.remove();
            }
            while (entries.size() > retained) {
                maxTrimmed = entries.removeFirst().id();
            }
        }

        History read(Optional<MessageId> since, int limit) {
            List<ChatMessage> after = new ArrayList<>();
            boolean cut = false;
            if (since.isPresent()) {
                for (Entry e : entries) {
                    if (e.id().compareTo(since.get()) > 0) {
                        if (after.size() == limit) {
                            cut = true;
                            break;
                        }
                        after.add(e.message());
                    }
                }
                return History.page(after, maxTrimmed, since, cut);
            }
            Iterator<Entry> newestFirst = entries.descendingIterator();
            while (newestFirst.hasNext() && after.size() < limit) {
                after.addFirst(newestFirst.next().message());
            }
            return History.page(after, maxTrimmed, since, false);
        }

        private void expireKeys(long notBefore) {
            Iterator<Keyed> it = keys.values().iterator();
            while (it.hasNext() && it.next().at() < notBefore) {
                it.remove();
            }
        }
    }
}
