package io.parley.chat.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.logging.common.HelidonMdc;
import io.parley.chat.protocol.Json;

/**
 * One JSON object per log line: {@code time} (ISO-8601, UTC), {@code level}, {@code logger}, {@code message},
 * {@code instance}, then {@code connection} and {@code request} when the code that logs has put them in the
 * {@link HelidonMdc} under {@link #CONNECTION} / {@link #REQUEST}, and {@code error} and {@code stack} for a
 * throwable. It writes only what the log call gave it: keeping tokens, secrets and message text out of log calls is
 * the callers' rule (checked by {@code LogFormatTest} on a captured log).
 */
public final class JsonLogFormatter extends Formatter {

    /** MDC key of the socket's connection id. */
    public static final String CONNECTION = "connection";
    /** MDC key of the admin request id (see {@link AdminAccessLog}). */
    public static final String REQUEST = "request";

    private final String instance;

    public JsonLogFormatter(String instance) {
        this.instance = instance;
    }

    @Override
    public String format(LogRecord record) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.ofEpochMilli(record.getMillis()).toString());
        line.put("level", record.getLevel().getName());
        line.put("logger", record.getLoggerName());
        line.put("message", formatMessage(record));
        line.put("instance", instance);
        HelidonMdc.get(CONNECTION).ifPresent(id -> line.put(CONNECTION, id));
        HelidonMdc.get(REQUEST).ifPresent(id -> line.put(REQUEST, id));
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            line.put("error", thrown.toString());
            StringWriter stack = new StringWriter();
            thrown.printStackTrace(new PrintWriter(stack));
            line.put("stack", stack.toString());
        }
        try {
            return Json.MAPPER.writeValueAsString(line) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            // Strings and a map of strings always serialize; keep the line rather than lose it.
            return "{\"level\":\"" + record.getLevel().getName() + "\",\"message\":\"unformattable log record\"}"
                    + System.lineSeparator();
        }
    }
}
