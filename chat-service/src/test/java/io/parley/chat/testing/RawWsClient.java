package io.parley.chat.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * A bare WebSocket client over a plain socket, for the peers a polite client library will not play: one that never
 * reads (its TCP buffers fill up) and never answers pings.
 */
public final class RawWsClient implements AutoCloseable {

    private final Socket socket;

    private RawWsClient(Socket socket) {
        this.socket = socket;
    }

    /** Upgrades {@code /ws} and sends {@code auth} with a token for the user; reads nothing afterwards. */
    public static RawWsClient login(int port, String userId) throws IOException {
        Socket s = new Socket("127.0.0.1", port);

        String req = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during upgrade");
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        RawWsClient c = new RawWsClient(s);
        c.sendText("{\"type\":\"auth\",\"token\":\"" + Tokens.user(userId) + "\"}");
        return c;
    }

    /** Sends one masked text frame, as a client must. */
    public void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        }
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        socket.getOutputStream().write(frame.toByteArray());
        socket.getOutputStream().flush();
    }

    /** Reads frames until a close frame (returns its code) or the end of the stream (empty). */
    public OptionalInt readUntilClose() throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        try {
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long len = b1 & 0x7f;
                if (len == 126) {
                    len = in.readUnsignedShort();
                } else if (len == 127) {
                    len = in.readLong();
                }
                byte[] payload = in.readNBytes((int) len);
                if ((b0 & 0x0f) == 0x8) {
                    return payload.length >= 2
                            ? OptionalInt.of(((payload[0] & 0xff) << 8) | (payload[1] & 0xff)) : OptionalInt.empty();
                }
            }
        } catch (EOFException | java.net.SocketException e) {
            return OptionalInt.empty();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
