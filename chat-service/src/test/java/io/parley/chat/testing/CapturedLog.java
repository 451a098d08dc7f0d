package io.parley.chat.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A {@code java.util.logging} handler that keeps what reaches it: the records, and each one formatted by the handler's
 * formatter at the moment it is logged (the MDC a formatter reads is per thread, so later would be too late).
 * Attached with {@link #on}, detached by {@link #close}.
 */
public final class CapturedLog extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CapturedLog(Logger logger) {
        this.logger = logger;
    }

    /** Starts capturing what {@code logger} (and the loggers below it) publish. */
    public static CapturedLog on(Logger logger) {
        CapturedLog log = new CapturedLog(logger);
        logger.addHandler(log);
        return log;
    }

    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The records as the formatter wrote them (the bare message without a formatter). */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            records.add(record);
            lines.add(getFormatter() == null ? record.getMessage() : getFormatter().format(record));
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
