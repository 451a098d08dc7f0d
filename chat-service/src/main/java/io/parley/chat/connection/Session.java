package io.parley.chat.connection;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.parley.chat.auth.AuthException;
import io.parley.chat.auth.Principal;
import io.parley.chat.broker.BrokerUnavailableException;
import io.parley.chat.connection.websocket.Outgoing;
import io.parley.chat.connection.websocket.SocketHandler;
import io.parley.chat.connection.websocket.WebSocket;
import io.parley.chat.core.ChatNode;
import io.parley.chat.model.MessageId;
import io.parley.chat.model.User;
import io.parley.chat.observe.ConnectionLog;
import io.parley.chat.protocol.ClientFrame;
import io.parley.chat.protocol.ErrorCode;
import io.parley.chat.protocol.ProtocolException;
import io.parley.chat.protocol.ServerFrame;
import io.parley.chat.room.Recipient;

/**
 * One chat socket: authentication and refresh, the client frames of protocol §1, and delivery of room events. The
 * WebSocket layer calls in on the socket's reader thread; fan-out calls {@link #deliver} from the broker's thread.
 *
 * <p>Closing is decided once ({@link #closeWith}): from that moment no further frame is processed, the socket leaves
 * the registry's counts and stops receiving room events, its rooms are left in the core on a virtual thread of its
 * own, and the WebSocket layer cuts the TCP connection if the peer does not answer the close in time.
 */
final class Session implements SocketHandler, Recipient {

    private static final System.Logger LOG = System.getLogger(Session.class.getName());

    private final ConnectionRegistry registry;
    private final ChatNode node;
    private final String id;
    private final long openedAt;
    private final RoomSubscriptions rooms = new RoomSubscriptions();
    private boolean finished; // guarded by this
    private volatile WebSocket socket;
    private volatile Principal principal;
    private volatile User user;
    private volatile long lastSeen;
    private volatile long lastPing;
    private volatile boolean closing;
    private volatile boolean admitted;
    private FrameGuard guard; // reader thread only; set at authentication

    Session(ConnectionRegistry registry, ChatNode node, String id) {
        this.registry = registry;
        this.node = node;
        this.id = id;
        this.openedAt = registry.clock().millis();
        this.lastSeen = openedAt;
        this.lastPing = openedAt;
    }

    // ---- SocketHandler -----------------------------------------------------------------------------------------

    @Override
    public void opened(WebSocket socket) {
        this.socket = socket;
        registry.opened(this);
    }

    @Override
    public void text(String text) {
        if (closing) {
            return;
        }
        if (principal == null) {
            authenticate(text);
        } else {
            handle(text);
        }
    }

    @Override
    public void binary(int length) {
        if (closing) {
            return;
        }
        if (principal == null) {
            refuseAuth("the first frame must be auth");
        } else {
            refuse(new ProtocolException(ErrorCode.BAD_REQUEST, "binary frames are not supported"));
        }
    }

    @Override
    public void alive() {
        lastSeen = registry.clock().millis();
    }

    @Override
    public void sampleWritten(long sampleSince) {
        registry.metrics().delivered(TimeUnit.MILLISECONDS.toNanos(registry.clock().millis() - sampleSince));
    }

    @Override
    public void ended(int closeCode) {
        closing = true;
        registry.metrics().closed(closeCode);
        finish();
    }

    // ---- Recipient -----------------------------------------------------------------------------------------------

    @Override
    public String connectionId() {
        return id;
    }

    @Override
    public User user() {
        return user;
    }

    @Override
    public void deliver(String room, MessageId cursor, byte[] frame, long sampleSince) {
        if (!closing) {
            Outgoing.Text text = new Outgoing.Text(frame, sampleSince);
            if (rooms.admit(room, cursor, text)) {
                enqueue(text);
            }
        }
    }

    // ---- frames --------------------------------------------------------------------------------------------------

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
        Principal p = verifiedOrRefused(auth.token());
        if (p == null) {
            return;
        }
        this.user = new User(p.userId(), p.name());
        this.guard = new FrameGuard(node.limits().framesPerSecond(), node.limits().frameBurst(), System.nanoTime());
        if (!registry.admit(this)) {
            closeWith(CloseCodes.LIMITS, "too many connections for this user", true);
            return;
        }
        this.principal = p;
        send(new ServerFrame.Welcome(id, user, p.expiresAt().getEpochSecond(), registry.heartbeat().toSeconds(),
                registry.welcomeLimits()));
    }

    private void handle(String text) {
        long received = System.nanoTime();
        ClientFrame frame;
        try {
            frame = node.codec().decode(text);
        } catch (ProtocolException e) {
            refuse(e);
            return;
        }
        if (!guard.admit(System.nanoTime())) {
            refuse(new ProtocolException(ErrorCode.RATE_LIMITED, "too many frames, slow down", frame.ref(),
                    roomOf(frame)));
            return;
        }
        try {
            dispatch(frame, received);
        } catch (ProtocolException e) {
            refuse(e);
        } catch (BrokerUnavailableException e) {
            send(new ServerFrame.Error(ErrorCode.INTERNAL.wire(), "temporarily unavailable, try again",
                    frame.ref().orElse(null), roomOf(frame).orElse(null)));
        } catch (RuntimeException e) {
            warn("frame failed on socket " + id + ": " + e);
            send(new ServerFrame.Error(ErrorCode.INTERNAL.wire(), "internal error", frame.ref().orElse(null), null));
        }
    }

    private void dispatch(ClientFrame frame, long received) throws ProtocolException {
        switch (frame) {
            case ClientFrame.Join join -> join(join);
            case ClientFrame.Leave leave -> {
                if (rooms.remove(leave.room())) {
                    node.leave(this, leave.room());
                }
                send(new ServerFrame.Left(leave.room(), leave.ref().orElse(null)));
            }
            case ClientFrame.Send s -> {
                requireJoined(s.room(), s.ref());
                try {
                    send(node.send(this, s.room(), s.text(), s.ref()));
                    registry.metrics().ackTook(System.nanoTime() - received);
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
        if (!rooms.startJoin(room, node.limits().roomsPerConnection())) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "room limit reached ("
                    + node.limits().roomsPerConnection() + " per connection)", join.ref(), Optional.of(room));
        }
        ServerFrame.Joined joined;
        try {
            joined = node.join(this, principal, room, join.since(), join.ref());
        } catch (ProtocolException | RuntimeException e) {
            if (rooms.remove(room)) {
                node.leave(this, room);
            }
            throw e;
        }
        MessageId floor = joined.history().isEmpty()
                ? join.since().map(MessageId::parse).orElse(null)
                : MessageId.parse(joined.history().getLast().id());
        if (closing || !rooms.finishJoin(room, floor, () -> send(joined), this::enqueue)) {
            node.leave(this, room); // the room was left, or the socket closed, while joining: undo
        }
    }

    private void refresh(ClientFrame.Refresh r) {
        Principal next = verifiedOrRefused(r.token());
        if (next == null) {
            return;
        }
        if (!next.userId().equals(principal.userId())) {
            refuseAuth("the new token is for another user");
            return;
        }
        principal = next;
        send(new ServerFrame.Refreshed(next.expiresAt().getEpochSecond(), r.ref().orElse(null)));
    }

    /** The token's principal; null after refusing it (error, then close 4401). */
    private Principal verifiedOrRefused(String token) {
        try {
            return node.authenticate(token);
        } catch (AuthException e) {
            refuseAuth(e.getMessage());
            return null;
        }
    }

    private void requireJoined(String room, Optional<String> ref) throws ProtocolException {
        if (!rooms.contains(room)) {
            throw new ProtocolException(ErrorCode.NOT_JOINED, "join the room first", ref, Optional.of(room));
        }
    }

    /** A refused frame: answered with an error that echoes its ref; persistent abuse closes the socket. */
    private void refuse(ProtocolException e) {
        send(e.toFrame());
        if (guard.strike(registry.clock().millis()) == FrameGuard.Verdict.CLOSE) {
            boolean rate = e.code() == ErrorCode.RATE_LIMITED;
            closeWith(FrameGuard.closeCodeFor(e.code()), rate ? "rate limit exceeded repeatedly" : "too many bad frames",
                    true);
        }
    }

    private void refuseAuth(String why) {
        send(new ServerFrame.Error(ErrorCode.UNAUTHORIZED.wire(), why, null, null));
        closeWith(CloseCodes.UNAUTHORIZED, "unauthorized", true);
    }

    private static Optional<String> roomOf(ClientFrame frame) {
        return switch (frame) {
            case ClientFrame.Join j -> Optional.of(j.room());
            case ClientFrame.Leave l -> Optional.of(l.room());
            case ClientFrame.Send s -> Optional.of(s.room());
            case ClientFrame.Typing t -> Optional.of(t.room());
            default -> Optional.empty();
        };
    }

    // ---- output and closing ----------------------------------------------------------------------------------------

    void send(ServerFrame frame) {
        enqueue(new Outgoing.Text(node.codec().encodeUtf8(frame)));
    }

    private void enqueue(Outgoing.Text frame) {
        if (!socket.send(frame)) {
            registry.metrics().slowConsumerClosed();
            closeWith(CloseCodes.SLOW_CONSUMER, "too slow", false);
        } else if (frame.sampleSince() != 0) {
            registry.metrics().queueDepth(socket.queued());
        }
    }

    void ping() {
        lastPing = registry.clock().millis();
        if (!socket.send(new Outgoing.Ping())) {
            registry.metrics().slowConsumerClosed();
            closeWith(CloseCodes.SLOW_CONSUMER, "too slow", false);
        }
    }

    /**
     * The server's decision to close: nothing more is processed, the socket leaves counts and rooms now, and the close
     * frame goes out after what is queued ({@code afterPending}) or instead of it.
     */
    void closeWith(int code, String reason, boolean afterPending) {
        closing = true;
        WebSocket s = socket;
        if (s != null) {
            s.close(code, reason, !afterPending);
        }
        finish();
    }

    /** Cuts a silent peer without a close handshake. */
    void terminate() {
        closing = true;
        WebSocket s = socket;
        if (s != null) {
            s.terminate();
        }
        finish();
    }

    /** Leaves the counts at once and the rooms on a virtual thread (presence may wait on Redis). Once. */
    private void finish() {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
        }
        registry.closed(this);
        Set<String> joined = rooms.removeAll();
        if (!joined.isEmpty()) {
            Thread.ofVirtual().name("parley-leave").start(() -> {
                for (String room : joined) {
                    try {
                        node.leave(this, room);
                    } catch (RuntimeException e) {
                        warn("leave of " + room + " failed for " + id + ": " + e);
                    }
                }
            });
        }
    }

    /** A warning about this socket, with its connection id in the log context (a field of JSON log lines). */
    private void warn(String message) {
        ConnectionLog.log(LOG, System.Logger.Level.WARNING, id, message, null);
    }

    // ---- for the registry's sweep ----------------------------------------------------------------------------------

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

    void markAdmitted() {
        admitted = true;
    }

    boolean admitted() {
        return admitted;
    }

    Instant expiresAt() {
        return principal.expiresAt();
    }

    int queued() {
        WebSocket s = socket;
        return s == null ? 0 : s.queued();
    }
}
