package io.parley.chat.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/**
 * A Lua script from {@code src/main/resources/redis/}, run with EVALSHA and, when Redis does not know it (first use,
 * or after a restart: scripts are not persisted), with EVAL, which also caches it for the next EVALSHA.
 */
public final class LuaScript {

    private final String source;
    private final String sha1;

    private LuaScript(String source) {
        this.source = source;
        this.sha1 = sha1Hex(source);
    }

    /** Loads {@code redis/<name>.lua} from the classpath. */
    public static LuaScript load(String name) {
        String path = "/redis/" + name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + path);
            }
            return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** Runs the script and waits (bounded by the connection's command timeout). */
    public <T> T run(RedisClusterCommands<String, String> redis, ScriptOutputType type, List<String> keys,
                     String... args) {
        String[] k = keys.toArray(String[]::new);
        try {
            return redis.evalsha(sha1, type, k, args);
        } catch (RedisNoScriptException e) {
            return redis.eval(source, type, k, args);
        }
    }

    /** Runs the script without waiting: many calls on one connection are pipelined. */
    public <T> CompletableFuture<T> runAsync(RedisClusterAsyncCommands<String, String> redis, ScriptOutputType type,
                                             List<String> keys, String... args) {
        String[] k = keys.toArray(String[]::new);
        CompletableFuture<T> bySha = redis.<T>evalsha(sha1, type, k, args).toCompletableFuture();
        return bySha.exceptionallyCompose(e -> unwrap(e) instanceof RedisNoScriptException
                ? redis.<T>eval(source, type, k, args).toCompletableFuture()
                : CompletableFuture.failedFuture(unwrap(e)));
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String sha1Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }
}
