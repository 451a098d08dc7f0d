package io.parley.chat.connection;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.parley.chat.ChatNode;
import io.parley.chat.auth.AuthException;
import io.parley.chat.auth.Principal;
import io.parley.chat.broker.BrokerUnavailableException;
import io.parley.chat.model.MessageId;
import io.parley.chat.model.User;
import io.parley.chat.protocol.ClientFrame;
import io.parley.chat.protocol.ErrorCode;
import io.parley.chat.protocol.ProtocolException;
import io.parley.chat.protocol.ServerFrame;
import io.parley.chat.room.Recipient;

/**
 * One WebSocket: authentication, the client frames, and delivery through its single writer. Helidon calls the
 * listener methods on the socket's own virtual thread; fan-out calls {@link #deliver} from the broker's thread.
 * State is kept small because most sockets sit idle for hours.
 */
public final class Connection implements WsListener, Recipient {

    private static final Object PING = new Object();
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    private static final int STRIKES_BEFORE_CLOSE = 20;
    private static final long STRIKE_WINDOW_MS = 10_000;

    private record Close(int code, String reason) {
    }

    private record Pending(MessageId cursor, String frame) {
    }

    /** A joined room: the highest message id delivered, and the events held back while the join is answered. */
    private static final class RoomState {
        MessageId floor;
        List<Pending> held = new ArrayList<>(2);
    }

    private final ConnectionRegistry registry;
    private final ChatNode node;
    private final String id;
    private final long openedAt = System.currentTimeMillis();
    private final OutboundQueue out;
    private volatile WsSession session;
    private volatile Principal principal;
    private volatile User user;
    private volatile long lastSeen = openedAt;
    private volatile long lastPing = openedAt;
    private volatile long closingSince;
    private volatile boolean gone;
    private volatile boolean admitted;
    private Map<String, RoomState> rooms; // guarded by this; created on first join
    private TokenBucket bucket;           // reader thread only
    private int strikes;                  // reader thread only
    private long strikeWindow;            // reader thread only
    private StringBuilder partial;        // reader thread only

    Connection(ConnectionRegistry registry, ChatNode node, String id) {
        this.registry = registry;
        this.node = node;
        this.id = id;
        this.out = new OutboundQueue(node.limits().outboundQueue(), this::write, this::writeFailed);
    }

    // ---- Helidon listener -------------------------------------------------------------------------------------

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        if (!registry.accepting()) {
            throw RequestException.builder().type(DirectHandler.EventType.OTHER)
                    .status(io.helidon.http.Status.SERVICE_UNAVAILABLE_503).message("draining").build();
        }
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        if (origin.isPresent() && !registry.originAllowed(origin.get())) {
            throw RequestException.builder().type(DirectHandler.EventType.FORBIDDEN)
                    .message("origin not allowed").build();
        }
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        this.session = session;
        registry.opened(this);
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        lastSeen = System.currentTimeMillis();
        if (!last || partial != null) {
            if (partial == null) {
                partial = new StringBuilder();
            }
            partial.append(text);
            if (tooLarge(partial, node.limits().maxFrameBytes())) {
                partial = null;
                closeAfterPending(CloseCodes.TOO_BIG, "frame too large");
                return;
            }
            if (!last) {
                return;
            }
            text = partial.toString();
            partial = null;
        } else if (tooLarge(text, node.limits().maxFrameBytes())) {
            closeAfterPending(CloseCodes.TOO_BIG, "frame too large");
            return;
        }
        if (principal == null) {
            authenticate(text);
        } else {
            handle(text);
        }
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        lastSeen = System.currentTimeMillis();
        if (principal == null) {
            refuseAuth("the first frame must be auth");
        } else {
            strike(new ProtocolException(ErrorCode.BAD_REQUEST, "binary frames are not supported"), false);
        }
    }

    @Override
    public void onPong(WsSession session, BufferData buffer) {
        lastSeen = System.currentTimeMillis();
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        gone();
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        LOG.log(System.Logger.Level.DEBUG, "socket " + id + " failed: " + t.getMessage());
        gone();
    }

    // ---- Recipient -------------------------------------------------------------------------------------------

    @Override
    public String connectionId() {
        return id;
    }

    @Override
    public User user() {
        return user;
    }

    @Override
    public void deliver(String room, MessageId cursor, String frame) {
        synchronized (this) {
            RoomState state = rooms == null ? null : rooms.get(room);
            if (state == null) {
                return;
            }
            if (state.held != null) {
                state.held.add(new Pending(cursor, frame));
                return;
            }
            if (cursor != null) {
                if (state.floor != null && cursor.compareTo(state.floor) <= 0) {
                    return; // already delivered through history
                }
                state.floor = cursor;
            }
            enqueue(frame);
        }
    }

    // ---- frames ----------------------------------------------------------------------------------------------

    private void authenticate(String text) {
        ClientFrame frame;
        try {
            frame = node.codec().decode(text);
        } catch (ProtocolException e) {
            refuseAuth("the first frame must be auth");
            return;
        }
        if (!(frame instanceof ClientFrame.Auth auth)) {
            refuseAuth("the first frame must be auth");
            return;
        }
        Principal p;
        try {
            p = node.authenticate(auth.token());
        } catch (AuthException e) {
            refuseAuth(e.getMessage());
            return;
        }
        this.user = new User(p.userId(), p.name());
        this.principal = p;
        if (!registry.admit(this)) {
            closeAfterPending(CloseCodes.LIMITS, "too many connections for this user");
            return;
        }
        bucket = new TokenBucket(node.limits().framesPerSecond(), node.limits().frameBurst(), System.nanoTime());
        send(new ServerFrame.Welcome(id, user, p.expiresAt().getEpochSecond(),
                registry.heartbeat().toSeconds()));
    }

    private void handle(String text) {
        if (!bucket.tryTake(System.nanoTime())) {
            strike(new ProtocolException(ErrorCode.RATE_LIMITED, "too many frames, slow down"), true);
            return;
        }
        ClientFrame frame;
        try {
            frame = node.codec().decode(text);
            dispatch(frame);
        } catch (ProtocolException e) {
            strike(e, false);
        } catch (BrokerUnavailableException e) {
            send(new ServerFrame.Error(ErrorCode.INTERNAL.wire(), "temporarily unavailable, try again", null, null));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "frame failed on socket " + id, e);
            send(new ServerFrame.Error(ErrorCode.INTERNAL.wire(), "internal error", null, null));
        }
    }

    private void dispatch(ClientFrame frame) throws ProtocolException {
        switch (frame) {
            case ClientFrame.Join join -> join(join);
            case ClientFrame.Leave leave -> {
                if (forget(leave.room())) {
                    node.leave(this, leave.room());
                }
                send(new ServerFrame.Left(leave.room(), leave.ref().orElse(null)));
            }
            case ClientFrame.Send s -> {
                requireJoined(s.room(), s.ref());
                try {
                    send(node.send(this, s.room(), s.text(), s.ref()));
                } catch (BrokerUnavailableException e) {
                    throw new ProtocolException(ErrorCode.INTERNAL,
                            "message not accepted: storage unavailable, retry with the same ref", s.ref(),
                            Optional.of(s.room()));
                }
            }
            case ClientFrame.Typing t -> {
                requireJoined(t.room(), t.ref());
                node.typing(this, t.room());
            }
            case ClientFrame.Refresh r -> refresh(r);
            case ClientFrame.Ping p -> send(new ServerFrame.Pong(p.ref().orElse(null)));
            case ClientFrame.Auth a -> throw new ProtocolException(ErrorCode.BAD_REQUEST, "already authenticated",
                    a.ref(), Optional.empty());
        }
    }

    private void join(ClientFrame.Join join) throws ProtocolException {
        String room = join.room();
        synchronized (this) {
            if (rooms == null) {
                rooms = new HashMap<>(4);
            }
            RoomState state = rooms.get(room);
            if (state == null && rooms.size() >= node.limits().roomsPerConnection()) {
                throw new ProtocolException(ErrorCode.FORBIDDEN, "room limit reached ("
                        + node.limits().roomsPerConnection() + " per connection)", join.ref(), Optional.of(room));
            }
            if (state == null) {
                rooms.put(room, new RoomState());
            } else if (state.held == null) {
                state.held = new ArrayList<>(2); // a re-join (resume): hold live events again until answered
            }
        }
        ServerFrame.Joined joined;
        try {
            joined = node.join(this, principal, room, join.since(), join.ref());
        } catch (ProtocolException | RuntimeException e) {
            if (forget(room)) {
                node.leave(this, room);
            }
            throw e;
        }
        if (gone) {
            node.leave(this, room); // the socket went away while joining: undo
            return;
        }
        synchronized (this) {
            RoomState state = rooms.get(room);
            if (state == null) {
                return;
            }
            enqueue(node.codec().encode(joined));
            state.floor = joined.history().isEmpty()
                    ? join.since().map(MessageId::parse).orElse(state.floor)
                    : MessageId.parse(joined.history().getLast().id());
            List<Pending> held = state.held;
            state.held = null;
            for (Pending p : held) {
                if (p.cursor() != null) {
                    if (state.floor != null && p.cursor().compareTo(state.floor) <= 0) {
                        continue;
                    }
                    state.floor = p.cursor();
                }
                enqueue(p.frame());
            }
        }
    }

    private void refresh(ClientFrame.Refresh r) {
        Principal next;
        try {
            next = node.authenticate(r.token());
        } catch (AuthException e) {
            refuseAuth(e.getMessage());
            return;
        }
        if (!next.userId().equals(principal.userId())) {
            refuseAuth("the new token is for another user");
            return;
        }
        principal = next;
        send(new ServerFrame.Refreshed(next.expiresAt().getEpochSecond(), r.ref().orElse(null)));
    }

    private void requireJoined(String room, Optional<String> ref) throws ProtocolException {
        synchronized (this) {
            if (rooms == null || !rooms.containsKey(room)) {
                throw new ProtocolException(ErrorCode.NOT_JOINED, "join the room first", ref, Optional.of(room));
            }
        }
    }

    /** Removes the room from this socket's state; true when it was there. */
    private boolean forget(String room) {
        synchronized (this) {
            return rooms != null && rooms.remove(room) != null;
        }
    }

    /** A refused frame: answered with an error; persistent abuse closes the socket. */
    private void strike(ProtocolException e, boolean rate) {
        send(e.toFrame());
        long now = System.currentTimeMillis();
        if (now - strikeWindow > STRIKE_WINDOW_MS) {
            strikeWindow = now;
            strikes = 0;
        }
        if (++strikes > STRIKES_BEFORE_CLOSE) {
            closeAfterPending(rate ? CloseCodes.LIMITS : CloseCodes.PROTOCOL_ABUSE,
                    rate ? "rate limit exceeded repeatedly" : "too many bad frames");
        }
    }

    private void refuseAuth(String why) {
        send(new ServerFrame.Error(ErrorCode.UNAUTHORIZED.wire(), why, null, null));
        closeAfterPending(CloseCodes.UNAUTHORIZED, "unauthorized");
    }

    // ---- output ------------------------------------------------------------------------------------------------

    void send(ServerFrame frame) {
        enqueue(node.codec().encode(frame));
    }

    private void enqueue(String frame) {
        if (!out.offer(frame)) {
            registry.slowConsumer(this);
            closeNow(CloseCodes.SLOW_CONSUMER, "too slow");
        }
    }

    void ping() {
        lastPing = System.currentTimeMillis();
        if (!out.offer(PING)) {
            registry.slowConsumer(this);
            closeNow(CloseCodes.SLOW_CONSUMER, "too slow");
        }
    }

    /** Closes after what is already queued has been written (e.g. an error frame explaining why). */
    void closeAfterPending(int code, String reason) {
        closingSince = System.currentTimeMillis();
        out.seal(new Close(code, reason), false);
    }

    /** Closes dropping whatever was queued. */
    void closeNow(int code, String reason) {
        closingSince = System.currentTimeMillis();
        out.seal(new Close(code, reason), true);
    }

    /** Drops the TCP connection without a close handshake (a silent or stuck peer). */
    void terminate() {
        WsSession s = session;
        if (s != null) {
            try {
                s.terminate();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "terminate failed on " + id + ": " + e.getMessage());
            }
        }
        gone();
    }

    private void write(Object item) {
        WsSession s = session;
        if (item instanceof String text) {
            s.send(text, true);
        } else if (item == PING) {
            s.ping(BufferData.empty());
        } else if (item instanceof Close close) {
            s.close(close.code(), close.reason());
        }
    }

    private void writeFailed(Exception e) {
        LOG.log(System.Logger.Level.DEBUG, "write failed on socket " + id + ": " + e.getMessage());
        terminate();
    }

    /** Cleans up once, however the socket ended. */
    private void gone() {
        synchronized (this) {
            if (gone) {
                return;
            }
            gone = true;
        }
        registry.closed(this);
        List<String> joined;
        synchronized (this) {
            joined = rooms == null ? List.of() : List.copyOf(rooms.keySet());
            rooms = null;
        }
        for (String room : joined) {
            try {
                node.leave(this, room);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "leave of " + room + " failed for " + id, e);
            }
        }
    }

    // ---- for the registry's sweep ----------------------------------------------------------------------------

    Principal principal() {
        return principal;
    }

    long openedAt() {
        return openedAt;
    }

    long lastSeen() {
        return lastSeen;
    }

    long lastPing() {
        return lastPing;
    }

    long closingSince() {
        return closingSince;
    }

    void markAdmitted() {
        admitted = true;
    }

    boolean admitted() {
        return admitted;
    }

    Instant expiresAt() {
        return principal.expiresAt();
    }

    private static boolean tooLarge(CharSequence s, int limitBytes) {
        if (s.length() > limitBytes) {
            return true; // every char takes at least one byte
        }
        if ((long) s.length() * 3 <= limitBytes) {
            return false; // and at most three
        }
        return s.toString().getBytes(StandardCharsets.UTF_8).length > limitBytes;
    }
}
