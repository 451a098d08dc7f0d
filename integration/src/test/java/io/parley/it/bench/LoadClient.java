package io.parley.it.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Many WebSocket clients on one selector thread: the load side of the benchmarks. Each socket upgrades {@code /ws},
 * authenticates, joins its rooms and then idles, answering pings with pongs as a browser would (the server closes
 * silent peers). Sockets are set up a window at a time so that the server's accept backlog never overflows.
 *
 * <p>Every socket is touched by the selector thread only; other threads hand it work through {@link #execute}.
 * Text frames are passed to a {@link TextListener} on that thread, stamped with their time of arrival.
 */
final class LoadClient implements AutoCloseable {

    /** Sees every text frame the sockets receive; runs on the selector thread, so it must be quick. */
    interface TextListener {
        void text(BenchSocket socket, String text, long receivedNanos);
    }

    private static final String HOST = "127.0.0.1";
    private static final int NORMAL_CLOSURE = 1000;
    private static final int MAX_REASON = 120;

    private final List<InetSocketAddress> servers;
    private final Selector selector;
    private final Thread loop;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(256 * 1024);
    private final List<BenchSocket> sockets = new ArrayList<>();    // selector thread only
    private final ArrayDeque<BenchSocket> waiting = new ArrayDeque<>(); // selector thread only
    private int window = 1;                                           // selector thread only
    private int settingUp;                                            // selector thread only
    private final AtomicInteger planned = new AtomicInteger();
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger openChannels = new AtomicInteger();
    private final AtomicInteger closedByServer = new AtomicInteger();
    private final Map<String, LongAdder> problems = new ConcurrentHashMap<>();
    private final java.util.Set<BenchSocket> owned = ConcurrentHashMap.newKeySet();
    private volatile TextListener listener = (socket, text, at) -> { };
    private volatile long lastTextNanos = System.nanoTime();
    private volatile boolean running = true;

    /** A client of the servers listening on {@code ports}; a socket's plan says which one it uses. */
    LoadClient(int... ports) throws IOException {
        this.servers = java.util.Arrays.stream(ports).mapToObj(port -> new InetSocketAddress(HOST, port)).toList();
        this.selector = Selector.open();
        this.loop = Thread.ofPlatform().name("bench-selector").daemon().start(this::run);
    }

    void listener(TextListener listener) {
        this.listener = listener;
    }

    /**
     * Plans sockets and starts setting them up, at most {@code window} at a time (in addition to any still being set
     * up from an earlier call). Returns at once; see {@link #awaitSettled}.
     */
    List<BenchSocket> open(List<SocketPlan> plans, int window) {
        List<BenchSocket> created = new ArrayList<>(plans.size());
        for (SocketPlan plan : plans) {
            created.add(new BenchSocket(plan));
        }
        planned.addAndGet(created.size());
        owned.addAll(created);
        execute(() -> {
            this.window = window;
            sockets.addAll(created);
            waiting.addAll(created);
            startMore();
        });
        return created;
    }

    /** Waits until every planned socket is ready or failed; false on timeout. Reports progress now and then. */
    boolean awaitSettled(Duration timeout, Consumer<String> progress) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ready.get() + failed.get() < planned.get()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            if (System.nanoTime() > nextReport) {
                progress.accept(ready.get() + " ready, " + failed.get() + " failed of " + planned.get());
                nextReport += TimeUnit.SECONDS.toNanos(10);
            }
            Thread.sleep(50);
        }
        return true;
    }

    /**
     * Waits until no text frame has arrived for {@code quiet} (pings do not count: they never stop), so that the
     * presence events of the last joins have been delivered; gives up after {@code max}.
     */
    boolean awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() - lastTextNanos < quiet.toNanos()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    /** Whether {@code socket} was opened by this client. */
    boolean owns(BenchSocket socket) {
        return owned.contains(socket);
    }

    /** Sends a text frame on {@code socket} from the selector thread. */
    void send(BenchSocket socket, String text) {
        execute(() -> {
            if (socket.state == BenchSocket.State.READY) {
                write(socket, WsFrames.text(text));
            }
        });
    }

    /**
     * Closes every socket politely (a close frame, then the TCP connection once the server answers), so that the
     * server forgets them at once rather than at its silent-peer sweep. Whatever has not closed by the timeout is
     * dropped.
     */
    void closeAll(Duration timeout) throws InterruptedException {
        execute(() -> {
            waiting.clear();
            for (BenchSocket s : sockets) {
                if (s.state == BenchSocket.State.READY) {
                    s.state = BenchSocket.State.CLOSING;
                    write(s, WsFrames.close(NORMAL_CLOSURE));
                } else if (s.settingUp()) {
                    end(s, BenchSocket.State.FAILED);
                }
            }
        });
        long deadline = System.nanoTime() + timeout.toNanos();
        while (openChannels.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        execute(() -> {
            for (BenchSocket s : sockets) {
                if (s.channel != null && s.channel.isOpen()) {
                    end(s, BenchSocket.State.CLOSED);
                }
            }
            sockets.clear();
        });
    }

    /** Starts counting afresh (ready, failed, problems), for a phase after a warm-up; call with nothing in flight. */
    void resetCounters() {
        planned.set(0);
        ready.set(0);
        failed.set(0);
        closedByServer.set(0);
        problems.clear();
    }

    int ready() {
        return ready.get();
    }

    int failed() {
        return failed.get();
    }

    /** Sockets that were ready and then ended without this client asking (server close, reset, EOF). */
    int closedByServer() {
        return closedByServer.get();
    }

    int openChannels() {
        return openChannels.get();
    }

    /** Why sockets failed or were closed by the server, with counts: empty in a clean run. */
    Map<String, Long> problems() {
        Map<String, Long> copy = new TreeMap<>();
        problems.forEach((reason, n) -> copy.put(reason, n.sum()));
        return copy;
    }

    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    @Override
    public void close() {
        execute(() -> {
            for (BenchSocket s : sockets) {
                if (s.channel != null && s.channel.isOpen()) {
                    end(s, BenchSocket.State.CLOSED);
                }
            }
            running = false;
        });
        try {
            loop.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException e) {
            problem("selector close: " + e.getMessage());
        }
    }

    // ---- the selector thread -----------------------------------------------------------------------------------

    private void run() {
        try {
            while (running) {
                selector.select(this::handle, 1_000);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            problem("selector: " + e.getMessage());
        }
    }

    private void startMore() {
        while (settingUp < window && !waiting.isEmpty()) {
            connect(waiting.poll());
        }
    }

    private void connect(BenchSocket s) {
        s.state = BenchSocket.State.CONNECTING;
        settingUp++;
        try {
            s.channel = SocketChannel.open();
            openChannels.incrementAndGet();
            s.channel.configureBlocking(false);
            s.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            s.key = s.channel.register(selector, SelectionKey.OP_CONNECT, s);
            if (s.channel.connect(servers.get(s.plan.server()))) {
                connected(s);
            }
        } catch (IOException e) {
            fail(s, "connect: " + e.getMessage());
        }
    }

    private void handle(SelectionKey key) {
        BenchSocket s = (BenchSocket) key.attachment();
        try {
            if (key.isConnectable() && s.channel.finishConnect()) {
                connected(s);
            }
            if (key.isValid() && key.isWritable()) {
                flush(s);
            }
            if (key.isValid() && key.isReadable()) {
                read(s);
            }
        } catch (IOException e) {
            lost(s, "io: " + e.getMessage());
        }
    }

    private void connected(BenchSocket s) throws IOException {
        s.key.interestOps(SelectionKey.OP_READ);
        s.state = BenchSocket.State.UPGRADING;
        write(s, WsFrames.upgradeRequest(HOST, servers.get(s.plan.server()).getPort(), "/ws"));
    }

    private void read(BenchSocket s) throws IOException {
        readBuffer.clear();
        int n = s.channel.read(readBuffer);
        if (n < 0) {
            lost(s, "end of stream");
            return;
        }
        readBuffer.flip();
        if (s.state == BenchSocket.State.UPGRADING && !readResponseHead(s)) {
            return;
        }
        if (readBuffer.hasRemaining()) {
            s.reader.feed(readBuffer, (opcode, payload) -> frame(s, opcode, payload));
        }
    }

    /** Consumes the HTTP upgrade response; true once it is complete (what follows it stays in the buffer). */
    private boolean readResponseHead(BenchSocket s) throws IOException {
        byte[] head = s.responseHead == null ? new byte[0] : s.responseHead;
        byte[] joined = new byte[head.length + readBuffer.remaining()];
        System.arraycopy(head, 0, joined, 0, head.length);
        readBuffer.get(joined, head.length, joined.length - head.length);
        int end = indexOfBlankLine(joined);
        if (end < 0) {
            s.responseHead = joined;
            return false;
        }
        s.responseHead = null;
        String status = new String(joined, 0, Math.min(end, joined.length), StandardCharsets.ISO_8859_1).lines()
                .findFirst().orElse("");
        if (!status.startsWith("HTTP/1.1 101")) {
            fail(s, "upgrade refused: " + status);
            return false;
        }
        readBuffer.clear();
        readBuffer.put(joined, end, joined.length - end).flip();
        s.state = BenchSocket.State.AUTHENTICATING;
        write(s, WsFrames.text("{\"type\":\"auth\",\"token\":\"" + s.plan.token() + "\"}"));
        return true;
    }

    private void frame(BenchSocket s, int opcode, byte[] payload) {
        if (s.channel == null || !s.channel.isOpen()) {
            return;
        }
        switch (opcode) {
            case WsFrames.PING -> write(s, WsFrames.pong(payload));
            case WsFrames.CLOSE -> {
                int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                if (s.state == BenchSocket.State.CLOSING) {
                    end(s, BenchSocket.State.CLOSED);
                } else {
                    lost(s, "closed by server " + code);
                }
            }
            case WsFrames.TEXT -> text(s, new String(payload, StandardCharsets.UTF_8));
            default -> {
                // pongs and binary frames: nothing to do
            }
        }
    }

    private void text(BenchSocket s, String text) {
        long now = System.nanoTime();
        lastTextNanos = now;
        if (s.state == BenchSocket.State.AUTHENTICATING) {
            if (text.startsWith("{\"type\":\"welcome\"")) {
                if (s.plan.rooms().isEmpty()) {
                    ready(s);
                } else {
                    s.state = BenchSocket.State.JOINING;
                    s.joinsPending = s.plan.rooms().size();
                    for (String room : s.plan.rooms()) {
                        write(s, WsFrames.text("{\"type\":\"join\",\"room\":\"" + room + "\"}"));
                    }
                }
            } else {
                fail(s, "auth answered: " + text);
            }
        } else if (s.state == BenchSocket.State.JOINING) {
            if (text.startsWith("{\"type\":\"joined\"")) {
                if (--s.joinsPending == 0) {
                    ready(s);
                }
            } else if (text.startsWith("{\"type\":\"error\"")) {
                fail(s, "join answered: " + text);
            }
        }
        listener.text(s, text, now);
    }

    private void ready(BenchSocket s) {
        s.state = BenchSocket.State.READY;
        settingUp--;
        ready.incrementAndGet();
        startMore();
    }

    /** A socket that ended without being asked to: a setup failure, or a loss once ready. */
    private void lost(BenchSocket s, String why) {
        if (s.state == BenchSocket.State.CLOSING) {
            end(s, BenchSocket.State.CLOSED);
        } else if (s.state == BenchSocket.State.READY) {
            closedByServer.incrementAndGet();
            problem("after ready: " + why);
            end(s, BenchSocket.State.CLOSED);
        } else if (s.settingUp()) {
            fail(s, why);
        }
    }

    private void fail(BenchSocket s, String why) {
        problem("setup: " + why);
        end(s, BenchSocket.State.FAILED);
    }

    /** Closes the channel once; a socket still being set up frees its place in the window. */
    private void end(BenchSocket s, BenchSocket.State finalState) {
        boolean wasSettingUp = s.settingUp();
        s.state = finalState;
        if (wasSettingUp) {
            settingUp--;
            failed.incrementAndGet();
        }
        if (s.channel != null && s.channel.isOpen()) {
            try {
                s.channel.close();
            } catch (IOException e) {
                problem("close: " + e.getMessage());
            }
            openChannels.decrementAndGet();
        }
        s.unsent = null;
        if (wasSettingUp) {
            startMore();
        }
    }

    private void write(BenchSocket s, ByteBuffer frame) {
        if (s.channel == null || !s.channel.isOpen()) {
            return;
        }
        if (s.unsent != null) {
            s.unsent.addLast(frame);
            return;
        }
        try {
            s.channel.write(frame);
            if (frame.hasRemaining()) {
                s.unsent = new ArrayDeque<>(2);
                s.unsent.addLast(frame);
                s.key.interestOps(s.key.interestOps() | SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            lost(s, "write: " + e.getMessage());
        }
    }

    private void flush(BenchSocket s) throws IOException {
        while (s.unsent != null && !s.unsent.isEmpty()) {
            ByteBuffer head = s.unsent.peekFirst();
            s.channel.write(head);
            if (head.hasRemaining()) {
                return;
            }
            s.unsent.pollFirst();
        }
        s.unsent = null;
        s.key.interestOps(SelectionKey.OP_READ);
    }

    private void problem(String why) {
        String key = why.length() > MAX_REASON ? why.substring(0, MAX_REASON) + "..." : why;
        problems.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private static int indexOfBlankLine(byte[] bytes) {
        for (int i = 3; i < bytes.length; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }
}
