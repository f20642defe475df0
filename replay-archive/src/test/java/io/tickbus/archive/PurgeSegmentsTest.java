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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention on one recording that holds an old day and a kept day: the old day's whole segment files go
 * (Aeron's start position moves up to the segment file holding the kept day), the old day leaves the catalog,
 * and the kept day still replays byte-identical. A purge and catalog writes asked for from other threads while the
 * recording is written (they are commands to the catalog agent) lose none of the kept day's messages, and fail at
 * once on a closed archive.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PurgeSegmentsTest
{
    private static final int STREAM = 1701;
    private static final int SEGMENT = 256 * 1024;
    private static final int OLD_DAY_MESSAGES = 6_000; // about 3 segment files
    private static final LocalDate D1 = LocalDate.of(2026, 11, 19);
    private static final LocalDate D2 = LocalDate.of(2026, 11, 20);

    @TempDir
    Path dir;

    private TickbusDriver driver;
    private TickbusArchive archive;
    private AeronArchive client;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    @AfterEach
    void close()
    {
        executor.shutdownNow();
        CloseHelper.closeAll(client, archive, driver);
    }

    @Test
    void purgeDropsOldSegmentFilesOfARecordingThatContinues() throws Exception
    {
        launch();
        client = TickbusArchive.connectLocal(archive.aeron());

        final MarketDataGenerator generator = new MarketDataGenerator();
        final int d1Messages = OLD_DAY_MESSAGES;
        final int d2Messages = 500;
        try (ExclusivePublication publication = archive.aeron().addExclusivePublication("aeron:ipc", STREAM))
        {
            publishOldDay(generator, publication, d1Messages);
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

    @Test
    void purgeAndFlushFromOtherThreadsWhileRecordingLoseNothing() throws Exception
    {
        launch();

        final MarketDataGenerator generator = new MarketDataGenerator();
        final int d1Messages = OLD_DAY_MESSAGES;
        final AtomicBoolean purged = new AtomicBoolean();
        final AtomicInteger d2Published = new AtomicInteger();
        final AtomicInteger publishedWhenPurged = new AtomicInteger(-1);
        try (ExclusivePublication publication = archive.aeron().addExclusivePublication("aeron:ipc", STREAM))
        {
            publishOldDay(generator, publication, d1Messages);

            final long d2 = MarketDataGenerator.epochNs("2026-11-20T14:30:00Z");
            final Future<?> publisher = executor.submit(() ->
            {
                // bursts until well after the purge: bounded in count and time
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int burstsAfterPurge = 0;
                for (int burst = 0; burst < 400 && burstsAfterPurge < 10 && System.nanoTime() < deadline; burst++)
                {
                    for (int i = 0; i < 100; i++)
                    {
                        generator.publish(publication, d2 + d2Published.getAndIncrement() * 1_000_000L);
                    }
                    if (purged.get())
                    {
                        burstsAfterPurge++;
                    }
                    Thread.sleep(5);
                }
                return null;
            });
            final Future<Integer> flusher = executor.submit(() ->
            {
                int flushes = 0;
                while (!purged.get() && flushes < 10_000)
                {
                    archive.flushCatalog();
                    flushes++;
                    Thread.sleep(2);
                }
                return flushes;
            });

            awaitDayInCatalog(D2);
            final PurgeReport report = archive.purge(0, D2);
            publishedWhenPurged.set(d2Published.get());
            purged.set(true);
            assertEquals(1, report.purged().size(), report.purged() + " " + report.skipped());
            assertTrue(report.purged().get(0).startsWith("2026-11-19 stream " + STREAM), report.purged().get(0));

            publisher.get(40, TimeUnit.SECONDS);
            assertTrue(flusher.get(10, TimeUnit.SECONDS) > 0, "flushes were asked for while the agent recorded");
            assertTrue(publishedWhenPurged.get() < d2Published.get(), "messages were published after the purge");
            assertTrue(archive.awaitCatalogCaughtUp(20_000), "catalog caught up");
        }
        assertTrue(archive.awaitCatalogCaughtUp(20_000));
        archive.flushCatalog();

        final DayCatalog after = DayCatalog.load(dir);
        assertEquals(1, after.days().size(), "only the kept day is left");
        final DayCatalog.DaySummary kept = after.days().get(0);
        assertEquals(D2, kept.day());
        assertEquals(d2Published.get(), kept.messages(), "every message of the kept day is indexed once");
        final List<Long> times = generator.exchangeTimes;
        assertEquals(times.get(d1Messages + 1), kept.firstExchangeTime());
        assertEquals(times.get(times.size() - 1), kept.lastExchangeTime());
        assertEquals(1, archive.counters().purgedDays());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void commandsToAClosedArchiveFailAtOnce()
    {
        archive = TickbusArchive.launch(new TickbusArchive.Context().archiveDir(dir).controlChannel(null));
        archive.close();
        final long startNs = System.nanoTime();
        final IllegalStateException flush = assertThrows(IllegalStateException.class, archive::flushCatalog);
        assertTrue(flush.getMessage().contains("closed"), flush.getMessage());
        final IllegalStateException purge = assertThrows(IllegalStateException.class, () -> archive.purge(0, D2));
        assertTrue(purge.getMessage().contains("closed"), purge.getMessage());
        assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(5), "failed without waiting for a timeout");
    }

    private void awaitDayInCatalog(final LocalDate day) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true)
        {
            archive.flushCatalog();
            if (DayCatalog.exists(dir))
            {
                final DayCatalog catalog = DayCatalog.load(dir);
                if (!catalog.segments(D1, STREAM).isEmpty() && !catalog.segments(day, STREAM).isEmpty())
                {
                    return;
                }
            }
            assertTrue(System.nanoTime() < deadline, day + " not in the catalog");
            Thread.sleep(10);
        }
    }

    /** The old day, 2026-11-19: messages 1 ms apart, then its end of session. */
    private static void publishOldDay(
        final MarketDataGenerator generator, final ExclusivePublication publication, final int messages)
        throws InterruptedException
    {
        DayReplayerTest.awaitConnected(publication);
        final long d1 = MarketDataGenerator.epochNs("2026-11-19T14:30:00Z");
        for (int i = 0; i < messages; i++)
        {
            generator.publish(publication, d1 + i * 1_000_000L);
        }
        generator.publishEndOfSession(publication, d1 + messages * 1_000_000L, 20261119);
    }

    private void launch()
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
    }
}
