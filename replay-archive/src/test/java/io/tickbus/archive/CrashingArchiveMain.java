package io.tickbus.archive;

import io.aeron.ExclusivePublication;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Test support, run in a child JVM by {@link ArchiveCrashTest}: an archive recording a stream, with a publisher,
 * that prints READY once the messages are recorded and indexed and then waits to be killed.
 */
public final class CrashingArchiveMain
{
    private CrashingArchiveMain()
    {
    }

    /**
     * @param args archive directory, stream id, message count.
     * @throws Exception on failure (the test sees the exit).
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final int stream = Integer.parseInt(args[1]);
        final int count = Integer.parseInt(args[2]);
        final TickbusArchive archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir)
            .controlChannel(null)
            .persistIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .record("aeron:ipc:" + stream));
        System.out.println("DRIVER " + archive.aeronDirectoryName());
        final ExclusivePublication publication = archive.aeron().addExclusivePublication("aeron:ipc", stream);
        DayReplayerTest.awaitConnected(publication);
        final MarketDataGenerator generator = new MarketDataGenerator();
        final long t0 = MarketDataGenerator.epochNs("2026-11-20T14:30:00Z");
        for (int i = 0; i < count; i++)
        {
            generator.publish(publication, t0 + i * 1_000_000L);
        }
        if (!archive.awaitCatalogCaughtUp(30_000))
        {
            System.exit(3);
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(120_000);
        System.exit(4);
    }
}
