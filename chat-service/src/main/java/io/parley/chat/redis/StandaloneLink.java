package io.parley.chat.redis;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/** One Redis server: one command connection, one pub/sub connection (classic SUBSCRIBE), blocking reads allowed. */
final class StandaloneLink implements RedisConnections.Link {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private final List<StatefulRedisConnection<String, String>> dedicated = new CopyOnWriteArrayList<>();
    private volatile StatefulRedisConnection<String, String> appends;

    StandaloneLink(RedisClient client) {
        this.client = client;
        this.commands = client.connect(StringCodec.UTF8);
        this.pubSub = client.connectPubSub(StringCodec.UTF8);
    }

    @Override
    public RedisClusterCommands<String, String> sync() {
        return commands.sync();
    }

    @Override
    public RedisClusterAsyncCommands<String, String> async() {
        return commands.async();
    }

    @Override
    public StatefulRedisConnection<String, String> appendConnectionFor(String key) {
        StatefulRedisConnection<String, String> c = appends;
        if (c == null) {
            synchronized (this) {
                if (appends == null) {
                    appends = connect();
                }
                c = appends;
            }
        }
        return c;
    }

    @Override
    public void addListener(RedisPubSubListener<String, String> listener) {
        pubSub.addListener(listener);
    }

    @Override
    public void subscribe(List<String> channels) {
        pubSub.sync().subscribe(channels.toArray(String[]::new));
    }

    @Override
    public RedisFuture<Void> unsubscribe(String channel) {
        return pubSub.async().unsubscribe(channel);
    }

    @Override
    public RedisFuture<Long> publish(String channel, String payload) {
        return commands.async().publish(channel, payload);
    }

    @Override
    public Optional<StatefulRedisConnection<String, String>> openDedicated() {
        return Optional.of(connect());
    }

    /** A further connection, closed with this link. */
    private StatefulRedisConnection<String, String> connect() {
        StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8);
        dedicated.add(c);
        return c;
    }

    @Override
    public boolean probe() {
        return "PONG".equals(commands.sync().ping());
    }

    @Override
    public long topologyVersion() {
        return 0;
    }

    @Override
    public boolean isOpen() {
        return commands.isOpen() && pubSub.isOpen();
    }

    @Override
    public void close() {
        dedicated.forEach(StatefulRedisConnection::close);
        pubSub.close();
        commands.close();
    }
}
