package io.parley.it.bench;

import java.util.Arrays;

/**
 * A growable array of measurements (nanoseconds) with nearest-rank percentiles. Keeping every sample is affordable at
 * benchmark sizes (a million latencies is 8 MB) and leaves nothing to bucket resolution. Not thread-safe: one writer,
 * read after it has stopped.
 */
final class LongSamples {

    private long[] values = new long[1024];
    private int size;
    private boolean sorted = true;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
        sorted = false;
    }

    void addAll(LongSamples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    int size() {
        return size;
    }

    /** The nearest-rank percentile, {@code p} in (0, 100]; 0 when there are no samples. */
    long percentile(double p) {
        if (size == 0) {
            return 0;
        }
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
        int rank = (int) Math.ceil(p / 100.0 * size);
        return values[Math.max(0, Math.min(size - 1, rank - 1))];
    }

    long max() {
        return percentile(100);
    }

    /** The median of a few numbers (the middle one; the lower middle for an even count). */
    static double median(double... xs) {
        double[] copy = xs.clone();
        Arrays.sort(copy);
        return copy.length == 0 ? Double.NaN : copy[(copy.length - 1) / 2];
    }
}
