package io.parley.chat.outbox;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Port: messages the monolith refused (a 4xx for that message alone), kept until an operator replays them.
 *
 * <p>Guarantees: {@link #add} is durable when it returns (in Redis: stored in Redis; in memory: in this process);
 * adding the same message id again replaces the earlier refusal. {@link #replay} puts a message back into the
 * history outbox and removes it from this store in one step, so a message is in one of the two and never lost
 * between them. Thread-safe.
 */
public interface DeadLetters {

    void add(List<DeadLetter> letters);

    /** Up to {@code limit} dead letters, oldest message id first. */
    List<DeadLetter> list(int limit);

    /**
     * Sends the dead letters with the given ids (all of them when empty) back to the history outbox.
     *
     * @return how many went back (unknown ids are skipped)
     */
    int replay(Optional<Set<String>> ids);

    long count();
}
