package io.parley.chat.observe;

import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Logger;

import io.parley.chat.config.ConfigException;
import io.parley.chat.config.Settings;

/**
 * How log lines are written ({@code PARLEY_LOG_FORMAT}): {@code text}, the Helidon console format of
 * {@code logging.properties}, or {@code json}, one {@link JsonLogFormatter} object per line for a log pipeline.
 */
public enum LogFormat {
    TEXT, JSON;

    /**
     * Reads {@code parley.log.format} ({@code PARLEY_LOG_FORMAT}) over {@code application.yaml}.
     *
     * @throws ConfigException naming the variable, for any other value
     */
    public static LogFormat from(Map<String, String> env) {
        String value = Settings.load(env).optional("parley.log.format").orElse("text");
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new ConfigException("PARLEY_LOG_FORMAT: must be 'text' or 'json'");
        };
    }

    /**
     * Applies this format to every handler of the root logger (process-wide: called once, by {@code Main}).
     *
     * @param instance written in every JSON line, so that lines of several pods can be told apart
     */
    public void install(String instance) {
        if (this == JSON) {
            for (Handler handler : Logger.getLogger("").getHandlers()) {
                handler.setFormatter(new JsonLogFormatter(instance));
            }
        }
    }
}
