/**
 * Redis plumbing shared by the Redis adapters of the ports: one client and its connections per instance
 * ({@link io.parley.chat.redis.RedisConnections}, over one server or a Redis Cluster, {@link
 * io.parley.chat.config.RedisMode}), every key and channel name per layout ({@link io.parley.chat.redis.RedisKeys}),
 * the Lua scripts that make each multi-key step atomic ({@link io.parley.chat.redis.LuaScript}), and the encoding of
 * what travels over pub/sub ({@link io.parley.chat.redis.WireEvents}).
 *
 * <p>The adapters themselves live beside their ports: {@code broker.RedisBroker}, {@code presence.RedisPresenceStore},
 * {@code outbox.RedisOutbox} and {@code outbox.RedisDeadLetters}, {@code auth.revocation.RedisRevocations},
 * {@code signing.replay.RedisReplayGuard}. They share one {@link io.parley.chat.redis.RedisConnections}, which the
 * composition root opens and closes after all of them; no adapter closes it.
 */
package io.parley.chat.redis;
