package io.parley.chat.testing;

import java.util.HashMap;
import java.util.Map;

import io.parley.chat.ParleyServer;

/** Starts in-process Parley instances on free ports with test defaults that each test may override. */
public final class TestServers {

    public static final String ALLOWED_ORIGIN = "https://shop.example";

    private TestServers() {
    }

    public static Map<String, String> defaults() {
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_PORT", "0");
        env.put("PARLEY_ADMIN_PORT", "0");
        env.put("PARLEY_JWT_SECRETS", Tokens.SECRET);
        env.put("PARLEY_ALLOWED_ORIGINS", ALLOWED_ORIGIN);
        env.put("PARLEY_JWT_LEEWAY", "0s");
        return env;
    }

    /** A server with the defaults, overridden by {@code keyValues} ("PARLEY_X", "value", ...). */
    public static ParleyServer start(String... keyValues) {
        Map<String, String> env = defaults();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return ParleyServer.start(env);
    }

    public static Map<String, String> with(Map<String, String> base, String... keyValues) {
        Map<String, String> env = new HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }
}
