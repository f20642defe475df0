package io.tickbus.archive;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.tickbus.archive.client.DayReplayer;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records a generated stream with a real Aeron Archive and replays the day through {@link DayReplayer}: flat out
 * (byte-identical, same order, end-of-replay marker), paced at speed 10, and a --from/--to window; plus the bad
 * requests (unknown day, time outside the day, target stream in use).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DayReplayerTest
{
    private static final int STREAM = 1001;
    private static final LocalDate DAY = LocalDate.of(2026, 11, 20);

    @TempDir
    Path dir;

    private TickbusArchive archive;
    private AeronArchive client;
    private ExclusivePublication publication;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @BeforeEach
    void launch()
    {
        archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir)
            .controlChannel(null)
            .persistIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .record("aeron:ipc:" + STREAM));
        client = TickbusArchive.connectLocal(archive.aeron());
    }

    @AfterEach
    void close()
    {
        executor.shutdownNow();
        CloseHelper.closeAll(publication, client, archive);
    }

    private MarketDataGenerator record(final int messages, final long firstTime, final long stepNs) throws Exception
    {
        publication = archive.aeron().addExclusivePublication("aeron:ipc", STREAM);
        awaitConnected(publication);
        final MarketDataGenerator generator = new MarketDataGenerator();
        for (int i = 0; i < messages; i++)
        {
            generator.publish(publication, firstTime + i * stepNs);
        }
        assertTrue(archive.awaitCatalogCaughtUp(20_000), "catalog caught up");
        return generator;
    }

    static void awaitConnected(final ExclusivePublication publication) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!publication.isConnected())
        {
            assertTrue(System.nanoTime() < deadline, "archive did not subscribe");
            Thread.sleep(1);
        }
    }

    private ReceivedMessages replay(final DayReplayer.Context ctx, final int targetStream) throws Exception
    {
        final Aeron aeron = archive.aeron();
        final ReceivedMessages received = new ReceivedMessages();
        try (Subscription subscription = aeron.addSubscription("aeron:ipc", targetStream))
        {
            final DayReplayer replayer = new DayReplayer(
                aeron, client, DayCatalog.load(dir), ctx.target("aeron:ipc", targetStream).archiveDir(dir));
            final Future<DayReplayer.Result> result = executor.submit(() ->
            {
                try (replayer)
                {
                    return replayer.run();
                }
            });
            final FragmentAssembler assembler = new FragmentAssembler(received);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!received.endOfReplay)
            {
                if (0 == subscription.poll(assembler, 100))
                {
                    Thread.sleep(1);
                }
                assertTrue(System.nanoTime() < deadline, "end of replay not seen");
            }
            lastResult = result.get(10, TimeUnit.SECONDS);
        }
        return received;
    }

    private DayReplayer.Result lastResult;

    @Test
    void flatOutReplayIsByteIdenticalInOrderWithEndMarker() throws Exception
    {
        final long t0 = MarketDataGenerator.epochNs("2026-11-20T14:30:00Z");
        final MarketDataGenerator generated = record(2_000, t0, 1_000_000);

        final DayCatalog catalog = DayCatalog.load(dir);
        final List<DayCatalog.DaySummary> days = catalog.days();
        assertEquals(1, days.size());
        assertEquals(DAY, days.get(0).day());
        assertEquals(2_000, days.get(0).messages());
        assertEquals(t0, days.get(0).firstExchangeTime());
        assertEquals(t0 + 1_999 * 1_000_000L, days.get(0).lastExchangeTime());

        final ReceivedMessages received = replay(new DayReplayer.Context().day(DAY).streamId(STREAM), 2001);
        assertEquals(generated.checksums, received.checksums);
        assertEquals(2_000, received.markerMessageCount);
        assertEquals(20261120, received.markerTradingDate);
        assertEquals(2_000, lastResult.messages());
    }

    @Test
    void pacedReplayAtSpeedTenSpansAboutATenthOfTheRecordedSpan() throws Exception
    {
        final long t0 = MarketDataGenerator.epochNs("2026-11-20T14:30:00Z");
        final long stepNs = 10_000_000L;
        final int count = 301;
        final MarketDataGenerator generated = record(count, t0, stepNs);
        final long recordedSpanNs = (count - 1) * stepNs; // 3 s of exchange time

        final ReceivedMessages received = replay(
            new DayReplayer.Context().day(DAY).streamId(STREAM).speed(10), 2002);
        assertEquals(generated.checksums, received.checksums);
        final long replaySpanNs = lastResult.lastSendNs() - lastResult.firstSendNs();
        // pacing can only be late, never early: at least a tenth (less a millisecond of clock rounding)
        assertTrue(replaySpanNs >= recordedSpanNs / 10 - 1_000_000, "replay span " + replaySpanNs);
        // and clearly faster than real time (generous for a loaded 2-core box)
        assertTrue(replaySpanNs < recordedSpanNs / 2, "replay span " + replaySpanNs);
    }

    @Test
    void fromToSelectsExactlyTheMessagesInTheRange() throws Exception
    {
        final long t0 = MarketDataGenerator.epochNs("2026-11-20T14:30:00Z");
        final MarketDataGenerator generated = record(1_000, t0, 10_000_000L); // 14:30:00.00 .. 14:30:09.99

        final long from = MarketDataGenerator.epochNs("2026-11-20T14:30:03Z");
        final long to = MarketDataGenerator.epochNs("2026-11-20T14:30:07Z");
        final List<Long> expected = new java.util.ArrayList<>();
        for (int i = 0; i < generated.exchangeTimes.size(); i++)
        {
            final long t = generated.exchangeTimes.get(i);
            if (t >= from && t < to)
            {
                expected.add(generated.checksums.get(i));
            }
        }
        assertEquals(400, expected.size());

        final ReceivedMessages received = replay(new DayReplayer.Context().day(DAY).streamId(STREAM)
            .from(LocalTime.of(14, 30, 3)).to(LocalTime.of(14, 30, 7)).recap(false), 2003);
        assertEquals(expected, received.checksums);
        assertEquals(400, received.markerMessageCount);
    }

    @Test
    void closingAReplayThatCannotBeStoppedReportsWhyAndStillReleasesTheDay() throws Exception
    {
        final long t0 = MarketDataGenerator.epochNs("2026-11-20T14:30:00Z");
        record(200, t0, 1_000_000_000L); // 200 s of exchange time: a paced replay is still running when closed
        final Aeron aeron = archive.aeron();
        final AeronArchive ownClient = TickbusArchive.connectLocal(aeron);
        try (Subscription target = aeron.addSubscription("aeron:ipc", 2005))
        {
            final DayReplayer replayer = new DayReplayer(aeron, ownClient, DayCatalog.load(dir),
                new DayReplayer.Context().day(DAY).streamId(STREAM).speed(1).target("aeron:ipc", 2005)
                    .archiveDir(dir));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            final int[] received = new int[1];
            while (received[0] < 1)
            {
                replayer.doWork();
                received[0] += target.poll((buffer, offset, length, header) -> { }, 10);
                assertTrue(System.nanoTime() < deadline, "replay did not start");
                Thread.sleep(1);
            }
            ownClient.close();
            // Before issue 19 every RuntimeException of stopReplay was swallowed: a replay left running unseen.
            final io.aeron.archive.client.ArchiveException ex =
                assertThrows(io.aeron.archive.client.ArchiveException.class, replayer::close);
            assertTrue(io.aeron.archive.client.ArchiveException.UNKNOWN_REPLAY != ex.errorCode(), ex.toString());
        }
        // The day lock was released: a second replay of the day opens.
        new DayReplayer(aeron, client, DayCatalog.load(dir), new DayReplayer.Context().day(DAY).streamId(STREAM)
            .target("aeron:ipc", 2006).archiveDir(dir)).close();
    }

    @Test
    void badRequestsAreClearErrors() throws Exception
    {
        final long t0 = MarketDataGenerator.epochNs("2026-11-20T14:30:00Z");
        record(100, t0, 10_000_000L);
        final DayCatalog catalog = DayCatalog.load(dir);
        final Aeron aeron = archive.aeron();

        final IllegalArgumentException unknownDay = assertThrows(IllegalArgumentException.class,
            () -> new DayReplayer(aeron, client, catalog, new DayReplayer.Context().day(DAY.minusDays(1))
                .streamId(STREAM).target("aeron:ipc", 2004)));
        assertTrue(unknownDay.getMessage().contains("no recording of stream 1001 on 2026-11-19"),
            unknownDay.getMessage());

        final IllegalArgumentException unknownStream = assertThrows(IllegalArgumentException.class,
            () -> new DayReplayer(aeron, client, catalog, new DayReplayer.Context().day(DAY)
                .streamId(9999).target("aeron:ipc", 2004)));
        assertTrue(unknownStream.getMessage().contains("recorded: 2026-11-20 stream 1001"), unknownStream.getMessage());

        final IllegalArgumentException late = assertThrows(IllegalArgumentException.class,
            () -> new DayReplayer(aeron, client, catalog, new DayReplayer.Context().day(DAY).streamId(STREAM)
                .from(LocalTime.of(15, 0)).target("aeron:ipc", 2004)));
        assertTrue(late.getMessage().contains("after the last message"), late.getMessage());

        final IllegalArgumentException early = assertThrows(IllegalArgumentException.class,
            () -> new DayReplayer(aeron, client, catalog, new DayReplayer.Context().day(DAY).streamId(STREAM)
                .to(LocalTime.of(14, 0)).target("aeron:ipc", 2004)));
        assertTrue(early.getMessage().contains("not after the first message"), early.getMessage());

        try (ExclusivePublication other = aeron.addExclusivePublication("aeron:ipc", 2005))
        {
            final IllegalStateException inUse = assertThrows(IllegalStateException.class,
                () -> new DayReplayer(aeron, client, catalog, new DayReplayer.Context().day(DAY).streamId(STREAM)
                    .target("aeron:ipc", 2005)));
            assertTrue(inUse.getMessage().contains("already has a publisher"), inUse.getMessage());
            assertTrue(other.streamId() == 2005);
        }
    }
}
