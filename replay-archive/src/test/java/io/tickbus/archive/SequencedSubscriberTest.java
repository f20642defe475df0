package io.tickbus.archive;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.tickbus.archive.client.SequencedSubscriber;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.MarketDataListener;
import io.tickbus.driver.TickbusDriver;
import io.tickbus.sbe.CommonEncoder;
import io.tickbus.sbe.HeartbeatEncoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The reliable subscriber of the sequenced stream against a real archive (UDP control) and real drivers: a
 * "member" is a pair of publications with one session id, one to the channel the archive records and one to the
 * channel the subscriber reads live on its own driver, so a test can make the live copy miss what the recorded copy
 * holds (loss, a late join, a stall) and check that the subscriber still delivers 1..N once, in order, with the
 * recovered messages flagged as replayed. Ports 14600-14619.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SequencedSubscriberTest
{
    private static final int STREAM = 2000;
    private static final String CONTROL = "127.0.0.1:14601";
    private static final String RECORDED = "aeron:udp?endpoint=127.0.0.1:14602";
    private static final String LIVE = "aeron:udp?endpoint=127.0.0.1:14603";
    private static final int MESSAGE_LENGTH = 96;
    private static final int FLAGS_OFFSET = CommonBlock.OFFSET + CommonEncoder.flagsEncodingOffset();

    @TempDir
    Path dir;

    private TickbusArchive archive;
    private TickbusDriver subscriberDriver;
    private Aeron subscriberAeron;
    private SequencedSubscriber subscriber;
    private final Received received = new Received();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

    @BeforeEach
    void setUp()
    {
        archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir.resolve("archive"))
            .controlChannel("aeron:udp?endpoint=" + CONTROL)
            .persistIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .record(RECORDED + ":" + STREAM));
        subscriberDriver = TickbusDriver.launchEmbedded("seq-subscriber");
        subscriberAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(subscriberDriver.aeronDirectoryName()));
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.quietClose(subscriber);
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(closeables.get(i));
        }
        CloseHelper.closeAll(subscriberAeron, subscriberDriver, archive);
    }

    private void subscribe(final List<String> archives, final long archiveTimeoutMs)
    {
        subscriber = new SequencedSubscriber(new SequencedSubscriber.Context()
            .aeron(subscriberAeron)
            .stream(LIVE, STREAM)
            .listener(received)
            .archiveEndpoints(archives)
            .recordedChannelFragment("127.0.0.1:14602")
            .gapTimeoutNs(TimeUnit.MILLISECONDS.toNanos(20))
            .probeIntervalNs(TimeUnit.MILLISECONDS.toNanos(200))
            .archiveTimeoutNs(TimeUnit.MILLISECONDS.toNanos(archiveTimeoutMs))
            .giveUpTimeoutNs(TimeUnit.SECONDS.toNanos(2))
            .errorHandler(received::onError));
    }

    @Test
    void holeInTheLiveStreamIsFilledFromTheArchiveInPlace()
    {
        final Member member = new Member(1001);
        subscribe(List.of(CONTROL), 5_000);
        member.awaitLiveConnected();
        // 100..149 never reach the live channel (loss beyond Aeron's recovery); the recording has them.
        member.publish(1, 400, seq -> seq < 100 || seq >= 150);

        awaitDelivered(400);
        received.assertOneToN(400);
        assertEquals(50, subscriber.recoveredCount(), "the hole came from the archive");
        for (int seq = 1; seq <= 400; seq++)
        {
            assertEquals(seq >= 100 && seq < 150, received.replayed(seq), "replayed flag of " + seq);
        }
        assertEquals(0, subscriber.unrecoveredCount());
    }

    @Test
    void lateJoinerGetsTheWholeStreamFromTheArchiveThenGoesLive()
    {
        final Member member = new Member(1002);
        member.publish(1, 500, seq -> false); // nobody live yet: only the archive has these
        subscribe(List.of(CONTROL), 5_000);
        member.awaitLiveConnected();
        member.publish(501, 900, seq -> true);

        awaitDelivered(900);
        received.assertOneToN(900);
        assertTrue(subscriber.recoveredCount() >= 500, "1..500 from the archive: " + subscriber.recoveredCount());
        assertTrue(!received.replayed(900), "the end of the stream came live");
    }

    @Test
    void silentLiveStreamIsProbedAndRecovered()
    {
        final Member member = new Member(1003);
        subscribe(List.of(CONTROL), 5_000);
        member.awaitLiveConnected();
        member.publish(1, 50, seq -> true);
        awaitDelivered(50);
        // The live copy stalls (a paused subscriber's view): 51..300 only reach the recording, then silence. No
        // later live message reveals a gap; the probe of the silent stream must.
        member.publish(51, 300, seq -> false);

        awaitDelivered(300);
        received.assertOneToN(300);
        assertEquals(250, subscriber.recoveredCount());
        member.publish(301, 350, seq -> true);
        awaitDelivered(350);
        received.assertOneToN(350);
    }

    @Test
    void membersCopiesAreMergedAndADeadMemberCostsNothing()
    {
        final Member a = new Member(1004);
        final Member b = new Member(1005);
        subscribe(List.of(CONTROL), 5_000);
        a.awaitLiveConnected();
        b.awaitLiveConnected();
        for (long seq = 1; seq <= 600; seq++)
        {
            a.publish(seq, seq, s -> true);
            if (seq <= 300)
            {
                b.publish(seq, seq, s -> true);
            }
        }
        // Both members' copies of 1..300 are read before b dies: closing b at once can remove its image before the
        // subscriber polled it (seen on an idle box: no copy of b's was ever read, so none could be a repeat).
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (subscriber.repeatCount() < 250)
        {
            assertTrue(System.nanoTime() < deadline, "b's copies read: repeats " + subscriber.repeatCount());
            if (0 == subscriber.poll(64))
            {
                Thread.yield();
            }
        }
        b.close(); // member b dies at 300; a carries on

        awaitDelivered(600);
        received.assertOneToN(600);
        assertTrue(subscriber.repeatCount() >= 250, "b's copies dropped as repeats: " + subscriber.repeatCount());
        assertEquals(0, subscriber.recoveredCount(), "nothing was missing");
    }

    @Test
    void gapNoArchiveCanFillIsReportedCountedAndPassed()
    {
        final Member member = new Member(1006);
        subscribe(List.of("127.0.0.1:14619"), 300); // nothing answers there
        member.awaitLiveConnected();
        member.publish(1, 200, seq -> seq < 50 || seq >= 60);

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (received.seqs.size() < 190)
        {
            assertTrue(System.nanoTime() < deadline, "delivered " + received.seqs.size());
            subscriber.poll(64);
        }
        assertEquals(10, subscriber.unrecoveredCount());
        assertEquals(List.of(50L, 59L), received.gaps, "the jump is reported once");
        assertTrue(subscriber.archiveErrorCount() > 0, "the dead archive is counted");
        for (int i = 0; i < received.seqs.size(); i++)
        {
            final long expected = i < 49 ? i + 1 : i + 11;
            assertEquals(expected, received.seqs.getLong(i), "delivered in order around the reported gap");
        }
    }

    @Test
    void liveDeliveryAllocatesNothingInSteadyState()
    {
        final Member member = new Member(1007);
        subscribe(List.of(CONTROL), 5_000);
        member.awaitLiveConnected();
        member.publish(1, 2_000, seq -> true);
        awaitDelivered(2_000);

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long start = threads.getThreadAllocatedBytes(threadId);
        member.publishLiveOnly(2_001, 6_000); // polls the subscriber whenever the live window is full
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (received.count < 6_000 && System.nanoTime() < deadline)
        {
            subscriber.poll(64);
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - start;
        assertEquals(6_000, received.count);
        assertTrue(allocated < 1_024, "allocated " + allocated + " bytes over 4,000 live messages");
    }

    private void awaitDelivered(final long last)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.last() < last)
        {
            assertTrue(System.nanoTime() < deadline, "delivered up to " + received.last() + " of " + last +
                ", repairs " + subscriber.repairCount() + ", errors " + received.errors);
            if (0 == subscriber.poll(64))
            {
                Thread.yield();
            }
        }
    }

    /** One sequencer member's output: the same messages, one session id, to the recorded and the live channel. */
    private final class Member implements AutoCloseable
    {
        final ExclusivePublication recorded;
        final ExclusivePublication live;
        final HeartbeatEncoder encoder = new HeartbeatEncoder();
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();

        Member(final int sessionId)
        {
            recorded = archive.aeron().addExclusivePublication(RECORDED + "|session-id=" + sessionId, STREAM);
            live = archive.aeron().addExclusivePublication(LIVE + "|session-id=" + sessionId, STREAM);
            closeables.add(this);
            awaitConnected(recorded);
        }

        void awaitLiveConnected()
        {
            awaitConnected(live);
        }

        private void awaitConnected(final Publication publication)
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!publication.isConnected())
            {
                assertTrue(System.nanoTime() < deadline, "not connected: " + publication.channel());
                Thread.yield();
            }
        }

        void publish(final long from, final long to, final LongPredicate live)
        {
            for (long seq = from; seq <= to; seq++)
            {
                final int length = encode(seq);
                offer(recorded, length);
                if (live.test(seq))
                {
                    offer(this.live, length); // else: what the live copy missed never arrives live
                }
            }
        }

        void publishLiveOnly(final long from, final long to)
        {
            for (long seq = from; seq <= to; seq++)
            {
                offer(live, encode(seq));
            }
        }

        /**
         * A heartbeat padded to 96 bytes: every frame is 128 bytes, so a position on the live copy is a frame
         * boundary on the recorded copy too even where the live copy missed messages.
         */
        private int encode(final long seq)
        {
            encoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
            encoder.common().globalSeq(seq).sequencerTime(seq).sourceSeq(seq).exchangeTime(seq)
                .receiveTime(0).publishTime(0).instrumentId(1).feedId(1);
            assertTrue(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength() <= MESSAGE_LENGTH);
            return MESSAGE_LENGTH;
        }

        private void offer(final Publication publication, final int length)
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (publication.offer(buffer, 0, length) < 0)
            {
                if (System.nanoTime() > deadline)
                {
                    fail("offer refused on " + publication.channel() + ", errors " + received.errors);
                }
                if (null != subscriber)
                {
                    subscriber.poll(64);
                }
            }
        }

        public void close()
        {
            CloseHelper.closeAll(live, recorded);
        }
    }

    /** What the subscriber delivered. */
    private static final class Received implements MarketDataListener
    {
        final LongArrayList seqs = new LongArrayList();
        final LongArrayList replayedSeqs = new LongArrayList();
        final List<Long> gaps = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        long count;
        private long last;

        public void onMessage(
            final DirectBuffer buffer, final int offset, final int length, final int templateId, final long position)
        {
            final long seq = CommonBlock.globalSeq(buffer, offset);
            count++;
            last = seq;
            if (count <= 2_000)
            {
                seqs.addLong(seq);
                if (0 != (buffer.getByte(offset + FLAGS_OFFSET) & 1))
                {
                    replayedSeqs.addLong(seq);
                }
            }
        }

        public void onSequenceGap(final long fromGlobalSeq, final long toGlobalSeq)
        {
            gaps.add(fromGlobalSeq);
            gaps.add(toGlobalSeq);
        }

        void onError(final Throwable ex)
        {
            errors.add(ex);
        }

        long last()
        {
            return last;
        }

        boolean replayed(final long seq)
        {
            return replayedSeqs.containsLong(seq);
        }

        void assertOneToN(final long n)
        {
            assertEquals(n, seqs.size(), "delivered once each");
            for (int i = 0; i < n; i++)
            {
                assertEquals(i + 1, seqs.getLong(i), "in order");
            }
            assertTrue(gaps.isEmpty(), "no gap reported: " + gaps);
        }
    }
}
