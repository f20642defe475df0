package io.tickbus.archive;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.tickbus.archive.client.DayReplayer;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measurement harness, run by hand (not a test): recording throughput of a generated stream on IPC and flat-out
 * {@link DayReplayer} throughput to an IPC subscriber. Arguments: message count (default 1,000,000), archive
 * parent directory (default java.io.tmpdir). Figures go to docs/archive.md.
 */
public final class ArchiveThroughputMain
{
    private ArchiveThroughputMain()
    {
    }

    /**
     * @param args [count] [parent dir].
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final Path parent = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir"));
        final Path dir = Files.createTempDirectory(parent, "tickbus-arc-perf");
        final ExecutorService executor = Executors.newSingleThreadExecutor();
        TickbusArchive archive = null;
        AeronArchive client = null;
        try
        {
            archive = TickbusArchive.launch(new TickbusArchive.Context()
                .archiveDir(dir).controlChannel(null).record("aeron:ipc:1601"));
            client = TickbusArchive.connectLocal(archive.aeron());
            final MarketDataGenerator generator = new MarketDataGenerator();
            final long t0 = MarketDataGenerator.epochNs("2026-11-20T14:30:00Z");
            final long bytes;
            final long recordNs;
            try (ExclusivePublication publication = archive.aeron().addExclusivePublication("aeron:ipc", 1601))
            {
                DayReplayerTest.awaitConnected(publication);
                final long start = System.nanoTime();
                for (int i = 0; i < count; i++)
                {
                    generator.publish(publication, t0 + i * 1_000L);
                }
                final long end = publication.position();
                long recordingId = -1;
                while (recordingId < 0)
                {
                    recordingId = client.findLastMatchingRecording(0, "aeron:ipc", 1601, publication.sessionId());
                }
                while (client.getRecordingPosition(recordingId) < end)
                {
                    Thread.onSpinWait();
                }
                recordNs = System.nanoTime() - start;
                bytes = end;
            }
            System.out.printf("record: %d messages, %d bytes in %.3f s: %.0f msg/s, %.1f MB/s%n", count, bytes,
                recordNs / 1e9, count / (recordNs / 1e9), bytes / 1e6 / (recordNs / 1e9));

            if (!archive.awaitCatalogCaughtUp(600_000))
            {
                throw new IllegalStateException("catalog did not catch up");
            }
            final DayCatalog catalog = DayCatalog.load(dir);
            final AtomicLong received = new AtomicLong();
            try (Subscription subscription = archive.aeron().addSubscription("aeron:ipc", 1602))
            {
                final DayReplayer replayer = new DayReplayer(archive.aeron(), client, catalog,
                    new DayReplayer.Context().day(LocalDate.of(2026, 11, 20)).streamId(1601)
                        .target("aeron:ipc", 1602).archiveDir(dir));
                final long start = System.nanoTime();
                final Future<DayReplayer.Result> result = executor.submit(() ->
                {
                    try (replayer)
                    {
                        return replayer.run();
                    }
                });
                final FragmentAssembler assembler = new FragmentAssembler((b, o, l, h) -> received.incrementAndGet());
                while (received.get() < count + 1)
                {
                    if (0 == subscription.poll(assembler, 256))
                    {
                        Thread.yield();
                    }
                }
                final long replayNs = System.nanoTime() - start;
                final DayReplayer.Result r = result.get();
                System.out.printf("replay: %d messages, %d bytes in %.3f s: %.0f msg/s, %.1f MB/s%n", r.messages(),
                    r.bytes(), replayNs / 1e9, r.messages() / (replayNs / 1e9), r.bytes() / 1e6 / (replayNs / 1e9));
            }
        }
        finally
        {
            executor.shutdownNow();
            CloseHelper.closeAll(client, archive);
            IoUtil.delete(new File(dir.toString()), true);
        }
    }
}
