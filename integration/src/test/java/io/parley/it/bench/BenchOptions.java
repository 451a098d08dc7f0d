package io.parley.it.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Benchmark parameters as {@code key=value} arguments, each with a default that the benchmark documents. A key the
 * benchmark does not know stops the run: a misspelt parameter must not silently measure the default.
 */
final class BenchOptions {

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> read = new TreeSet<>();

    BenchOptions(String... args) {
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
    }

    int integer(String key, int defaultValue) {
        read.add(key);
        String value = values.get(key);
        return value == null ? defaultValue : Integer.parseInt(value.replace("_", "").replace(",", ""));
    }

    String string(String key, String defaultValue) {
        read.add(key);
        return values.getOrDefault(key, defaultValue);
    }

    /** A space-separated list, such as JVM flags. */
    List<String> words(String key, String defaultValue) {
        return Arrays.stream(string(key, defaultValue).trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    Path path(String key, String defaultValue) {
        return Path.of(string(key, defaultValue));
    }

    /** Call once every option has been read: refuses keys nobody asked for. */
    void refuseUnknown() {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + unknown + "; known: " + read);
        }
    }
}
