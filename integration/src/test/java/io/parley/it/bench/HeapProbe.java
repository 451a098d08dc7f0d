package io.parley.it.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live heap of another JVM through {@code jcmd}: a forced full GC ({@code GC.run}), the class histogram (which
 * collects again before it counts, so it sees reachable objects only), and the heap's used size right after.
 */
final class HeapProbe {

    /** What a probe saw: the live objects by class, and the heap's used size after the full GC. */
    record Sample(ClassHistogram histogram, long heapUsedBytes) {

        long liveBytes() {
            return histogram.totalBytes();
        }
    }

    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final long TIMEOUT_SECONDS = 120;

    private HeapProbe() {
    }

    static Sample sample(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        ClassHistogram histogram = ClassHistogram.parse(jcmd(pid, "GC.class_histogram"));
        String heapInfo = jcmd(pid, "GC.heap_info");
        Matcher used = USED.matcher(heapInfo);
        if (!used.find()) {
            throw new IllegalStateException("no 'used' in GC.heap_info: " + heapInfo);
        }
        return new Sample(histogram, Long.parseLong(used.group(1)) * 1024);
    }

    /** Runs one diagnostic command on {@code pid} and returns what it printed. */
    static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(List.of(jcmd.toString(), String.valueOf(pid), command))
                .redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("jcmd " + command + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + text);
        }
        return text;
    }
}
