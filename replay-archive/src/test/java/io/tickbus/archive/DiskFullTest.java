package io.tickbus.archive;

import io.aeron.ChannelUri;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.tickbus.driver.TickbusDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A disk that fills during recording (a 4 MiB tmpfs): the archive reports a clear error (error handler and
 * error counter), and what was recorded before is intact and replays byte-identical.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DiskFullTest
{
    private static final int STREAM = 1301;

    @TempDir
    Path tmp;

    private Path mount;
    private boolean mounted;
    private TickbusDriver driver;
    private TickbusArchive archive;
    private AeronArchive client;

    @AfterEach
    void close() throws Exception
    {
        CloseHelper.closeAll(client, archive, driver);
        if (mounted)
        {
            new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void diskFullDuringRecordingIsAClearErrorAndEarlierDataReplays() throws Exception
    {
        mount = tmp.resolve("small-disk");
        java.nio.file.Files.createDirectories(mount);
        final Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString())
            .redirectErrorStream(true).start();
        mounted = p.waitFor(10, TimeUnit.SECONDS) && 0 == p.exitValue();
        assumeTrue(mounted, "cannot mount a tmpfs here (needs root)");

        driver = TickbusDriver.launch(new TickbusDriver.Context()
            .dir(TickbusDriver.uniqueEmbeddedDir("arc-full")).deleteOnClose(true).ipcTermLength(64 * 1024));
        // Aeron's own guard first: less free space than the threshold (default 128 MiB) refuses a recording
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> TickbusArchive.launch(new TickbusArchive.Context()
                .archiveDir(mount)
                .aeronDirectoryName(driver.aeronDirectoryName())
                .controlChannel(null)
                .segmentFileLength(256 * 1024)
                .markFileDir(Path.of(driver.aeronDirectoryName()))
                .errorHandler((ex) -> { })
                .record("aeron:ipc:" + STREAM)));
        assertTrue(refused.getMessage().contains("low storage"), refused.getMessage());

        final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(mount)
            .aeronDirectoryName(driver.aeronDirectoryName())
            .controlChannel(null)
            .segmentFileLength(256 * 1024)
            .lowStorageSpaceThreshold(256 * 1024)
            .markFileDir(Path.of(driver.aeronDirectoryName()))
            .persistIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .errorHandler(errors::add)
            .record("aeron:ipc:" + STREAM));
        client = TickbusArchive.connectLocal(archive.aeron());

        final MarketDataGenerator generator = new MarketDataGenerator();
        final long t0 = MarketDataGenerator.epochNs("2026-11-20T14:30:00Z");
        try (ExclusivePublication publication = archive.aeron().addExclusivePublication("aeron:ipc", STREAM))
        {
            DayReplayerTest.awaitConnected(publication);
            // ~1 KiB messages, at most 8 MiB: twice the disk
            for (int i = 0; i < 8_000 && null == spaceError(errors); i++)
            {
                try
                {
                    generator.publish(publication, t0 + i * 1_000_000L, 900);
                }
                catch (final IllegalStateException stuck)
                {
                    break; // recording gone, the IPC publication has no consumer left: back pressured
                }
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (null == spaceError(errors))
        {
            assertTrue(System.nanoTime() < deadline, "no disk-full error reported: " + describe(errors));
            Thread.sleep(10);
        }
        assertTrue(archive.counters().errors() > 0);

        final long[] recording = awaitStopped();
        assertTrue(recording[2] > recording[1], "something was recorded before the disk filled");

        final ReceivedMessages replayed = new ReceivedMessages();
        final long replaySession = client.startReplay(
            recording[0], recording[1], recording[2] - recording[1], "aeron:ipc", 9_301);
        try (Subscription sub = archive.aeron().addSubscription(
            ChannelUri.addSessionId("aeron:ipc", (int)replaySession), 9_301))
        {
            final FragmentAssembler assembler = new FragmentAssembler(replayed);
            final long replayDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (replayed.positions.isEmpty() ||
                replayed.positions.get(replayed.positions.size() - 1) < recording[2])
            {
                if (0 == sub.poll(assembler, 100))
                {
                    if (sub.imageCount() > 0 && sub.imageAtIndex(0).isEndOfStream())
                    {
                        break;
                    }
                    Thread.sleep(1);
                }
                assertTrue(System.nanoTime() < replayDeadline, "replay of the recorded part stalled");
            }
        }
        final int n = replayed.checksums.size();
        assertTrue(n > 1_000, "replayed " + n + " messages");
        assertEquals(generator.checksums.subList(0, n), replayed.checksums, "recorded prefix byte-identical");
    }

    private long[] awaitStopped() throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        final long[] r = new long[3];
        while (true)
        {
            client.listRecordings(0, 10, (controlSessionId, correlationId, recordingId, startTimestamp,
                stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength,
                mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
            {
                r[0] = recordingId;
                r[1] = startPosition;
                r[2] = stopPosition;
            });
            if (r[2] != AeronArchive.NULL_POSITION && r[2] != 0)
            {
                return r;
            }
            assertTrue(System.nanoTime() < deadline, "recording did not stop after the disk filled");
            Thread.sleep(10);
        }
    }

    private static String spaceError(final List<Throwable> errors)
    {
        synchronized (errors)
        {
            for (final Throwable t : errors)
            {
                final String reason = chain(t);
                if (reason.toLowerCase().contains("space"))
                {
                    return reason;
                }
            }
        }
        return null;
    }

    private static String describe(final List<Throwable> errors)
    {
        final StringBuilder b = new StringBuilder();
        synchronized (errors)
        {
            for (final Throwable t : errors)
            {
                b.append(chain(t)).append('\n');
            }
        }
        return b.toString();
    }

    private static String chain(final Throwable t)
    {
        final StringBuilder b = new StringBuilder();
        for (Throwable c = t; null != c; c = c.getCause())
        {
            b.append(c).append(" <- ");
        }
        return b.toString();
    }
}
