package io.parley.it.bench;

import java.util.List;
import java.util.Map;

/** The Markdown report of {@link IdleConnectionsBench}, ready to paste into {@code docs/performance.md}. */
final class IdleConnectionsReport {

    private IdleConnectionsReport() {
    }

    static String markdown(IdleConnectionsBench.Result result) {
        IdleConnectionsBench.Settings s = result.settings();
        StringBuilder md = new StringBuilder();
        md.append("## Idle connections: live heap per connection\n\n");
        md.append("- Machine: ").append(result.machine()).append('\n');
        md.append("- Server: a child JVM `").append(String.join(" ", s.serverJvm()))
                .append("`, in memory (no Redis), default limits and heartbeat\n");
        md.append(String.format("- Load: %,d sockets, each its own user, authenticated and joined to one room of %,d"
                + " members (%,d rooms); %d repetitions, each on a fresh server after a warm-up of 200 sockets%n",
                s.connections(), s.roomSize(), s.rooms(), s.repetitions()));
        md.append("- Measured with `jcmd GC.run`, `GC.class_histogram` (live objects) and `GC.heap_info` (heap used)"
                + " after the presence events had settled\n\n");

        md.append("| run | baseline live | loaded live | bytes/conn (live objects) | bytes/conn (heap used) "
                + "| bytes/conn left after close | set-up time |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (IdleConnectionsBench.Repetition r : result.repetitions()) {
            md.append(String.format("| %d | %s | %s | %,.0f | %,.0f | %,.0f | %d s |%n", r.number(),
                    mib(r.baseline().liveBytes()), mib(r.loaded().liveBytes()), r.liveBytesPerConnection(),
                    r.heapUsedPerConnection(), r.leftAfterClosePerConnection(), r.setup().toSeconds()));
        }
        IdleConnectionsBench.Repetition median = result.median();
        md.append(String.format("%n**Median: %,.0f bytes (%.1f KiB) of live heap per idle authenticated connection**"
                        + " (run %d; heap used: %,.0f bytes).%n%n", median.liveBytesPerConnection(),
                median.liveBytesPerConnection() / 1024, median.number(), median.heapUsedPerConnection()));

        md.append(String.format("### Where the bytes go (run %d, loaded minus baseline, top %d classes)%n%n",
                median.number(), s.top()));
        md.append("| class | instances/conn | bytes/conn | share |\n|---|---:|---:|---:|\n");
        List<ClassHistogram.Change> changes = median.loaded().histogram().minus(median.baseline().histogram());
        double total = median.loaded().liveBytes() - median.baseline().liveBytes();
        for (ClassHistogram.Change c : changes.subList(0, Math.min(s.top(), changes.size()))) {
            md.append(String.format("| `%s` | %.2f | %,.0f | %.1f%% |%n", c.className(),
                    (double) c.instances() / median.connections(), (double) c.bytes() / median.connections(),
                    100.0 * c.bytes() / total));
        }
        md.append(String.format("%n### The same bytes by origin (run %d)%n%n", median.number()));
        md.append("| origin | bytes/conn | share |\n|---|---:|---:|\n");
        Map<String, Long> byOrigin = new java.util.LinkedHashMap<>();
        for (String origin : ORIGINS) {
            byOrigin.put(origin, 0L);
        }
        for (ClassHistogram.Change c : changes) {
            byOrigin.merge(origin(c.className()), c.bytes(), Long::sum);
        }
        byOrigin.forEach((origin, bytes) -> md.append(String.format("| %s | %,.0f | %.1f%% |%n", origin,
                (double) bytes / median.connections(), 100.0 * bytes / total)));
        md.append("\nArrays are counted under their own class; to see who holds them, take a heap dump"
                + " (`heap-dump=true`).\n");
        Map<String, Long> problems = median.problems();
        if (!problems.isEmpty()) {
            md.append("\nLoad problems: ").append(problems).append('\n');
        }
        return md.toString();
    }

    private static final List<String> ORIGINS = List.of("Parley (`io.parley`)", "Helidon (`io.helidon`)",
            "Jackson (`com.fasterxml`)", "virtual threads (`jdk.internal.vm`, `java.lang.VirtualThread`)",
            "primitive arrays (`[B`, `[C`, ...)", "other JDK classes and object arrays");

    /** Which of {@link #ORIGINS} a class comes from. */
    private static String origin(String className) {
        if (className.startsWith("io.parley.")) {
            return ORIGINS.get(0);
        } else if (className.startsWith("io.helidon.")) {
            return ORIGINS.get(1);
        } else if (className.startsWith("com.fasterxml.")) {
            return ORIGINS.get(2);
        } else if (className.startsWith("jdk.internal.vm.") || className.startsWith("[Ljdk.internal.vm.")
                || className.equals("java.lang.VirtualThread")) {
            return ORIGINS.get(3);
        } else if (className.length() == 2 && className.charAt(0) == '[') {
            return ORIGINS.get(4);
        }
        return ORIGINS.get(5);
    }

    /** Every class that changed, for a closer look than the report's top rows. */
    static String fullDiff(IdleConnectionsBench.Repetition r) {
        StringBuilder out = new StringBuilder("# loaded minus baseline, run " + r.number() + ", " + r.connections()
                + " connections\n# instances bytes bytes/conn class\n");
        appendChanges(out, r.loaded().histogram().minus(r.baseline().histogram()), r.connections());
        out.append("\n# after every socket closed minus baseline: what a closed socket leaves behind\n");
        appendChanges(out, r.afterClose().histogram().minus(r.baseline().histogram()), r.connections());
        return out.toString();
    }

    private static void appendChanges(StringBuilder out, List<ClassHistogram.Change> changes, int connections) {
        for (ClassHistogram.Change c : changes) {
            out.append(String.format("%d %d %.1f %s%n", c.instances(), c.bytes(), (double) c.bytes() / connections,
                    c.className()));
        }
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1024.0 / 1024.0);
    }
}
