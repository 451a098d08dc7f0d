package io.parley.chat.outbox;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Dead letters of a single instance, in this process, at most {@code capacity} of them: beyond that the oldest is
 * dropped (with a warning), because an unbounded store in the heap would let a misbehaving monolith take the
 * instance down. Replay puts them back into the {@link MemoryOutbox} while it has room.
 */
public final class MemoryDeadLetters implements DeadLetters {

    private static final System.Logger LOG = System.getLogger(MemoryDeadLetters.class.getName());

    private final MemoryOutbox outbox;
    private final int capacity;
    private final Map<String, DeadLetter> letters = new LinkedHashMap<>();

    public MemoryDeadLetters(MemoryOutbox outbox, int capacity) {
        this.outbox = outbox;
        this.capacity = capacity;
    }

    @Override
    public synchronized void add(List<DeadLetter> added) {
        for (DeadLetter letter : added) {
            letters.remove(letter.id());
            letters.put(letter.id(), letter);
        }
        Iterator<DeadLetter> oldest = letters.values().iterator();
        while (letters.size() > capacity) {
            LOG.log(System.Logger.Level.WARNING, "dead-letter store full (" + capacity + "): dropping message "
                    + oldest.next().id());
            oldest.remove();
        }
    }

    @Override
    public synchronized List<DeadLetter> list(int limit) {
        return letters.values().stream().sorted(java.util.Comparator.comparing(DeadLetter::id)).limit(limit).toList();
    }

    @Override
    public synchronized int replay(Optional<Set<String>> ids) {
        List<String> chosen = new ArrayList<>(ids.map(s -> s.stream().filter(letters::containsKey).toList())
                .orElseGet(() -> List.copyOf(letters.keySet())));
        int replayed = 0;
        for (String id : chosen) {
            if (!outbox.offer(letters.get(id).messageJson())) {
                break; // the outbox is full: the rest stay here
            }
            letters.remove(id);
            replayed++;
        }
        return replayed;
    }

    @Override
    public synchronized long count() {
        return letters.size();
    }
}
