package io.parley.chat.presence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

import io.parley.chat.model.User;

/** The single-instance presence store: there is no other instance, so nothing is ever evicted. */
public final class MemoryPresenceStore implements PresenceStore {

    private final IntSupplier localConnections;
    private final Map<String, Map<String, Presence>> rooms = new ConcurrentHashMap<>();

    /** One user's connections in one room. */
    private record Presence(User user, Set<String> connections) {
    }

    public MemoryPresenceStore(IntSupplier localConnections) {
        this.localConnections = localConnections;
    }

    @Override
    public void start(PresenceListener listener) {
        // A single instance has no peers to outlive.
    }

    @Override
    public boolean join(String room, User user, String connectionId) {
        boolean[] first = {false};
        rooms.compute(room, (r, members) -> {
            Map<String, Presence> m = members == null ? new HashMap<>() : members;
            Presence p = m.computeIfAbsent(user.id(), id -> new Presence(user, new HashSet<>()));
            first[0] = p.connections().isEmpty() && p.connections().add(connectionId);
            p.connections().add(connectionId);
            return m;
        });
        return first[0];
    }

    @Override
    public boolean leave(String room, User user, String connectionId) {
        boolean[] last = {false};
        rooms.computeIfPresent(room, (r, members) -> {
            Presence p = members.get(user.id());
            if (p != null && p.connections().remove(connectionId) && p.connections().isEmpty()) {
                members.remove(user.id());
                last[0] = true;
            }
            return members.isEmpty() ? null : members;
        });
        return last[0];
    }

    @Override
    public List<Member> members(String room, int limit) {
        List<Member> out = new ArrayList<>();
        rooms.computeIfPresent(room, (r, members) -> {
            members.values().stream().limit(limit)
                    .forEach(p -> out.add(new Member(p.user(), p.connections().size())));
            return members;
        });
        return out;
    }

    @Override
    public int memberCount(String room) {
        Map<String, Presence> members = rooms.get(room);
        if (members == null) {
            return 0;
        }
        int[] n = {0};
        rooms.computeIfPresent(room, (r, m) -> {
            n[0] = m.size();
            return m;
        });
        return n[0];
    }

    @Override
    public ClusterStats stats() {
        return new ClusterStats(localConnections.getAsInt(), rooms.size(), 1);
    }

    @Override
    public void close() {
        rooms.clear();
    }
}
