package io.tickbus.archive;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.tickbus.archive.client.DayReplayer;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.MessageDispatcher;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, cause 4: a day of one stream held by several recordings (publisher restarts, failovers, several
 * sequencer members recording the same sequenced stream at once) keeps its segments in recording order, by
 * recording start time then start position, whatever order a catalog rebuild indexes them in; a rebuilt catalog
 * equals the live one; a replay of the day gives the sequenced stream's 1..N once, in order.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CatalogSegmentOrderTest
{
    private static final int STREAM = 1301;
    private static final LocalDate DAY = LocalDate.of(2026, 11, 20);
    private static final long T0 = MarketDataGenerator.epochNs("2026-11-20T14:30:00Z");
    private static final long STEP_NS = 10_000_000L;

    @TempDir
    Path dir;

    private TickbusArchive archive;
    private AeronArchive client;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void close()
    {
        executor.shutdownNow();
        CloseHelper.closeAll(client, archive);
    }

    private void launch(final boolean record)
    {
        final TickbusArchive.Context ctx = new TickbusArchive.Context()
            .archiveDir(dir)
            .controlChannel(null)
            .persistIntervalNs(TimeUnit.MILLISECONDS.toNanos(50));
        archive = TickbusArchive.launch(record ? ctx.record("aeron:ipc:" + STREAM) : ctx);
        client = TickbusArchive.connectLocal(archive.aeron());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void restartedPublisherDayReplaysInOrderAfterARebuild(final int recordings) throws Exception
    {
        launch(true);
        final int perRecording = 150;
        final MarketDataGenerator generator = new MarketDataGenerator();
        long globalSeq = 0;
        for (int r = 0; r < recordings; r++)
        {
            try (ExclusivePublication publication = archive.aeron().addExclusivePublication("aeron:ipc", STREAM))
            {
                DayReplayerTest.awaitConnected(publication);
                for (int i = 0; i < perRecording; i++)
                {
                    globalSeq++;
                    generator.publishSequenced(publication, T0 + globalSeq * STEP_NS, globalSeq);
                }
            }
            DayCatalogTest.awaitRecordingsStopped(client, r + 1);
        }
        assertTrue(archive.awaitCatalogCaughtUp(20_000));
        archive.flushCatalog();
        final DayCatalog live = DayCatalog.load(dir);
        assertInRecordingOrder(live.segments(DAY, STREAM), recordings);

        final DayCatalog rebuilt = rebuild();
        assertEquals(DayCatalogTest.describe(live), DayCatalogTest.describe(rebuilt), "rebuilt catalog = live one");
        assertInRecordingOrder(rebuilt.segments(DAY, STREAM), recordings);

        final Replayed replayed = replayDay(rebuilt, 3001);
        assertEquals(generator.checksums, replayed.received.checksums, "the recorded bytes in their order");
        assertEquals(sequence(1, globalSeq), replayed.delivered);
        assertEquals(0, replayed.dispatcher.repeatCount() + replayed.dispatcher.lateCount() +
            replayed.dispatcher.gapCount());
    }

    @Test
    void concurrentRecordingsOfOneSequencedStreamReplayOnceInOrder() throws Exception
    {
        launch(true);
        // Three members publish the same sequenced stream (the same global sequences) at once: three recordings.
        // Member 0 stops after 120 (it failed), member 2 joins at 60 (it caught up from a snapshot).
        final int n = 300;
        final MarketDataGenerator[] members = {
            new MarketDataGenerator(), new MarketDataGenerator(), new MarketDataGenerator()};
        final ExclusivePublication[] publications = new ExclusivePublication[3];
        try
        {
            for (int m = 0; m < 2; m++)
            {
                publications[m] = archive.aeron().addExclusivePublication("aeron:ipc", STREAM);
                DayReplayerTest.awaitConnected(publications[m]);
            }
            for (long seq = 1; seq <= n; seq++)
            {
                if (60 == seq)
                {
                    publications[2] = archive.aeron().addExclusivePublication("aeron:ipc", STREAM);
                    DayReplayerTest.awaitConnected(publications[2]);
                }
                if (121 == seq)
                {
                    publications[0].close();
                    publications[0] = null;
                }
                for (int m = 0; m < 3; m++)
                {
                    if (null != publications[m])
                    {
                        members[m].publishSequenced(publications[m], T0 + seq * STEP_NS, seq);
                    }
                }
            }
        }
        finally
        {
            CloseHelper.closeAll(publications);
        }
        DayCatalogTest.awaitRecordingsStopped(client, 3);
        assertTrue(archive.awaitCatalogCaughtUp(20_000));
        archive.flushCatalog();
        final DayCatalog live = DayCatalog.load(dir);
        final List<DaySegment> segments = live.segments(DAY, STREAM);
        assertEquals(3, segments.size(), segments.toString());
        assertEquals(1, segments.get(0).firstGlobalSeq());
        assertEquals(120, segments.get(0).lastGlobalSeq());
        assertEquals(60, segments.get(2).firstGlobalSeq());
        assertEquals(n, segments.get(2).lastGlobalSeq());

        final DayCatalog rebuilt = rebuild();
        assertEquals(DayCatalogTest.describe(live), DayCatalogTest.describe(rebuilt), "rebuilt catalog = live one");

        final Replayed replayed = replayDay(rebuilt, 3002);
        assertEquals(sequence(1, n), replayed.received.globalSeqs, "the replay itself carries 1..N once");
        assertEquals(sequence(1, n), replayed.delivered);
        assertEquals(n, replayed.received.markerMessageCount);
        assertEquals(0, replayed.dispatcher.repeatCount() + replayed.dispatcher.gapCount());
    }

    @Test
    void globalSequenceLookupGivesTheSegmentAndAFrameBoundaryAtOrBeforeTheMessage() throws Exception
    {
        launch(true);
        final MarketDataGenerator generator = new MarketDataGenerator();
        long globalSeq = 0;
        for (int r = 0; r < 2; r++)
        {
            try (ExclusivePublication publication = archive.aeron().addExclusivePublication("aeron:ipc", STREAM))
            {
                DayReplayerTest.awaitConnected(publication);
                for (int i = 0; i < 2_000; i++)
                {
                    globalSeq++;
                    generator.publishSequenced(publication, T0 + globalSeq * 1_000_000L, globalSeq);
                }
            }
            DayCatalogTest.awaitRecordingsStopped(client, r + 1);
        }
        assertTrue(archive.awaitCatalogCaughtUp(20_000));
        archive.flushCatalog();
        final DayCatalog catalog = DayCatalog.load(dir);
        final List<DaySegment> segments = catalog.segments(DAY, STREAM);
        assertNull(catalog.findGlobalSeq(STREAM, 0));
        assertNull(catalog.findGlobalSeq(STREAM, 4_001));
        assertNull(catalog.findGlobalSeq(STREAM + 1, 10));

        // Replay each recording whole, note where every message's frame starts, and check the lookups against it.
        for (final long target : new long[]{1, 2, 777, 1_999, 2_000, 2_001, 3_333, 4_000})
        {
            final DayCatalog.SeqPosition found = catalog.findGlobalSeq(STREAM, target);
            assertNotNull(found, "seq " + target);
            final DaySegment expected = segments.get(target <= 2_000 ? 0 : 1);
            assertEquals(expected.recordingId(), found.recordingId(), "seq " + target);
            assertTrue(found.position() >= expected.startPosition() && found.position() < expected.stopPosition());
            final List<long[]> frames = replayRecording(found.recordingId(), found.position(), 5_000, target);
            assertTrue(frames.size() > 0);
            assertTrue(frames.get(0)[0] <= target, "starts at or before " + target);
            assertTrue(target - frames.get(0)[0] <= DayCatalog.SEQ_INDEX_INTERVAL, "close to " + target);
        }
    }

    private List<long[]> replayRecording(
        final long recordingId, final long position, final int streamId, final long target)
        throws Exception
    {
        final List<long[]> frames = new ArrayList<>();
        final long sessionId = client.startReplay(recordingId, position, AeronArchive.NULL_LENGTH, "aeron:ipc",
            streamId);
        try (Subscription sub = archive.aeron().addSubscription(
            io.aeron.ChannelUri.addSessionId("aeron:ipc", (int)sessionId), streamId))
        {
            final FragmentAssembler assembler = new FragmentAssembler(
                (final DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header h) ->
                    frames.add(new long[]{CommonBlock.globalSeq(buffer, offset), h.position()}));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (frames.stream().noneMatch((f) -> f[0] == target))
            {
                if (0 == sub.poll(assembler, 100))
                {
                    Thread.sleep(1);
                }
                assertTrue(System.nanoTime() < deadline, "replay of " + recordingId + " did not reach " + target);
            }
        }
        finally
        {
            try
            {
                client.stopReplay(sessionId);
            }
            catch (final RuntimeException ignore)
            {
                // the replay may have ended
            }
        }
        return frames;
    }

    private DayCatalog rebuild() throws Exception
    {
        CloseHelper.closeAll(client, archive);
        Files.delete(dir.resolve(DayCatalog.FILE_NAME));
        try (var files = Files.list(dir.resolve(DayCatalog.INDEX_DIR)))
        {
            for (final Path f : files.toList())
            {
                Files.delete(f);
            }
        }
        launch(false);
        assertTrue(archive.awaitCatalogCaughtUp(20_000));
        archive.flushCatalog();
        return DayCatalog.load(dir);
    }

    private static void assertInRecordingOrder(final List<DaySegment> segments, final int recordings)
    {
        assertEquals(recordings, segments.size(), segments.toString());
        for (int i = 1; i < segments.size(); i++)
        {
            assertTrue(segments.get(i - 1).recordingId() < segments.get(i).recordingId(), segments.toString());
        }
    }

    private static List<Long> sequence(final long from, final long to)
    {
        final List<Long> seqs = new ArrayList<>();
        for (long s = from; s <= to; s++)
        {
            seqs.add(s);
        }
        return seqs;
    }

    private record Replayed(ReceivedMessages received, List<Long> delivered, MessageDispatcher dispatcher)
    {
    }

    /** Replay the day to a subscriber that keeps the raw messages and feeds a dispatcher, as a strategy would. */
    private Replayed replayDay(final DayCatalog catalog, final int targetStream) throws Exception
    {
        final Aeron aeron = archive.aeron();
        final ReceivedMessages received = new ReceivedMessages();
        final List<Long> delivered = new ArrayList<>();
        final MessageDispatcher dispatcher = new MessageDispatcher(new MarketDataListener()
        {
            public void onMessage(
                final DirectBuffer buffer, final int offset, final int length, final int templateId,
                final long position)
            {
                final long seq = CommonBlock.globalSeq(buffer, offset);
                if (seq > 0)
                {
                    delivered.add(seq);
                }
            }
        });
        try (Subscription subscription = aeron.addSubscription("aeron:ipc", targetStream))
        {
            final DayReplayer replayer = new DayReplayer(aeron, client, catalog, new DayReplayer.Context()
                .day(DAY).streamId(STREAM).target("aeron:ipc", targetStream).archiveDir(dir));
            final Future<DayReplayer.Result> result = executor.submit(() ->
            {
                try (replayer)
                {
                    return replayer.run();
                }
            });
            final FragmentAssembler assembler = new FragmentAssembler(
                (final DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header h) ->
                {
                    received.onFragment(buffer, offset, length, h);
                    dispatcher.onFragment(buffer, offset, length, h);
                });
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
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
        return new Replayed(received, delivered, dispatcher);
    }
}
