package io.parley.chat.core;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import io.parley.chat.auth.AuthException;
import io.parley.chat.auth.Principal;
import io.parley.chat.auth.RoomAccess;
import io.parley.chat.auth.TokenVerifier;
import io.parley.chat.broker.Broker;
import io.parley.chat.broker.BrokerListener;
import io.parley.chat.broker.History;
import io.parley.chat.broker.MessageDraft;
import io.parley.chat.broker.Published;
import io.parley.chat.config.Limits;
import io.parley.chat.model.ChatMessage;
import io.parley.chat.model.ControlEvent;
import io.parley.chat.model.MessageId;
import io.parley.chat.model.RoomEvent;
import io.parley.chat.model.RoomName;
import io.parley.chat.model.User;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.outbox.MembershipEvents;
import io.parley.chat.presence.ClusterStats;
import io.parley.chat.presence.Member;
import io.parley.chat.presence.PresenceListener;
import io.parley.chat.presence.PresenceStore;
import io.parley.chat.protocol.ErrorCode;
import io.parley.chat.protocol.FrameCodec;
import io.parley.chat.protocol.ProtocolException;
import io.parley.chat.protocol.ServerFrame;
import io.parley.chat.room.LocalRooms;
import io.parley.chat.room.Recipient;

/**
 * The orchestrator: where rooms, the broker, presence and metrics meet. The edges (sockets, server API) call in
 * here; this class calls the ports and never a socket or HTTP type directly.
 */
public final class ChatNode implements BrokerListener {

    private static final long TYPING_INTERVAL_MS = 2_000;
    private static final long COUNT_INTERVAL_MS = 5_000;

    private final TokenVerifier verifier;
    private final RoomAccess access;
    private final Broker broker;
    private final PresenceStore presence;
    private final Limits limits;
    private final FrameCodec codec;
    private final ParleyMetrics metrics;
    private final Clock clock;
    private final LocalRooms rooms = new LocalRooms();
    private final Map<String, Long> lastTyping = new ConcurrentHashMap<>();
    private final Map<String, Integer> pendingCounts = new ConcurrentHashMap<>();
    private final Map<String, Long> countSentAt = new ConcurrentHashMap<>();
    private final Lock[] roomLocks = new Lock[64];
    private final LocalSessions sessions;
    private final MembershipEvents membership;

    /**
     * @param membership where presence transitions are reported for the monolith's events endpoint
     * @param sessions   this instance's sockets, for disconnecting a user (control events from the whole cluster)
     * @param clock      what the typing interval and the member-count interval are measured with
     */
    public ChatNode(TokenVerifier verifier, RoomAccess access, Broker broker, PresenceStore presence,
                    MembershipEvents membership, Limits limits, FrameCodec codec, ParleyMetrics metrics,
                    LocalSessions sessions, Clock clock) {
        this.verifier = verifier;
        this.membership = membership;
        this.sessions = sessions;
        this.access = access;
        this.broker = broker;
        this.presence = presence;
        this.limits = limits;
        this.codec = codec;
        this.metrics = metrics;
        this.clock = clock;
        for (int i = 0; i < roomLocks.length; i++) {
            roomLocks[i] = new ReentrantLock();
        }
    }

    /** Starts the broker and presence deliveries into this node. */
    public void start() {
        broker.start(this);
        presence.start(new PresenceListener() {
            @Override
            public void evicted(String room, User user) {
                announce(room, RoomEvent.PresenceChanged.LEAVE, user);
                membership.left(room, user, () -> presence.memberCount(room));
            }

            @Override
            public void restored(String room, User user) {
                announce(room, RoomEvent.PresenceChanged.JOIN, user);
                membership.joined(room, user, () -> presence.memberCount(room));
            }
        });
    }

    public FrameCodec codec() {
        return codec;
    }

    public Limits limits() {
        return limits;
    }

    public Principal authenticate(String token) throws AuthException {
        try {
            return verifier.verify(token);
        } catch (AuthException e) {
            metrics.authFailure(e.reason());
            throw e;
        }
    }

    /** Joins a recipient to a room and returns the {@code joined} answer; the caller delivers it. */
    public ServerFrame.Joined join(Recipient who, Principal principal, String room, Optional<String> since,
                                   Optional<String> ref) throws ProtocolException {
        if (!access.mayJoin(principal, room)) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "you may not join this room", ref, Optional.of(room));
        }
        // Subscribe before reading history: what arrives meanwhile is delivered live, and the recipient drops
        // anything the history already holds, so there is neither a gap nor a duplicate. Under the room's lock, so
        // that a concurrent last leave cannot unsubscribe after this subscribe, and a second joiner cannot read
        // history before the first joiner's subscription is in place.
        underRoomLock(room, () -> {
            if (rooms.add(room, who)) {
                broker.subscribe(room);
            }
        });
        if (presence.join(room, who.user(), who.connectionId())) {
            announce(room, RoomEvent.PresenceChanged.JOIN, who.user());
            membership.joined(room, who.user(), () -> presence.memberCount(room));
        }
        History history = since.isPresent()
                ? broker.history(room, since, limits.retainedPerRoom())
                : broker.history(room, Optional.empty(), limits.joinHistory());
        int count = presence.memberCount(room);
        List<User> members = presence.members(room, limits.presenceListLimit()).stream().map(Member::user).toList();
        Integer memberCount = count > limits.presenceListLimit() ? count : null;
        return new ServerFrame.Joined(room, members, history.messages(), history.complete(),
                history.more() ? Boolean.TRUE : null, memberCount, ref.orElse(null));
    }

    public void leave(Recipient who, String room) {
        underRoomLock(room, () -> {
            if (rooms.remove(room, who)) {
                broker.unsubscribe(room);
            }
        });
        if (presence.leave(room, who.user(), who.connectionId())) {
            announce(room, RoomEvent.PresenceChanged.LEAVE, who.user());
            membership.left(room, who.user(), () -> presence.memberCount(room));
        }
    }

    /** Accepts a user's message durably; the answer is the {@code ack}. */
    public ServerFrame.Ack send(Recipient who, String room, String text, Optional<String> ref) {
        Published p = broker.append(new MessageDraft(room, Optional.of(who.user()), text, ChatMessage.KIND_USER, ref,
                Optional.empty(), ref.map(r -> "u:" + who.user().id() + ":" + r)));
        if (!p.duplicate()) {
            metrics.messageAccepted();
        }
        return new ServerFrame.Ack(ref.orElse(null), p.message().id(), p.message().ts());
    }

    /** Accepts a message from the server API; a message without a user is a system message. */
    public Published publish(String room, Optional<User> user, String text, Optional<Map<String, Object>> meta,
                             Optional<String> ref) {
        Published p = broker.append(new MessageDraft(room, user,
                text, user.isPresent() ? ChatMessage.KIND_USER : ChatMessage.KIND_SYSTEM, ref, meta,
                ref.map(r -> "api:" + r)));
        if (!p.duplicate()) {
            metrics.messageAccepted();
        }
        return p;
    }

    public History history(String room, Optional<String> since, int limit) {
        return broker.history(room, since, limit);
    }

    public List<Member> members(String room) {
        return presence.members(room, Integer.MAX_VALUE);
    }

    public ClusterStats stats() {
        return presence.stats();
    }

    public void typing(Recipient who, String room) {
        long now = clock.millis();
        String key = who.user().id() + '\n' + room;
        Long previous = lastTyping.get(key);
        if (previous != null && now - previous < TYPING_INTERVAL_MS) {
            return;
        }
        lastTyping.put(key, now);
        broker.emit(new RoomEvent.Typing(room, who.user()));
    }

    /** Closes every socket of the user on every instance with 4403. */
    public void disconnectUser(String userId, String reason) {
        broker.broadcast(new ControlEvent.DisconnectUser(userId, reason));
    }

    public int localRoomCount() {
        return rooms.size();
    }

    /**
     * Periodic housekeeping, called by the connection sweeper: forgets old typing stamps and passes on the member
     * counts of large rooms, at most every 5 s per room while they change (by the node's clock, as the typing
     * interval). No I/O: it only reads what events left.
     */
    public void tick() {
        long nowMillis = clock.millis();
        lastTyping.values().removeIf(t -> nowMillis - t > TYPING_INTERVAL_MS);
        countSentAt.values().removeIf(t -> nowMillis - t >= COUNT_INTERVAL_MS);
        for (String room : pendingCounts.keySet()) {
            if (!countSentAt.containsKey(room)) {
                Integer count = pendingCounts.remove(room);
                if (count != null) {
                    countSentAt.put(room, nowMillis);
                    rooms.fanOut(room, null, codec.encodeUtf8(new ServerFrame.Presence(room, "count", null, count)),
                            r -> true, 0);
                }
            }
        }
    }

    @Override
    public void onRoomEvent(RoomEvent event) {
        long start = System.nanoTime();
        switch (event) {
            case RoomEvent.Posted posted -> {
                ChatMessage m = posted.message();
                int n = rooms.fanOut(m.room(), MessageId.parse(m.id()), codec.encodeUtf8(new ServerFrame.Message(m)),
                        r -> true, m.ts());
                metrics.messagesDelivered(n);
            }
            case RoomEvent.PresenceChanged p -> rooms.fanOut(p.room(), null,
                    codec.encodeUtf8(new ServerFrame.Presence(p.room(), p.event(), p.user(), null)),
                    r -> !r.user().id().equals(p.user().id()), 0);
            case RoomEvent.Typing t -> rooms.fanOut(t.room(), null,
                    codec.encodeUtf8(new ServerFrame.Typing(t.room(), t.user())),
                    r -> !r.user().id().equals(t.user().id()), 0);
            case RoomEvent.MemberCount c -> pendingCounts.put(c.room(), c.count());
        }
        metrics.fanoutTook(System.nanoTime() - start);
    }

    @Override
    public void onControl(ControlEvent event) {
        switch (event) {
            case ControlEvent.DisconnectUser d -> sessions.disconnectUser(d.userId(), d.reason());
        }
    }

    /**
     * Per-user presence events while a room is small; above the list limit (and once more as it drops back to it) a
     * member count instead, whose cost does not grow with the square of the room.
     */
    private void announce(String room, String event, User user) {
        int count = presence.memberCount(room);
        if (count <= limits.presenceListLimit()) {
            broker.emit(new RoomEvent.PresenceChanged(room, event, user));
        }
        if (count > limits.presenceListLimit()
                || (count == limits.presenceListLimit() && RoomEvent.PresenceChanged.LEAVE.equals(event))) {
            broker.emit(new RoomEvent.MemberCount(room, count));
        }
    }

    /** Striped locks (not monitors, so a virtual thread waiting on Redis under one does not pin its carrier). */
    private void underRoomLock(String room, Runnable action) {
        Lock lock = roomLocks[RoomName.stripe(room, roomLocks.length)];
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }
}
