package io.parley.chat.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.parley.chat.model.ChatMessage;
import io.parley.chat.protocol.Json;
import io.parley.chat.redis.RedisConnections;
import io.parley.chat.redis.RedisKeys;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker contract against a real {@code redis-server}, every broker being one instance of a cluster; plus what
 * only Redis has: the outbox stream, and the behaviour when Redis goes away, comes back, or stops answering.
 */
class RedisBrokerIT extends SharedBrokerContract {

    private static final RedisKeys keys = RedisKeys.STANDALONE;

    private static RedisServer redis;
    private final List<RedisConnections> connections = new ArrayList<>();
    private boolean outbox;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected Broker create(int retainedPerRoom, Duration refWindow) {
        RedisConnections c = RedisConnections.open(redis.redisUri(), RedisConnections.COMMAND_TIMEOUT);
        connections.add(c);
        return new RedisBroker(c, retainedPerRoom, refWindow, outbox, 0);
    }

    @Override
    protected void afterBrokersClosed() {
        connections.forEach(RedisConnections::close);
        connections.clear();
    }


    @Test
    void withTheOutboxEnabledEveryNewMessageIsQueuedOnceForTheMonolith() throws Exception {
        outbox = true;
        Broker b = broker(100).broker();
        String r = room("outbox");
        ChatMessage m = b.append(keyed(r, "to the monolith", "o-1")).message();
        assertTrue(b.append(keyed(r, "to the monolith", "o-1")).duplicate());

        List<ChatMessage> queued = outboxOf(r);
        assertEquals(List.of(m), queued.stream().filter(q -> q.room().equals(r)).toList());
    }

    @Test
    void withoutTheOutboxNothingIsQueued() throws Exception {
        outbox = false;
        Broker b = broker(100).broker();
        String r = room("no-outbox");
        b.append(draft(r, "kept in the room only"));
        assertEquals(List.of(), outboxOf(r).stream().filter(q -> q.room().equals(r)).toList());
    }

    @Test
    void eachRoomsKeysAndItsOutboxShareOneHashTag() {
        String r = "team-7:general";
        String tag = keys.tag(keys.shard(r));
        for (String key : List.of(keys.roomLog(r), keys.roomRef(r, "u:1:c-1"), keys.roomChannel(r),
                keys.outboxOf(r), keys.roomMembers(r), keys.roomConnections(r))) {
            assertEquals(tag, key.substring(key.indexOf('{'), key.indexOf('}') + 1), key);
        }
    }

    @Test
    void liveDeliveryHasNoGapNorDuplicateWhenPubSubConnectionsAreKilled() {
        Started writer = broker(1000);
        Started reader = broker(1000);
        String r = room("blip");
        reader.broker().subscribe(r);
        int total = 300;
        List<String> acked = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            if (i % 60 == 30) {
                // Drops every pub/sub connection; Lettuce reconnects, the broker re-subscribes and catches up.
                redis.command("CLIENT", "KILL", "TYPE", "pubsub");
            }
            acked.add(appendRetrying(writer.broker(), draft(r, "m" + i)).id());
        }
        List<String> received = new ArrayList<>();
        while (received.size() < total) {
            received.add(reader.listener().nextPosted().id());
        }
        assertEquals(acked, received, "every message once, in order");
    }

    @Test
    void whileRedisIsDownAppendsFailFastAndEverythingComesBackByItself() {
        Started one = broker(100);
        Started two = broker(100);
        String r = room("outage");
        two.broker().subscribe(r);
        ChatMessage before = one.broker().append(draft(r, "before")).message();
        assertEquals(before, two.listener().nextPosted());

        redis.kill();
        Eventually.until("readiness goes down", () -> !one.broker().available() && !two.broker().available());
        assertThrows(BrokerUnavailableException.class, () -> one.broker().append(draft(r, "during")));
        assertThrows(BrokerUnavailableException.class, () -> one.broker().history(r, Optional.empty(), 10));
        String later = room("joined-during-outage");
        assertThrows(BrokerUnavailableException.class, () -> two.broker().subscribe(later));

        redis.restart();
        Eventually.until("readiness comes back", () -> one.broker().available() && two.broker().available());
        ChatMessage after = appendRetrying(one.broker(), draft(r, "after"));
        assertEquals(after, two.listener().nextPosted(), "re-subscribed by itself");
        assertEquals(List.of(before, after), one.broker().history(r, Optional.empty(), 10).messages(),
                "what was acked survived the kill (AOF); what failed was not stored");

        ChatMessage inLater = appendRetrying(one.broker(), draft(later, "subscribed after recovery"));
        assertEquals(inLater, two.listener().nextPosted(), "a subscription that failed during the outage is redone");
    }

    @Test
    void aPausedRedisTurnsReadinessDownAndAppendsIntoErrorsNotHangs() {
        Started one = broker(100);
        String r = room("paused");
        one.broker().subscribe(r);
        redis.pause();
        try {
            BrokerUnavailableException e = assertThrows(BrokerUnavailableException.class,
                    () -> one.broker().append(keyed(r, "slow", "p-1")));
            assertTrue(e.getMessage().contains("Redis"), e.getMessage());
            Eventually.until("readiness goes down while Redis does not answer", () -> !one.broker().available());
        } finally {
            redis.resume();
        }
        Eventually.until("readiness comes back", () -> one.broker().available());
        // The timed-out append may have run once Redis resumed: a retry with the same ref gives one message.
        Published retried = appendRetrying(one.broker(), keyed(r, "slow", "p-1"), true);
        List<ChatMessage> history = one.broker().history(r, Optional.empty(), 10).messages();
        assertEquals(List.of(retried.message().id()), history.stream().map(ChatMessage::id).toList());
    }

    private static ChatMessage appendRetrying(Broker b, MessageDraft d) {
        return appendRetrying(b, d, false).message();
    }

    /** Appends, retrying while the broker reports Redis unavailable (as a client retries with the same ref). */
    static Published appendRetrying(Broker b, MessageDraft d, boolean allowDuplicate) {
        AtomicReference<Published> published = new AtomicReference<>();
        AtomicReference<BrokerUnavailableException> refusal = new AtomicReference<>();
        Eventually.until("Redis accepts the message", () -> {
            try {
                published.set(b.append(d));
                return true;
            } catch (BrokerUnavailableException e) {
                refusal.set(e);
                return false;
            }
        }, () -> "last refusal: " + refusal.get(), Eventually.DEFAULT);
        assertTrue(allowDuplicate || !published.get().duplicate());
        return published.get();
    }

    private static List<ChatMessage> outboxOf(String room) throws Exception {
        try (RedisConnections c = RedisConnections.open(redis.redisUri(), RedisConnections.COMMAND_TIMEOUT)) {
            List<ChatMessage> out = new ArrayList<>();
            for (StreamMessage<String, String> e : c.sync().xrange(keys.outboxOf(room), Range.create("-", "+"))) {
                assertEquals(List.of(RedisKeys.OUTBOX_FIELD), List.copyOf(e.getBody().keySet()));
                out.add(Json.MAPPER.readValue(e.getBody().get(RedisKeys.OUTBOX_FIELD), ChatMessage.class));
            }
            return out;
        }
    }

}
