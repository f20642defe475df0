package io.tickbus.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short bounded run of the {@link NoLossHarness} on real components (simulator captures, feed handlers, a
 * single-member sequencer cluster, IPC subscribers): every message published is received once and in order on the
 * direct and the sequenced path, and the global sequence runs 1..N. Ports 28520-28524.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NoLossHarnessTest
{
    @Test
    void everyMessageArrivesOnceInOrderOnBothPaths() throws Exception
    {
        final int feeds = 2;
        final long perFeed = 3_000;
        final NoLossHarness.Report report = NoLossHarness.run(perFeed, feeds, 48_520);
        final String json = report.toJson();
        System.out.println("NOLOSS " + json);

        // The simulator generates perFeed order-flow messages after its symbol directory, and each becomes one
        // bus message: at least feeds * perFeed were published.
        assertTrue(report.published() >= feeds * perFeed, json);
        assertEquals(0, report.refused(), json);
        assertEquals(report.published(), report.directReceived(), json);
        assertEquals(report.published(), report.sequencedReceived(), json);
        assertEquals(0, report.directMissing() + report.directDuplicated() + report.directReordered(), json);
        assertEquals(0, report.sequencedMissing() + report.sequencedDuplicated() + report.sequencedReordered(), json);
        assertEquals(1, report.globalFirst(), json);
        assertEquals(report.published(), report.globalLast(), json);
        assertEquals(0, report.globalGaps() + report.globalDuplicated(), json);
        assertTrue(report.noLoss(), json);
    }
}
