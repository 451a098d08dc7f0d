package io.parley.chat.protocol;

import java.util.Optional;

/** A client frame that is refused: becomes an {@code error} frame; the connection stays open. */
public final class ProtocolException extends Exception {

    private final ErrorCode code;
    private final Optional<String> ref;
    private final Optional<String> room;

    public ProtocolException(ErrorCode code, String message, Optional<String> ref, Optional<String> room) {
        super(message, null, false, false);
        this.code = code;
        this.ref = ref;
        this.room = room;
    }

    public ProtocolException(ErrorCode code, String message) {
        this(code, message, Optional.empty(), Optional.empty());
    }

    public ErrorCode code() {
        return code;
    }

    public Optional<String> ref() {
        return ref;
    }

    public Optional<String> room() {
        return room;
    }

    public ServerFrame.Error toFrame() {
        return new ServerFrame.Error(code.wire(), getMessage(), ref.orElse(null), room.orElse(null));
    }
}
