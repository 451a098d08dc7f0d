package io.parley.it.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** The Markdown report of {@link FanoutBench}, ready to paste into {@code docs/performance.md}. */
final class FanoutReport {

    private FanoutReport() {
    }

    static String markdown(FanoutBench.Result result) {
        FanoutBench.Settings s = result.settings();
        StringBuilder md = new StringBuilder();
        md.append("## Fan-out: one room, one sender\n\n");
        md.append("- Machine: ").append(result.machine()).append('\n');
        md.append("- Server: a child JVM `").append(String.join(" ", s.serverJvm()))
                .append("`, in memory (no Redis); sender frame limit raised, everything else default\n");
        md.append(String.format("- Load: rooms of %s members (each a socket of its own user, all in one client"
                        + " process); the first member sends %d messages/s for %d s per phase; %d rounds, rooms"
                        + " taking turns, after a %d s warm-up each%n",
                s.sizes().stream().map(n -> String.format("%,d", n)).toList(), s.rate(), s.seconds(), s.rounds(),
                s.warmUpSeconds()));
        md.append("- Latency: from the intended send time to the `message` frame read by another member (the load"
                + " client's own queueing included); ack: to the sender's `ack`. Frames/s: deliveries over the phase."
                + " Server CPU: all its threads, per 1,000 deliveries\n\n");

        md.append("| round | members | sent | delivered / expected | p50 ms | p90 ms | p99 ms | max ms | frames/s "
                + "| ack p50 ms | ack p99 ms | server CPU ms / 1k frames |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (FanoutBench.Phase p : result.phases()) {
            md.append(String.format("| %d | %,d | %,d | %,d / %,d | %.2f | %.2f | %.2f | %.1f | %,.0f | %.2f | %.2f "
                            + "| %.1f |%n", p.round(), p.members(), p.sent(), p.delivered(), p.expected(),
                    ms(p.p50Nanos()), ms(p.p90Nanos()), ms(p.p99Nanos()), ms(p.maxNanos()), p.framesPerSecond(),
                    ms(p.ackP50Nanos()), ms(p.ackP99Nanos()), p.serverCpuMsPerThousandFrames()));
        }

        md.append("\n### Medians over the rounds, and ratios to the first room size\n\n");
        md.append("| members | p50 ms | p99 ms | frames/s | server CPU ms / 1k frames | p50 ratio | p99 ratio "
                + "| frames/s ratio |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        int first = s.sizes().getFirst();
        double p50First = median(result, first, p -> ms(p.p50Nanos()));
        double p99First = median(result, first, p -> ms(p.p99Nanos()));
        double fpsFirst = median(result, first, FanoutBench.Phase::framesPerSecond);
        for (int size : s.sizes()) {
            double p50 = median(result, size, p -> ms(p.p50Nanos()));
            double p99 = median(result, size, p -> ms(p.p99Nanos()));
            double fps = median(result, size, FanoutBench.Phase::framesPerSecond);
            md.append(String.format("| %,d | %.2f | %.2f | %,.0f | %.1f | %.2f | %.2f | %.2f |%n", size, p50, p99,
                    fps, median(result, size, FanoutBench.Phase::serverCpuMsPerThousandFrames), p50 / p50First,
                    p99 / p99First, fps / fpsFirst));
        }
        md.append(String.format("%nSockets closed by the server during the run: %d.", result.closedByServer()));
        if (!result.problems().isEmpty()) {
            md.append(" Problems: ").append(result.problems());
        }
        md.append('\n');
        return md.toString();
    }

    private static double median(FanoutBench.Result result, int members, ToDoubleFunction<FanoutBench.Phase> f) {
        List<FanoutBench.Phase> phases = result.phases().stream().filter(p -> p.members() == members).toList();
        return LongSamples.median(phases.stream().mapToDouble(f).toArray());
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
