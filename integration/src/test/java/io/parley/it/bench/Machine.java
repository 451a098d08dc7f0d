package io.parley.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A line about the machine a result was measured on: results from a small shared box are only comparable in kind. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        return Runtime.getRuntime().availableProcessors() + " CPUs, "
                + procLine(Path.of("/proc/meminfo"), "MemTotal:").map(Machine::gib).orElse("? memory") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", "
                + "open files limit " + procLine(Path.of("/proc/self/limits"), "Max open files")
                .map(line -> line.trim().split("\\s+")[3]).orElse("?");
    }

    /** The soft limit on open files of this process, or -1 when unknown. */
    static long openFilesLimit() {
        return procLine(Path.of("/proc/self/limits"), "Max open files")
                .map(line -> line.trim().split("\\s+")[3])
                .map(v -> v.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(v)).orElse(-1L);
    }

    private static String gib(String memTotalLine) {
        long kib = Long.parseLong(memTotalLine.replaceAll("\\D+", ""));
        return String.format("%.1f GiB RAM", kib / 1024.0 / 1024.0);
    }

    private static Optional<String> procLine(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
