package io.tickbus.archive;

import io.aeron.ExclusivePublication;
import io.aeron.archive.client.AeronArchive;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The day catalog with a real archive: days split at EndOfSession and at the date, persisted across a restart,
 * rebuilt from the archive's own catalog when deleted, and retention purging whole days (never one being
 * replayed).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DayCatalogTest
{
    private static final int STREAM = 1201;
    private static final LocalDate D1 = LocalDate.of(2026, 11, 18);
    private static final LocalDate D2 = LocalDate.of(2026, 11, 19);
    private static final LocalDate D3 = LocalDate.of(2026, 11, 20);

    @TempDir
    Path dir;

    private TickbusArchive archive;
    private AeronArchive client;

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(client, archive);
    }

    private void launch()
    {
        archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir)
            .controlChannel(null)
            .persistIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .record("aeron:ipc:" + STREAM));
        client = TickbusArchive.connectLocal(archive.aeron());
    }

    private void relaunch()
    {
        CloseHelper.closeAll(client, archive);
        archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir).controlChannel(null).persistIntervalNs(TimeUnit.MILLISECONDS.toNanos(50)));
        client = TickbusArchive.connectLocal(archive.aeron());
    }

    /** Day D1 in one publication (recording A); days D2 and D3 in a second one (recording B), EOS after each. */
    private MarketDataGenerator recordThreeDays() throws Exception
    {
        final MarketDataGenerator generator = new MarketDataGenerator();
        try (ExclusivePublication a = archive.aeron().addExclusivePublication("aeron:ipc", STREAM))
        {
            DayReplayerTest.awaitConnected(a);
            publishDay(generator, a, "2026-11-18", 20261118, 100);
        }
        try (ExclusivePublication b = archive.aeron().addExclusivePublication("aeron:ipc", STREAM))
        {
            DayReplayerTest.awaitConnected(b);
            publishDay(generator, b, "2026-11-19", 20261119, 200);
            publishDay(generator, b, "2026-11-20", 20261120, 300);
        }
        awaitRecordingsStopped(client, 2);
        assertTrue(archive.awaitCatalogCaughtUp(20_000));
        return generator;
    }

    private static void publishDay(
        final MarketDataGenerator generator, final ExclusivePublication publication, final String date,
        final int yyyymmdd, final int messages)
    {
        final long open = MarketDataGenerator.epochNs(date + "T14:30:00Z");
        for (int i = 0; i < messages; i++)
        {
            generator.publish(publication, open + i * 50_000_000L);
        }
        generator.publishEndOfSession(publication, MarketDataGenerator.epochNs(date + "T21:00:00Z"), yyyymmdd);
    }

    static void awaitRecordingsStopped(final AeronArchive client, final int count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            final int[] stopped = new int[1];
            client.listRecordings(0, 100, (controlSessionId, correlationId, recordingId, startTimestamp,
                stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength,
                mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
            {
                if (AeronArchive.NULL_POSITION != stopPosition)
                {
                    stopped[0]++;
                }
            });
            if (stopped[0] >= count)
            {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "recordings did not stop");
            Thread.sleep(5);
        }
    }

    static List<String> describe(final DayCatalog catalog)
    {
        final List<String> lines = new ArrayList<>();
        for (final DaySegment s : catalog.segments())
        {
            final StringBuilder b = new StringBuilder(s.toString()).append(" first=").append(s.firstExchangeTime())
                .append(" last=").append(s.lastExchangeTime()).append(" closed=").append(s.isClosed()).append(" index=");
            for (int i = 0; i < s.index().size(); i++)
            {
                b.append(s.index().time(i)).append('@').append(s.index().position(i)).append(',');
            }
            lines.add(b.toString());
        }
        return lines;
    }

    @Test
    void daysSplitAtEndOfSessionSurviveRestartAndRebuild() throws Exception
    {
        launch();
        recordThreeDays();
        archive.flushCatalog();
        final DayCatalog recorded = DayCatalog.load(dir);

        final List<DayCatalog.DaySummary> days = recorded.days();
        assertEquals(3, days.size());
        assertEquals(List.of(D1, D2, D3), List.of(days.get(0).day(), days.get(1).day(), days.get(2).day()));
        // messages plus the EndOfSession that closes each day
        assertEquals(101, days.get(0).messages());
        assertEquals(201, days.get(1).messages());
        assertEquals(301, days.get(2).messages());
        assertEquals(101 + 201 + 301, recorded.messages(STREAM), "every day's messages of the stream");
        assertEquals(0, recorded.messages(STREAM + 1), "a stream never recorded");
        assertEquals(MarketDataGenerator.epochNs("2026-11-19T14:30:00Z"), days.get(1).firstExchangeTime());
        assertEquals(MarketDataGenerator.epochNs("2026-11-19T21:00:00Z"), days.get(1).lastExchangeTime());
        // D2 and D3 share recording B and meet exactly: D3 starts where D2 stops
        final DaySegment d2 = days.get(1).segments().get(0);
        final DaySegment d3 = days.get(2).segments().get(0);
        assertEquals(d2.recordingId(), d3.recordingId());
        assertEquals(d2.stopPosition(), d3.startPosition());
        // one index entry per second with messages (50 ms apart: 200 messages span 10 s) plus the EOS bucket
        assertEquals(11, d2.index().size());
        assertEquals(d2.startPosition(), d2.index().position(0));

        relaunch();
        assertTrue(archive.awaitCatalogCaughtUp(20_000));
        archive.flushCatalog();
        assertEquals(describe(recorded), describe(DayCatalog.load(dir)), "after restart");

        CloseHelper.closeAll(client, archive);
        Files.delete(dir.resolve(DayCatalog.FILE_NAME));
        try (var files = Files.list(dir.resolve(DayCatalog.INDEX_DIR)))
        {
            for (final Path f : files.toList())
            {
                Files.delete(f);
            }
        }
        relaunch();
        assertTrue(archive.awaitCatalogCaughtUp(20_000));
        archive.flushCatalog();
        assertEquals(describe(recorded), describe(DayCatalog.load(dir)), "after rebuild");
    }

    @Test
    void purgeRemovesWholeOldDaysButNotOneBeingReplayed() throws Exception
    {
        launch();
        recordThreeDays();
        final long recordingA = DayCatalog.load(dir).segments(D1, STREAM).get(0).recordingId();

        final PurgeReport held;
        try (AutoCloseable lock = ReplayLocks.acquireShared(dir, D1, STREAM))
        {
            assertTrue(null != lock && ReplayLocks.isReplaying(dir, D1, STREAM));
            held = archive.purge(1, D3);
        }
        assertEquals(0, held.purged().size());
        assertEquals(1, held.skipped().size());
        assertTrue(held.skipped().get(0).contains("being replayed"), held.skipped().get(0));

        final PurgeReport report = archive.purge(1, D3);
        assertEquals(1, report.purged().size(), report.purged().toString());
        assertTrue(report.purged().get(0).startsWith("2026-11-18 stream 1201"), report.purged().get(0));

        final DayCatalog after = DayCatalog.load(dir);
        assertEquals(List.of(D2, D3), List.of(after.days().get(0).day(), after.days().get(1).day()));
        assertEquals(0, client.listRecording(recordingA, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p) -> { }),
            "recording A purged from the archive");
        assertFalse(after.segments(D2, STREAM).isEmpty());
        assertEquals(1, archive.counters().purgedDays());

        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> archive.purge(-1, D3));
        assertTrue(bad.getMessage().contains("older-than"));
    }
}
