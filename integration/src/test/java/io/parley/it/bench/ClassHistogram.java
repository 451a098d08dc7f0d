package io.parley.it.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live objects of a JVM by class, as {@code jcmd <pid> GC.class_histogram} prints them after its full GC. The
 * total is the most precise "live heap" there is: the sum of the sizes of reachable objects, with no region or
 * fragmentation overhead.
 */
record ClassHistogram(Map<String, Entry> byClass, long totalInstances, long totalBytes) {

    /** One class: how many live instances and how many bytes they take. */
    record Entry(String className, long instances, long bytes) {
    }

    /** A class whose footprint changed between two histograms. */
    record Change(String className, long instances, long bytes) {
    }

    //    1:         12345        1234567  [B (java.base@25)
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
    // Total        123456       12345678
    private static final Pattern TOTAL = Pattern.compile("^\\s*Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    static ClassHistogram parse(String jcmdOutput) {
        Map<String, Entry> byClass = new HashMap<>();
        long instances = -1;
        long bytes = -1;
        for (String line : jcmdOutput.lines().toList()) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                // A class loaded by several loaders appears once per loader: add them up.
                Entry entry = new Entry(row.group(3), Long.parseLong(row.group(1)), Long.parseLong(row.group(2)));
                byClass.merge(entry.className(), entry, (a, b) -> new Entry(a.className(),
                        a.instances() + b.instances(), a.bytes() + b.bytes()));
                continue;
            }
            Matcher total = TOTAL.matcher(line);
            if (total.matches()) {
                instances = Long.parseLong(total.group(1));
                bytes = Long.parseLong(total.group(2));
            }
        }
        if (bytes < 0 || byClass.isEmpty()) {
            throw new IllegalArgumentException("not a class histogram: "
                    + jcmdOutput.substring(0, Math.min(300, jcmdOutput.length())));
        }
        return new ClassHistogram(Map.copyOf(byClass), instances, bytes);
    }

    /** The live objects of this JVM and {@code other} together (several instances read as one). */
    ClassHistogram plus(ClassHistogram other) {
        Map<String, Entry> sum = new HashMap<>(byClass);
        other.byClass.forEach((name, entry) -> sum.merge(name, entry, (a, b) -> new Entry(name,
                a.instances() + b.instances(), a.bytes() + b.bytes())));
        return new ClassHistogram(Map.copyOf(sum), totalInstances + other.totalInstances,
                totalBytes + other.totalBytes);
    }

    /** What grew (or shrank) from {@code before} to this histogram, largest growth in bytes first. */
    List<Change> minus(ClassHistogram before) {
        Set<String> classes = new HashSet<>(byClass.keySet());
        classes.addAll(before.byClass.keySet());
        List<Change> changes = new ArrayList<>();
        for (String name : classes) {
            Entry now = byClass.get(name);
            Entry then = before.byClass.get(name);
            long instances = (now == null ? 0 : now.instances()) - (then == null ? 0 : then.instances());
            long bytes = (now == null ? 0 : now.bytes()) - (then == null ? 0 : then.bytes());
            if (instances != 0 || bytes != 0) {
                changes.add(new Change(name, instances, bytes));
            }
        }
        changes.sort(Comparator.comparingLong(Change::bytes).reversed().thenComparing(Change::className));
        return changes;
    }
}
