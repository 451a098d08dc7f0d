package io.parley.chat.protocol;

import java.util.Optional;

/** A frame a browser sends. {@code ref} is optional on every frame and echoed on the answer it causes. */
public sealed interface ClientFrame {

    Optional<String> ref();

    record Auth(String token, Optional<String> ref) implements ClientFrame {
        @Override
        public String toString() {
            return "Auth[token=<redacted>]";
        }
    }

    record Join(String room, Optional<String> since, Optional<String> ref) implements ClientFrame {
    }

    record Leave(String room, Optional<String> ref) implements ClientFrame {
    }

    record Send(String room, String text, Optional<String> ref) implements ClientFrame {
    }

    record Typing(String room, Optional<String> ref) implements ClientFrame {
    }

    record Refresh(String token, Optional<String> ref) implements ClientFrame {
        @Override
        public String toString() {
            return "Refresh[token=<redacted>]";
        }
    }

    record Ping(Optional<String> ref) implements ClientFrame {
    }
}
