package io.parley.chat.connection;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which browser origins may open a socket (cross-site WebSocket hijacking defence): the configured allowlist,
 * {@code *} for any, and in development mode also pages served from this machine's loopback on any port, so that
 * the demo page works whatever port the service was given.
 */
public final class OriginPolicy {

    private static final Pattern LOOPBACK = Pattern.compile("^http://(localhost|127\\.0\\.0\\.1)(:\\d{1,5})?$");

    private final List<String> allowed;
    private final boolean loopbackToo;

    public OriginPolicy(List<String> allowed, boolean developmentMode) {
        this.allowed = List.copyOf(allowed);
        this.loopbackToo = developmentMode;
    }

    public boolean allows(String origin) {
        return allowed.contains("*") || allowed.contains(origin) || (loopbackToo && LOOPBACK.matcher(origin).matches());
    }
}
