package io.parley.chat.connection.websocket;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.parley.chat.observe.ConnectionLog;

/**
 * One upgraded socket: Parley's own RFC 6455 server side on Helidon's connection SPI. Helidon runs {@link #handle}
 * on the socket's virtual thread; this class owns the socket from the upgrade on, so that:
 * <ul>
 *   <li>the end of the socket, however it happens (close frame, FIN, RST, a cut), reaches the handler at once, from
 *       the reader loop's {@code finally} (Helidon's own WebSocket reads outside the code that notifies listeners);</li>
 *   <li>once a close is decided, no further data frame is passed on, and the TCP connection is cut after
 *       {@link #CLOSE_GRACE} if the peer never answers, by closing the channel (non-blocking) from a timer;</li>
 *   <li>text is assembled from bytes and decoded strictly, control frames and close codes are checked, pings are
 *       answered, and each violation gets its RFC close code with no stack trace.</li>
 * </ul>
 */
public final class WebSocketConnection implements ServerConnection, WebSocket, OutboundWriter.Sink {

    /** How long a peer has to answer our close frame before its TCP connection is cut. */
    public static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    private static final System.Logger LOG = System.getLogger(WebSocketConnection.class.getName());

    private final ConnectionContext ctx;
    private final SocketHandler handler;
    private final FrameReader frames;
    private final MessageAssembler messages;
    private final OutboundWriter writer;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile CountDownLatch closeWritten; // made when a close starts: most sockets never need one
    private volatile boolean peerClosed;
    private volatile int closeCode = RfcCloseCodes.ABNORMAL;
    private volatile ScheduledFuture<?> cut;
    private volatile Thread reader;

    WebSocketConnection(ConnectionContext ctx, SocketHandler handler, int maxMessageBytes, int outboundQueue) {
        this.ctx = ctx;
        this.handler = handler;
        DataReader in = ctx.dataReader();
        this.frames = new FrameReader(new FrameReader.ByteSource() {
            @Override
            public int readByte() {
                return in.read() & 0xFF;
            }

            @Override
            public byte[] readBytes(int length) {
                return in.readBytes(length);
            }
        }, maxMessageBytes);
        this.messages = new MessageAssembler(maxMessageBytes);
        this.writer = new OutboundWriter(outboundQueue, this);
    }

    // ---- Helidon ------------------------------------------------------------------------------------------------

    @Override
    public void handle(Limit limit) {
        reader = Thread.currentThread();
        try {
            handler.opened(this);
            while (readOne()) {
                // One frame at a time, on this socket's own thread, which then writes its answers itself when no
                // writer is running: no thread start between an accepted message and its ack.
                writer.writeQueuedHere();
            }
        } catch (ProtocolViolation v) {
            LOG.log(System.Logger.Level.DEBUG, "socket closed " + v.closeCode() + ": " + v.getMessage());
            close(v.closeCode(), v.getMessage(), true);
            discardInput();
        } catch (RuntimeException e) {
            // End of stream, reset, or the channel was cut: the peer is gone, which is not an error of ours.
            LOG.log(System.Logger.Level.TRACE, "socket ended: " + e);
        } finally {
            end();
        }
    }

    /** The socket manages its own liveness (heartbeat pings), so Helidon's idle timer never picks it. */
    @Override
    public Duration idleTime() {
        return Duration.ZERO;
    }

    /** Server stop: cut the connection. */
    @Override
    public void close(boolean interrupt) {
        cutTcp();
    }

    // ---- WebSocket (to the protocol logic) ----------------------------------------------------------------------

    @Override
    public boolean send(Outgoing frame) {
        // The reader's own answers wait for the end of the frame's handling (see handle): it may hold locks now.
        return Thread.currentThread() == reader ? writer.offerDeferred(frame) : writer.offer(frame);
    }

    @Override
    public void close(int code, String reason, boolean discardPending) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeCode = code;
        closeWritten = new CountDownLatch(1);
        writer.seal(new Outgoing.Close(code, reason), discardPending);
        cut = SocketCutter.cutAfter(ctx, CLOSE_GRACE);
    }

    @Override
    public void terminate() {
        closing.set(true);
        cutTcp();
    }

    @Override
    public int queued() {
        return writer.queued();
    }

    // ---- OutboundWriter.Sink ----------------------------------------------------------------------------------

    @Override
    public void write(byte[] bytes, int length) {
        ctx.dataWriter().writeNow(BufferData.create(bytes, 0, length));
    }

    @Override
    public void closeWritten() {
        countDownCloseWritten();
        if (peerClosed) {
            cutTcp(); // handshake complete: the server closes the TCP connection first (RFC 6455 §7.1.1)
        }
    }

    @Override
    public void sampleWritten(long sampleSince) {
        handler.sampleWritten(sampleSince);
    }

    @Override
    public void writeFailed(Exception e) {
        LOG.log(System.Logger.Level.TRACE, "write failed: " + e);
        countDownCloseWritten();
        cutTcp();
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    /** Reads and handles one frame; false when the socket is done. */
    private boolean readOne() throws ProtocolViolation {
        Frame frame = frames.read();
        handler.alive();
        if (frame.control()) {
            return control(frame);
        }
        MessageAssembler.Message message = messages.accept(frame);
        if (message == null || closing.get()) {
            return true; // a fragment, or the socket is closing: nothing more from it is processed
        }
        try {
            switch (message) {
                case MessageAssembler.Text text -> handler.text(text.text());
                case MessageAssembler.Binary binary -> handler.binary(binary.length());
            }
        } catch (RuntimeException e) {
            // A defect of ours, not the peer's: say so once, and close the socket rather than pretend it ended.
            ConnectionLog.log(LOG, System.Logger.Level.WARNING, handler.connectionId(),
                    "socket handler failed: " + e, e);
            close(RfcCloseCodes.INTERNAL_ERROR, "internal error", true);
        }
        return true;
    }

    private boolean control(Frame frame) throws ProtocolViolation {
        switch (frame.opcode()) {
            case Frame.PING -> {
                if (!closing.get()) {
                    writer.offerDeferred(new Outgoing.Pong(frame.payload()));
                }
                return true;
            }
            case Frame.PONG -> {
                return true;
            }
            default -> {
                peerClosed = true;
                int code = peerCloseCode(frame.payload());
                if (closing.get()) {
                    // The peer answered our close: the writer cuts once our close frame is out (or the timer does).
                    CountDownLatch written = closeWritten;
                    if (written != null && written.getCount() == 0) {
                        cutTcp();
                    }
                } else {
                    // The peer started the handshake: echo its code, then the TCP connection is cut.
                    close(code == RfcCloseCodes.NO_STATUS ? RfcCloseCodes.NORMAL : code, "", true);
                    closeCode = code;
                }
                awaitCloseWritten();
                return false;
            }
        }
    }

    /** The code of a peer's close frame, checked as RFC 6455 §5.5.1 and §7.4 say. */
    private static int peerCloseCode(byte[] payload) throws ProtocolViolation {
        if (payload.length == 0) {
            return RfcCloseCodes.NO_STATUS;
        }
        if (payload.length == 1) {
            throw new ProtocolViolation(RfcCloseCodes.PROTOCOL_ERROR, "close frame with a 1-byte payload");
        }
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        if (!RfcCloseCodes.allowedOnWire(code)) {
            throw new ProtocolViolation(RfcCloseCodes.PROTOCOL_ERROR, "invalid close code " + code);
        }
        MessageAssembler.utf8(Arrays.copyOfRange(payload, 2, payload.length)); // the reason must be valid UTF-8
        return code;
    }

    /**
     * After a violation nothing more can be parsed, but the socket is still read (and ignored) until the peer closes
     * or the grace timer cuts it: closing with unread input would make the kernel send a reset, and the peer could
     * lose the close frame that says why.
     */
    private void discardInput() {
        DataReader in = ctx.dataReader();
        try {
            while (true) {
                in.skip(in.available());
                in.pullData(); // throws at the end of the stream or when the channel is cut
            }
        } catch (RuntimeException end) {
            LOG.log(System.Logger.Level.TRACE, "socket ended after a violation: " + end);
        }
    }

    private void countDownCloseWritten() {
        CountDownLatch written = closeWritten;
        if (written != null) {
            written.countDown();
        }
    }

    private void awaitCloseWritten() {
        try {
            CountDownLatch written = closeWritten;
            if (written != null) {
                written.await(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- ending --------------------------------------------------------------------------------------------------

    /** Closes the channel: the reader's blocked read and any blocked write fail at once. Never blocks. */
    private void cutTcp() {
        SocketCutter.cut(ctx);
    }

    private void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        closing.set(true);
        writer.stop();
        countDownCloseWritten();
        ScheduledFuture<?> pending = cut;
        if (pending != null) {
            pending.cancel(false);
        }
        handler.ended(closeCode);
    }
}
