package io.tickbus.archive;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.tickbus.archive.client.DayReplayer;
import io.tickbus.driver.TickbusDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention on one recording that holds an old day and a kept day: the old day's whole segment files go
 * (Aeron's start position moves up to the segment file holding the kept day), the old day leaves the catalog,
 * and the kept day still replays byte-identical.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PurgeSegmentsTest
{
    private static final int STREAM = 1701;
    private static final int SEGMENT = 256 * 1024;

    @TempDir
    Path dir;

    private TickbusDriver driver;
    private TickbusArchive archive;
    private AeronArchive client;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void close()
    {
        executor.shutdownNow();
        CloseHelper.closeAll(client, archive, driver);
    }

    @Test
    void purgeDropsOldSegmentFilesOfARecordingThatContinues() throws Exception
    {
        driver = TickbusDriver.launch(new TickbusDriver.Context()
            .dir(TickbusDriver.uniqueEmbeddedDir("arc-purge")).deleteOnClose(true).ipcTermLength(64 * 1024));
        archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir)
            .aeronDirectoryName(driver.aeronDirectoryName())
            .controlChannel(null)
            .segmentFileLength(SEGMENT)
            .persistIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .record("aeron:ipc:" + STREAM));
        client = TickbusArchive.connectLocal(archive.aeron());

        final MarketDataGenerator generator = new MarketDataGenerator();
        final int d1Messages = 6_000; // about 3 segment files
        final int d2Messages = 500;
        try (ExclusivePublication publication = archive.aeron().addExclusivePublication("aeron:ipc", STREAM))
        {
            DayReplayerTest.awaitConnected(publication);
            final long d1 = MarketDataGenerator.epochNs("2026-11-19T14:30:00Z");
            for (int i = 0; i < d1Messages; i++)
            {
                generator.publish(publication, d1 + i * 1_000_000L);
            }
            generator.publishEndOfSession(publication, d1 + d1Messages * 1_000_000L, 20261119);
            final long d2 = MarketDataGenerator.epochNs("2026-11-20T14:30:00Z");
            for (int i = 0; i < d2Messages; i++)
            {
                generator.publish(publication, d2 + i * 1_000_000L);
            }
            assertTrue(archive.awaitCatalogCaughtUp(20_000));
        }
        assertTrue(archive.awaitCatalogCaughtUp(20_000));
        archive.flushCatalog();

        final DayCatalog before = DayCatalog.load(dir);
        final DaySegment kept = before.segments(LocalDate.of(2026, 11, 20), STREAM).get(0);
        final long recordingId = kept.recordingId();
        assertTrue(kept.startPosition() > 2L * SEGMENT, "day 1 fills more than two segment files");

        final PurgeReport report = archive.purge(0, LocalDate.of(2026, 11, 20));
        assertEquals(1, report.purged().size(), report.purged() + " " + report.skipped());
        assertTrue(report.purged().get(0).startsWith("2026-11-19"));

        // whole segment files below the one holding the kept day's first byte are gone
        assertEquals((kept.startPosition() / SEGMENT) * SEGMENT, client.getStartPosition(recordingId));
        final DayCatalog after = DayCatalog.load(dir);
        assertEquals(1, after.days().size());
        assertEquals(LocalDate.of(2026, 11, 20), after.days().get(0).day());

        final ReceivedMessages received = new ReceivedMessages();
        try (Subscription subscription = archive.aeron().addSubscription("aeron:ipc", 9_701))
        {
            final DayReplayer replayer = new DayReplayer(archive.aeron(), client, after, new DayReplayer.Context()
                .day(LocalDate.of(2026, 11, 20)).streamId(STREAM).target("aeron:ipc", 9_701).archiveDir(dir));
            final Future<DayReplayer.Result> result = executor.submit(() ->
            {
                try (replayer)
                {
                    return replayer.run();
                }
            });
            final FragmentAssembler assembler = new FragmentAssembler(received);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!received.endOfReplay)
            {
                if (0 == subscription.poll(assembler, 100))
                {
                    Thread.sleep(1);
                }
                assertTrue(System.nanoTime() < deadline, "end of replay not seen");
            }
            result.get(10, TimeUnit.SECONDS);
        }
        final List<Long> d2Checksums = generator.checksums.subList(d1Messages + 1, generator.checksums.size());
        assertEquals(d2Checksums, received.checksums);
    }
}
