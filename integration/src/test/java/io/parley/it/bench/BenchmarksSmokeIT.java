package io.parley.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Runs both benchmarks at a tiny size so that they keep working as the service changes: every socket gets set up,
 * heap samples are taken and parsed, every fan-out message arrives. No number is asserted; the real runs are made
 * with {@code integration/bench/run.sh} and recorded in {@code docs/performance.md}.
 */
class BenchmarksSmokeIT {

    private static final Path OUT = Path.of("target", "bench-smoke");

    @Test
    void memoryBenchmarkMeasuresTwoHundredIdleConnections() throws Exception {
        IdleConnectionsBench.Settings settings = new IdleConnectionsBench.Settings(200, 50, 1, 100,
                List.of("-Xmx256m", "-XX:+UseG1GC"), 10, OUT, false);

        IdleConnectionsBench.Result result = IdleConnectionsBench.run(settings, System.out::println);

        assertEquals(1, result.repetitions().size());
        IdleConnectionsBench.Repetition run = result.repetitions().getFirst();
        assertTrue(run.loaded().liveBytes() > run.baseline().liveBytes(), "200 sockets must take some heap");
        assertTrue(run.problems().isEmpty(), () -> "load problems: " + run.problems());
        String report = result.markdown();
        assertTrue(report.contains("Median:") && report.contains("| `"), report);
    }

    @Test
    void fanoutBenchmarkDeliversEveryMessageToEveryMember() throws Exception {
        FanoutBench.Settings settings = new FanoutBench.Settings(List.of(5, 20), 10, 2, 1, 1, 100,
                List.of("-Xmx256m", "-XX:+UseG1GC"), OUT);

        FanoutBench.Result result = FanoutBench.run(settings, System.out::println);

        assertEquals(2, result.phases().size());
        for (FanoutBench.Phase phase : result.phases()) {
            assertEquals(phase.expected(), phase.delivered(), () -> "room of " + phase.members());
            assertEquals(20, phase.sent());
        }
        assertEquals(0, result.closedByServer(), () -> "closed: " + result.problems());
        assertFalse(result.markdown().isBlank());
    }
}
