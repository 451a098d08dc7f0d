package io.parley.it.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The stop-the-world pauses of a JVM, so that a fan-out report can say whether a tail was a collector's pause: a
 * server's from its unified GC log ({@link #serverFlag}, read with {@link #fromLog}), the load client's own from the
 * JDK's collection notifications ({@link #recordThisJvm}). A pause counts for a phase when it ended inside it.
 */
final class GcPauses {

    /** One pause: when it ended, and how long it stopped the application. */
    record Pause(Instant end, double millis) {
    }

    // [2026-11-30T14:30:00.123+0000] GC(4) Pause Young (Allocation Failure) 123M->42M(365M) 173.731ms
    private static final Pattern LINE = Pattern.compile("^\\[([^]]+)].*\\bPause\\b.*?([0-9]+(?:\\.[0-9]+)?)ms$");
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private final List<Pause> recorded = new CopyOnWriteArrayList<>();

    private GcPauses() {
    }

    /** The JVM flag that makes a server write its pauses, with wall-clock times, to {@code file}. */
    static String serverFlag(Path file) {
        return "-Xlog:gc:file=" + file.toAbsolutePath() + ":utctime";
    }

    /** The pauses a server logged (see {@link #serverFlag}); none when it has written no log. */
    static List<Pause> fromLog(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return parse(Files.readAllLines(file));
    }

    static List<Pause> parse(List<String> lines) {
        return lines.stream().map(LINE::matcher).filter(Matcher::matches)
                .map(m -> new Pause(UTC_TIME.parse(m.group(1), Instant::from), Double.parseDouble(m.group(2))))
                .toList();
    }

    /**
     * Starts recording this JVM's pauses. Collectors that also report concurrent cycles (G1's and ZGC's "Concurrent"
     * beans) are left out: those cycles do not stop the application.
     */
    static GcPauses recordThisJvm() {
        GcPauses pauses = new GcPauses();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().contains("Concurrent") || !(gc instanceof NotificationEmitter emitter)) {
                continue;
            }
            emitter.addNotificationListener((notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
                            .getGcInfo();
                    pauses.recorded.add(new Pause(Instant.ofEpochMilli(jvmStart + info.getEndTime()),
                            info.getDuration()));
                }
            }, null, null);
        }
        return pauses;
    }

    List<Pause> recorded() {
        return List.copyOf(recorded);
    }

    /** The longest pause that ended in {@code [from, to]}, in milliseconds; 0 when there was none. */
    static double longest(List<Pause> pauses, Instant from, Instant to) {
        return pauses.stream().filter(p -> !p.end().isBefore(from) && !p.end().isAfter(to))
                .mapToDouble(Pause::millis).max().orElse(0);
    }
}
