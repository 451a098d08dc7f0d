package io.parley.chat.outbox;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.parley.chat.protocol.Json;
import io.parley.chat.redis.RedisConnections;
import io.parley.chat.redis.RedisKeys;

/**
 * The cluster's dead letters, in Redis beside the outbox streams: per shard a hash {@code parley:{p<k>}:dead}
 * (message id to message JSON, exactly as it was posted) and {@code parley:{p<k>}:dead:why} (message id to
 * {@code {"status","error"}}). A message lives in the shard of its room, the same hash tag as that room's outbox
 * stream, so a replay moves it from here to the outbox in one atomic script. No TTL: a dead letter waits for an
 * operator.
 */
public final class RedisDeadLetters implements DeadLetters {

    private static final String ADD = """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
            return 1
            """;
    /** KEYS: dead, why, outbox; ARGV: the outbox field, then the ids (none: every dead letter of the shard). */
    private static final String REPLAY = """
            local ids = {}
            if #ARGV > 1 then
              for i = 2, #ARGV do ids[#ids + 1] = ARGV[i] end
            else
              ids = redis.call('HKEYS', KEYS[1])
            end
            local n = 0
            for _, id in ipairs(ids) do
              local msg = redis.call('HGET', KEYS[1], id)
              if msg then
                redis.call('XADD', KEYS[3], '*', ARGV[1], msg)
                redis.call('HDEL', KEYS[1], id)
                redis.call('HDEL', KEYS[2], id)
                n = n + 1
              end
            end
            return n
            """;

    private final RedisConnections redis;
    private final RedisKeys keys;

    public RedisDeadLetters(RedisConnections redis) {
        this.redis = redis;
        this.keys = redis.keys();
    }

    private String dead(int shard) {
        return keys.deadLetters(shard);
    }

    private String why(int shard) {
        return keys.deadLetterReasons(shard);
    }

    @Override
    public void add(List<DeadLetter> letters) {
        for (DeadLetter letter : letters) {
            int shard = keys.shard(room(letter.messageJson()));
            String reason = Json.MAPPER.createObjectNode().put("status", letter.status()).put("error", letter.error())
                    .toString();
            call(() -> redis.sync().eval(ADD, ScriptOutputType.INTEGER, new String[] {dead(shard), why(shard)},
                    letter.id(), letter.messageJson(), reason));
        }
    }

    @Override
    public List<DeadLetter> list(int limit) {
        List<DeadLetter> all = new ArrayList<>();
        for (int shard = 0; shard < keys.shards(); shard++) {
            int s = shard;
            Map<String, String> messages = call(() -> redis.sync().hgetall(dead(s)));
            Map<String, String> reasons = call(() -> redis.sync().hgetall(why(s)));
            messages.forEach((id, json) -> {
                JsonNode reason = parse(reasons.getOrDefault(id, "{}"));
                all.add(new DeadLetter(id, json, reason.path("status").asInt(0), reason.path("error").asText("")));
            });
        }
        return all.stream().sorted(Comparator.comparing(DeadLetter::id)).limit(limit).toList();
    }

    @Override
    public int replay(Optional<Set<String>> ids) {
        Map<Integer, List<String>> byShard = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            for (int shard = 0; shard < keys.shards(); shard++) {
                byShard.put(shard, List.of());
            }
        } else {
            for (String id : ids.get()) {
                roomOfId(id).ifPresent(room ->
                        byShard.computeIfAbsent(keys.shard(room), s -> new ArrayList<>()).add(id));
            }
        }
        long replayed = 0;
        for (Map.Entry<Integer, List<String>> shard : byShard.entrySet()) {
            List<String> args = new ArrayList<>();
            args.add(RedisKeys.OUTBOX_FIELD);
            args.addAll(shard.getValue());
            int k = shard.getKey();
            Long n = call(() -> redis.sync().eval(REPLAY, ScriptOutputType.INTEGER,
                    new String[] {dead(k), why(k), keys.outbox(k)}, args.toArray(String[]::new)));
            replayed += n == null ? 0 : n;
        }
        return (int) replayed;
    }

    @Override
    public long count() {
        long n = 0;
        for (int shard = 0; shard < keys.shards(); shard++) {
            int s = shard;
            n += call(() -> redis.sync().hlen(dead(s)));
        }
        return n;
    }

    /** The room part of a message id ({@code <ms>-<seq>:<room>}). */
    private static Optional<String> roomOfId(String id) {
        int colon = id.indexOf(':');
        return colon > 0 && colon < id.length() - 1 ? Optional.of(id.substring(colon + 1)) : Optional.empty();
    }

    private static String room(String messageJson) {
        return parse(messageJson).path("room").asText();
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T call(java.util.function.Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisException e) {
            throw new StoreUnavailableException("dead-letter store unavailable: " + e.getMessage(), e);
        }
    }
}
