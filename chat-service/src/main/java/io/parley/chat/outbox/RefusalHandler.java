package io.parley.chat.outbox;

import java.util.List;

/** What happens to entries the monolith refused: messages go to the dead-letter store. */
@FunctionalInterface
public interface RefusalHandler {

    /** Must be durable before it returns: the entries are acknowledged in the outbox right after. */
    void refused(List<Refused> refused);
}
