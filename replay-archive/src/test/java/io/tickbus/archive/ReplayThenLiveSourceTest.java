package io.tickbus.archive;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.archive.client.AeronArchive;
import io.tickbus.archive.client.ReplayThenLiveSource;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.strategy.ClockMode;
import io.tickbus.client.strategy.Strategy;
import io.tickbus.client.strategy.StrategyContext;
import io.tickbus.client.strategy.StrategyRunner;
import io.tickbus.client.strategy.examples.MidPriceStrategy;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.TopOfBookEncoder;
import io.tickbus.sbe.Venue;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A strategy that joins a live IPC stream mid-stream ({@link StrategyRunner} over a {@link ReplayThenLiveSource}),
 * through a real {@link TickbusArchive} recording it, sees the
 * same messages and produces the same outputs as a strategy that subscribed live before the first message: the
 * source sequence 1..N exactly once in order, the same message count and the same {@link MidPriceStrategy}
 * digest. The publisher pauses until the late joiner is constructed, and again until it is live, so that the
 * catch-up and the live tail are both exercised on every run, whatever the machine's load.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReplayThenLiveSourceTest
{
    private static final int STREAM = 1131;
    private static final String CHANNEL = "aeron:ipc";
    private static final int PART = 1_000;

    @TempDir
    Path dir;

    private TickbusArchive archive;
    private AeronArchive client;
    private StrategyRunner reference;
    private StrategyRunner late;
    private ReplayThenLiveSource lateSource;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void close()
    {
        executor.shutdownNow();
        CloseHelper.closeAll(late, reference, client, archive);
    }

    @Test
    void lateJoinerCatchesUpThenRunsLiveLikeAStrategyThatSawTheWholeStream() throws Exception
    {
        archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir).controlChannel(null).record(CHANNEL + ":" + STREAM));
        client = TickbusArchive.connectLocal(archive.aeron());
        final Aeron aeron = archive.aeron();

        final SeqRecorder full = new SeqRecorder();
        reference = new StrategyRunner(new StrategyRunner.Context()
            .aeron(aeron).channel(CHANNEL).streamId(STREAM).clockMode(ClockMode.WALL).name("reference"), full);
        final AgentInvoker referenceInvoker = reference.invoker();

        final long t0 = MarketDataGenerator.epochNs("2026-11-21T14:30:00Z");
        final long partNs = PART * 1_000_000L;
        final Publisher publisher = new Publisher(aeron, PART, t0, t0 + partNs, t0 + 2 * partNs);
        final Future<?> publishing = executor.submit(publisher);

        final SeqRecorder joiner = new SeqRecorder();
        AgentInvoker lateInvoker = null;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (full.seqs.size() < 3 * PART || joiner.seqs.size() < 3 * PART)
        {
            int work = referenceInvoker.invoke();
            if (null == late && publisher.published.get() >= PART)
            {
                lateSource = new ReplayThenLiveSource(new ReplayThenLiveSource.Context().archive(client));
                late = new StrategyRunner(live(aeron, STREAM).name("late").source(lateSource), joiner);
                lateInvoker = late.invoker();
                publisher.partDone[0].countDown();
            }
            if (null != late)
            {
                work += lateInvoker.invoke();
                if (lateSource.isLive())
                {
                    publisher.partDone[1].countDown();
                }
            }
            if (0 == work)
            {
                Thread.sleep(0, 200_000);
            }
            assertTrue(System.nanoTime() < deadline,
                "stalled: reference " + full.seqs.size() + ", late " + joiner.seqs.size());
        }
        publisher.finished.countDown();
        publishing.get(10, TimeUnit.SECONDS);

        assertTrue(lateSource.isLive(), "handed over to live");
        final long handover = lateSource.subscriber().handoverPosition();
        assertNotEquals(Aeron.NULL_VALUE, handover);
        assertTrue(joiner.firstPositionAfter(handover) >= 0, "the tail came from the live stream");
        assertTrue(joiner.firstPositionAfter(handover) <= 2 * PART,
            "handover before the last part was published: " + joiner.firstPositionAfter(handover));

        assertSequence(3 * PART, 1, joiner.seqs);
        assertEquals(full.seqs, joiner.seqs);
        assertEquals(full.positions, joiner.positions, "same stream positions");
        assertEquals(3L * PART, late.host().messageCount());
        assertEquals(reference.host().messageCount(), late.host().messageCount());
        assertEquals(full.mid.messageCount(), joiner.mid.messageCount());
        assertTrue(full.mid.midUpdateCount() > PART, "mid changes: " + full.mid.midUpdateCount());
        assertEquals(full.mid.midUpdateCount(), joiner.mid.midUpdateCount());
        assertEquals(full.mid.digestHex(), joiner.mid.digestHex(), "strategy output digest");
        assertEquals(0, late.errorCount());
    }

    @Test
    void lateJoinerStartsAtTheTradingDayInTheCatalog() throws Exception
    {
        archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir).controlChannel(null).record(CHANNEL + ":" + STREAM));
        client = TickbusArchive.connectLocal(archive.aeron());
        final Aeron aeron = archive.aeron();

        // one publisher session (one recording) spanning two trading days (UTC): 300 messages on the 20th, then
        // 300 + 300 on the 21st
        final int part = 300;
        final long day1 = MarketDataGenerator.epochNs("2026-11-20T20:00:00Z");
        final long day2 = MarketDataGenerator.epochNs("2026-11-21T14:30:00Z");
        final Publisher publisher = new Publisher(aeron, part, day1, day2, day2 + part * 1_000_000L);
        publisher.partDone[0].countDown();
        final Future<?> publishing = executor.submit(publisher);

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (publisher.published.get() < 2 * part)
        {
            Thread.sleep(1);
            assertTrue(System.nanoTime() < deadline, "publisher stalled at " + publisher.published.get());
        }
        assertTrue(archive.awaitCatalogCaughtUp(20_000), "catalog caught up");
        archive.flushCatalog();
        final DayCatalog catalog = DayCatalog.load(dir);
        final LocalDate today = LocalDate.of(2026, 11, 21);
        assertEquals(1, catalog.segments(today, STREAM).size(), catalog.segments().toString());

        final SeqRecorder joiner = new SeqRecorder();
        lateSource = new ReplayThenLiveSource(
            new ReplayThenLiveSource.Context().archive(client).tradingDay(today, catalog));
        late = new StrategyRunner(live(aeron, STREAM).name("today").source(lateSource), joiner);
        assertEquals(catalog.segments(today, STREAM).get(0).startPosition(), lateSource.catchUpStartPosition());
        assertTrue(lateSource.catchUpStartPosition() > 0, "today starts after yesterday's bytes");
        final AgentInvoker invoker = late.invoker();
        while (joiner.seqs.size() < 2 * part)
        {
            if (0 == invoker.invoke())
            {
                Thread.sleep(0, 200_000);
            }
            if (lateSource.isLive())
            {
                publisher.partDone[1].countDown();
            }
            assertTrue(System.nanoTime() < deadline, "late joiner stalled at " + joiner.seqs.size());
        }
        publisher.finished.countDown();
        publishing.get(10, TimeUnit.SECONDS);

        assertSequence(2 * part, part + 1, joiner.seqs);
        assertEquals(2L * part, late.host().messageCount());
        for (final long exchangeTime : joiner.exchangeTimes)
        {
            assertTrue(exchangeTime >= day2, "only the 21st: " + exchangeTime);
        }
    }

    @Test
    void noRecordingOfTheStreamIsAClearError()
    {
        archive = TickbusArchive.launch(new TickbusArchive.Context().archiveDir(dir).controlChannel(null));
        client = TickbusArchive.connectLocal(archive.aeron());
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> new StrategyRunner(
            live(archive.aeron(), 4343).source(new ReplayThenLiveSource(new ReplayThenLiveSource.Context()
                .archive(client))), new SeqRecorder()));
        assertTrue(ex.getMessage().contains("no active recording"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ReplayThenLiveSource.Context()
            .archive(client).tradingDay(LocalDate.now(), null).conclude());
        assertThrows(IllegalArgumentException.class, () -> new ReplayThenLiveSource.Context().conclude());
    }

    private static void assertSequence(final int count, final long first, final List<Long> seqs)
    {
        assertEquals(count, seqs.size(), "messages");
        for (int i = 0; i < count; i++)
        {
            assertEquals(first + i, seqs.get(i), "source sequence at index " + i);
        }
    }

    /**
     * Publishes parts of generated messages on one exclusive publication (source sequence 1, 2, ...), waits
     * before each next part until the test releases it, then keeps the publication (and so the live image) open
     * until the test has read everything.
     */
    private static final class Publisher implements Callable<Void>
    {
        final AtomicInteger published = new AtomicInteger();
        final CountDownLatch[] partDone = {new CountDownLatch(1), new CountDownLatch(1)};
        final CountDownLatch finished = new CountDownLatch(1);
        private final Aeron aeron;
        private final long[] partStartTimes;
        private final int partLength;

        Publisher(final Aeron aeron, final int partLength, final long... partStartTimes)
        {
            this.aeron = aeron;
            this.partLength = partLength;
            this.partStartTimes = partStartTimes;
        }

        public Void call() throws Exception
        {
            try (ExclusivePublication publication = aeron.addExclusivePublication(CHANNEL, STREAM))
            {
                DayReplayerTest.awaitConnected(publication);
                final Quotes quotes = new Quotes();
                for (int p = 0; p < partStartTimes.length; p++)
                {
                    if (p > 0 && !partDone[p - 1].await(30, TimeUnit.SECONDS))
                    {
                        throw new IllegalStateException("part " + p + " never released");
                    }
                    for (int i = 0; i < partLength; i++)
                    {
                        quotes.publish(publication, partStartTimes[p] + i * 1_000_000L);
                        if (published.incrementAndGet() % 10 == 0)
                        {
                            Thread.sleep(1);
                        }
                    }
                }
                finished.await(30, TimeUnit.SECONDS);
            }
            return null;
        }
    }

    /**
     * Two-sided quotes (TopOfBook) on four instruments whose mid moves with nearly every message, with source
     * sequence 1, 2, ... and the given exchange times.
     */
    private static final class Quotes
    {
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        private final MessageHeaderEncoder header = new MessageHeaderEncoder();
        private final TopOfBookEncoder topOfBook = new TopOfBookEncoder();
        private long seq;

        void publish(final ExclusivePublication publication, final long exchangeTime) throws InterruptedException
        {
            seq++;
            final long bid = 1_000_000 + (seq * 37 % 50) * 100;
            topOfBook.wrapAndApplyHeader(buffer, 0, header)
                .bidQuantity(100 + seq % 9)
                .askQuantity(200 + seq % 5);
            topOfBook.bidPrice().mantissa(bid).exponent((byte)-4);
            topOfBook.askPrice().mantissa(bid + 100 + (seq % 3) * 100).exponent((byte)-4);
            topOfBook.common().globalSeq(0).sequencerTime(0).sourceSeq(seq).exchangeTime(exchangeTime)
                .receiveTime(exchangeTime + 1_000).publishTime(exchangeTime + 2_000).instrumentId((int)(seq % 4) + 1)
                .feedId(3).venue(Venue.SIMULATOR).flags((short)0);
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + topOfBook.encodedLength();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long result;
            while ((result = publication.offer(buffer, 0, length)) < 0)
            {
                if (Publication.CLOSED == result || System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("offer failed: " + Publication.errorString(result));
                }
                Thread.sleep(1);
            }
        }
    }

    /**
     * Test strategy: records each message's source sequence, exchange time and stream position, and forwards
     * everything to a {@link MidPriceStrategy}.
     */
    private static final class SeqRecorder implements Strategy
    {
        final MidPriceStrategy mid = new MidPriceStrategy();
        final List<Long> seqs = new ArrayList<>();
        final List<Long> exchangeTimes = new ArrayList<>();
        final List<Long> positions = new ArrayList<>();
        private final MessageDispatcher midFeed = new MessageDispatcher(mid);

        public void onStart(final StrategyContext context)
        {
            mid.onStart(context);
        }

        public void onMessage(
            final DirectBuffer buffer, final int offset, final int length, final int templateId, final long position)
        {
            seqs.add(CommonBlock.sourceSeq(buffer, offset));
            exchangeTimes.add(CommonBlock.exchangeTime(buffer, offset));
            positions.add(position);
            midFeed.dispatch(buffer, offset, length, position);
        }

        public void onTimer(final long timerId, final long nowNs)
        {
            mid.onTimer(timerId, nowNs);
        }

        public void onEnd()
        {
            mid.onEnd();
        }

        int firstPositionAfter(final long position)
        {
            for (int i = 0; i < positions.size(); i++)
            {
                if (positions.get(i) > position)
                {
                    return i;
                }
            }
            return -1;
        }
    }

    private static StrategyRunner.Context live(final Aeron aeron, final int streamId)
    {
        return new StrategyRunner.Context().aeron(aeron).channel(CHANNEL).streamId(streamId);
    }
}
