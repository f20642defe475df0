package io.tickbus.feed;

import io.aeron.Aeron;
import io.tickbus.driver.TickbusDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ParseSummary's JSON contract and FeedCounters' counting and rate-limited reporting (real media driver). */
@Timeout(60)
class FeedStatsTest
{
    @Test
    void emptySummaryHasZeroTimestamps()
    {
        assertEquals("{\"packets\":0,\"heartbeats\":0,\"messages\":0,\"malformed\":0,\"gaps\":0,\"byType\":{}," +
            "\"firstTimestamp\":0,\"lastTimestamp\":0}", new ParseSummary().toJson());
    }

    @Test
    void byTypeSortedByCharacterOrNumerically()
    {
        final ParseSummary letters = new ParseSummary();
        for (final String t : new String[]{"h", "U", "A", "U", "S"})
        {
            letters.onMessage(t, 0);
        }
        letters.onMessage("A", 5);
        letters.onMessage("A", 9);
        letters.onPacket();
        letters.onHeartbeat();
        letters.onGap(10, 12);
        assertEquals("{\"packets\":1,\"heartbeats\":1,\"messages\":7,\"malformed\":0,\"gaps\":1," +
            "\"byType\":{\"A\":3,\"S\":1,\"U\":2,\"h\":1},\"firstTimestamp\":5,\"lastTimestamp\":9}", letters.toJson());
        assertEquals(3, letters.missingSequences());

        final ParseSummary numbers = new ParseSummary();
        for (final String t : new String[]{"46", "4", "32", "4"})
        {
            numbers.onMessage(t, 0);
        }
        assertTrue(numbers.toJson().contains("\"byType\":{\"4\":2,\"32\":1,\"46\":1}"), numbers.toJson());
    }

    @Test
    void feedCountersCountEverythingAndRateLimitReports()
    {
        final TickbusDriver driver = TickbusDriver.launchEmbedded("feed-counters");
        final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final List<Throwable> reports = new ArrayList<>();
        final long[] now = {0};
        try (FeedCounters counters = new FeedCounters(aeron, "test", reports::add, () -> now[0]))
        {
            for (int i = 0; i < 25; i++)
            {
                counters.onMalformed("bad " + i, i + 1, 100L * i);
            }
            assertEquals(25, counters.malformed());
            assertEquals(FeedCounters.MAX_REPORTS_PER_SECOND, reports.size());
            assertTrue(reports.get(0).getMessage().contains("bad 0 (packet 1, offset 0)"), reports.get(0).getMessage());
            now[0] += 1_000_000_000L;
            counters.onGap(5, 9);
            assertEquals(1, counters.gaps());
            assertEquals(FeedCounters.MAX_REPORTS_PER_SECOND + 1, reports.size());
            assertTrue(reports.get(reports.size() - 1).getMessage().contains("5..9 (5 missing)"));
            counters.onPublishResult(10);
            counters.onPublishResult(-1);
            counters.onPacket();
            counters.onHeartbeat();
            counters.onMessage("A", 1);
            assertEquals(1, counters.published());
            assertEquals(1, counters.dropped());
            assertEquals(1, counters.packets());
            assertEquals(1, counters.heartbeats());
            assertEquals(1, counters.messages());
            assertEquals(15, counters.suppressedReports());
        }
        finally
        {
            CloseHelper.closeAll(aeron, driver);
        }
    }
}
