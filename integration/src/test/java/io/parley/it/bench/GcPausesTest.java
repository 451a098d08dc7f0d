package io.parley.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Reading the servers' GC logs and the client's own pauses, as the fan-out report uses them. */
class GcPausesTest {

    @Test
    void pausesAreReadFromSerialAndG1LogsAndOtherLinesAreSkipped() {
        List<GcPauses.Pause> pauses = GcPauses.parse(List.of(
                "[2026-11-30T14:30:00.123+0000] Using Serial",
                "[2026-11-30T14:30:01.500+0000] GC(4) Pause Young (Allocation Failure) 123M->42M(365M) 173.731ms",
                "[2026-11-30T14:30:02.250+0000] GC(5) Pause Young (Normal) (G1 Evacuation Pause) 250M->100M(500M) "
                        + "12.5ms",
                "[2026-11-30T14:30:03.000+0000] GC(6) Concurrent Mark Cycle 80.123ms",
                "[2026-11-30T14:30:04.000+0000] GC(6) Pause Remark 300M->290M(500M) 2ms"));

        assertEquals(List.of(
                new GcPauses.Pause(Instant.parse("2026-11-30T14:30:01.500Z"), 173.731),
                new GcPauses.Pause(Instant.parse("2026-11-30T14:30:02.250Z"), 12.5),
                new GcPauses.Pause(Instant.parse("2026-11-30T14:30:04Z"), 2)), pauses);
        assertEquals(12.5, GcPauses.longest(pauses, Instant.parse("2026-11-30T14:30:02Z"),
                Instant.parse("2026-11-30T14:30:05Z")));
        assertEquals(0, GcPauses.longest(pauses, Instant.parse("2026-11-30T14:31:00Z"),
                Instant.parse("2026-11-30T14:32:00Z")));
    }

    @Test
    void thisJvmsPausesAreRecorded() throws Exception {
        GcPauses pauses = GcPauses.recordThisJvm();
        Instant from = Instant.now().minusSeconds(1);
        System.gc(); // a full collection stops the application with every collector
        for (long end = System.nanoTime() + 5_000_000_000L; pauses.recorded().isEmpty() && System.nanoTime() < end; ) {
            Thread.sleep(10);
        }
        assertTrue(pauses.recorded().stream().anyMatch(p -> !p.end().isBefore(from)), () -> "" + pauses.recorded());
    }
}
