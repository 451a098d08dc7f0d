package io.parley.chat.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * A bare WebSocket client over a plain socket, for the peers a polite client library will not play: one that never
 * reads (its TCP buffers fill up), never answers pings or close frames, vanishes without a close frame, or sends
 * frames RFC 6455 forbids.
 */
public final class RawWsClient implements AutoCloseable {

    /** A frame from the server. */
    public record ServerFrame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The code of a close frame (1005 when it has none). */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    public static final int TEXT = 0x1;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private final Socket socket;
    private final DataInputStream in;

    private RawWsClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Upgrades {@code /ws} and sends {@code auth} with a token for the user; reads nothing afterwards. */
    public static RawWsClient login(int port, String userId) throws IOException {
        return loginWithToken(port, Tokens.user(userId));
    }

    /** Upgrades {@code /ws} and sends {@code auth} with the token. */
    public static RawWsClient loginWithToken(int port, String token) throws IOException {
        RawWsClient c = open(port);
        c.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
        return c;
    }

    /** Upgrades {@code /ws} and sends nothing. */
    public static RawWsClient open(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        String response = upgrade(s, port, "");
        if (!response.startsWith("HTTP/1.1 101")) {
            s.close();
            throw new IOException("upgrade refused: " + response.lines().findFirst().orElse(""));
        }
        return new RawWsClient(s);
    }

    /** Sends an upgrade request with extra header lines (each ending in CRLF); returns the response head. */
    public static String upgradeResponse(int port, String extraHeaders) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return upgrade(s, port, extraHeaders);
        }
    }

    private static String upgrade(Socket s, int port, String extraHeaders) throws IOException {
        String req = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
        s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Sends one masked text frame, as a client must. */
    public void sendText(String text) throws IOException {
        sendFrame(0x80 | TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one masked frame whose first byte (FIN, RSV bits, opcode) is {@code b0}. */
    public void sendFrame(int b0, byte[] payload) throws IOException {
        sendFrame(b0, payload, true);
    }

    public void sendFrame(int b0, byte[] payload, boolean masked) throws IOException {
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(b0);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(maskBit | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(maskBit | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        if (masked) {
            frame.write(mask);
        }
        for (int i = 0; i < payload.length; i++) {
            frame.write(masked ? payload[i] ^ mask[i % 4] : payload[i]);
        }
        socket.getOutputStream().write(frame.toByteArray());
        socket.getOutputStream().flush();
    }

    /** The next frame from the server; null at the end of the stream or when none comes within {@code wait}. */
    public ServerFrame next(Duration wait) throws IOException {
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        try {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            return new ServerFrame(b0 & 0x0f, in.readNBytes((int) len));
        } catch (EOFException | SocketTimeoutException | SocketException e) {
            return null;
        }
    }

    /** The next text frame (pings and pongs skipped); null at the end of the stream or on a close frame. */
    public String nextText(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            ServerFrame f = next(Duration.ofNanos(deadline - System.nanoTime()));
            if (f == null || f.opcode() == CLOSE) {
                return null;
            }
            if (f.opcode() == TEXT) {
                return f.text();
            }
        }
        return null;
    }

    /** Reads frames until a close frame (returns its code) or the end of the stream (empty). */
    public OptionalInt readUntilClose() throws IOException {
        ServerFrame f;
        while ((f = next(Duration.ofSeconds(30))) != null) {
            if (f.opcode() == CLOSE) {
                return OptionalInt.of(f.closeCode());
            }
        }
        return OptionalInt.empty();
    }

    /**
     * Reads and ignores everything, close frames included (never answering them), until the server ends the TCP
     * connection; returns whether it did within {@code wait}.
     */
    public boolean ignoreUntilCut(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        socket.setSoTimeout(200);
        byte[] sink = new byte[4096];
        while (System.nanoTime() < deadline) {
            try {
                if (in.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // nothing yet
            } catch (SocketException e) {
                return true; // reset
            }
        }
        return false;
    }

    /** Ends the TCP connection with a reset and no close frame, as a killed tab or a lost network does. */
    public void vanish() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
