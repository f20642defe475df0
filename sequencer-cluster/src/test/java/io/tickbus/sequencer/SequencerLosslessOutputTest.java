package io.tickbus.sequencer;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.tickbus.client.CommonBlock;
import org.agrona.collections.LongArrayList;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.driver.TickbusDriver;
import io.tickbus.sequencer.client.SequencerClient;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sequencer never throws away a committed message (issue 14, cause 1): a subscriber that stops reading
 * back-pressures the sequenced publication (64 KiB terms, so the window is a few hundred messages), and a stream
 * with no subscriber yet refuses with NOT_CONNECTED; in both cases the service keeps its place and publishes the
 * rest once the publication takes it. The only loss allowed is a counted eviction from the bounded tail.
 */
@Timeout(120)
class SequencerLosslessOutputTest
{
    private static final int PORT_BASE = 14500;
    private static final String SEQUENCED = "aeron:udp?endpoint=127.0.0.1:14510|term-length=64k";
    private static final int STREAM = 2000;

    private SequencerNode node;
    private TickbusDriver clientDriver;
    private Aeron aeron;
    private SequencerTestSupport.Collector collector;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

    private void launch(final int retainedMessages)
    {
        launch(retainedMessages, true);
    }

    private void launch(final int retainedMessages, final boolean recordOutput)
    {
        node = SequencerNode.launch(new SequencerNode.Context()
            .memberId(0)
            .members("127.0.0.1:" + PORT_BASE)
            .baseDir(new File(TickbusDriver.uniqueEmbeddedDir("seq-lossless")))
            .deleteOnStart(true)
            .deleteOnClose(true)
            .allowAnyFeed(true)
            .retained(8 << 20, retainedMessages)
            .recordOutput(recordOutput)
            .sequenced(SEQUENCED, STREAM));
        clientDriver = TickbusDriver.launchEmbedded("seq-lossless-client");
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(clientDriver.aeronDirectoryName()));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (node.role() != io.aeron.cluster.service.Cluster.Role.LEADER)
        {
            assertTrue(System.nanoTime() < deadline, "no leader");
            SequencerClusterTest.sleep(1);
        }
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(collector, aeron, clientDriver, node);
    }

    @Test
    void subscriberThatStopsReadingGetsEveryMessageWhenItResumes()
    {
        launch(65_536);
        collector = new SequencerTestSupport.Collector(aeron, SEQUENCED, STREAM);
        awaitConnected();

        final int total = 20_000; // ~1.6 MiB of frames against a 64 KiB term: the publication must refuse
        send(1, total);

        awaitDistinct(total);
        collector.verify(total, total);
        assertEquals(0, node.counter(SequencerCounters.UNPUBLISHED_EVICTED));
        assertTrue(node.counter(SequencerCounters.PUBLISH_REFUSED) > 0, "the stalled subscriber pushed back");
        awaitCounter(SequencerCounters.PUBLISH_BACKLOG, 0);
    }

    @Test
    void messagesSequencedBeforeAnySubscriberReachTheFirstOneToConnect()
    {
        launch(65_536, false); // no archive spy either: nobody takes them until the subscriber connects
        send(1, 300);
        SequencerClusterTest.sleep(1_500); // longer than the old leader publish grace (1 s)
        assertEquals(300, node.counter(SequencerCounters.PUBLISH_BACKLOG));

        collector = new SequencerTestSupport.Collector(aeron, SEQUENCED, STREAM);
        awaitDistinct(300);
        collector.verify(300, 300);
    }

    @Test
    void onlyLossIsACountedEvictionFromTheBoundedTail()
    {
        launch(1_000);
        collector = new SequencerTestSupport.Collector(aeron, SEQUENCED, STREAM);
        awaitConnected();

        final int total = 5_000;
        send(1, total);
        final long evicted = node.counter(SequencerCounters.UNPUBLISHED_EVICTED);
        assertTrue(evicted > 0, "a 1,000-message tail behind a stalled subscriber must evict");

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (collector.distinct() + evicted < total)
        {
            assertTrue(System.nanoTime() < deadline,
                "received " + collector.distinct() + " + evicted " + evicted + " < " + total);
            if (0 == collector.poll())
            {
                SequencerClusterTest.sleep(1);
            }
        }
        assertEquals(total, collector.distinct() + evicted, "every message is either delivered or counted evicted");
    }

    @Test
    void everyMemberRecordsItsOwnOutputInItsArchive()
    {
        launch(65_536);
        send(1, 500);
        final String endpoint = ClusterMembers.archiveEndpoint(node.context().members(), 0);
        try (AeronArchive archive = AeronArchive.connect(new AeronArchive.Context()
            .aeron(aeron)
            .ownsAeronClient(false)
            .controlRequestChannel("aeron:udp?endpoint=" + endpoint)
            .controlRequestStreamId(SequencerNode.ARCHIVE_CONTROL_STREAM_ID)
            .controlResponseChannel("aeron:udp?endpoint=127.0.0.1:0"));
            Subscription replay = aeron.addSubscription("aeron:udp?endpoint=127.0.0.1:14519", 2100))
        {
            final long[] recording = {-1};
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (recording[0] < 0)
            {
                assertTrue(System.nanoTime() < deadline, "the member's archive records its output");
                archive.listRecordingsForUri(0, 10, "14510", STREAM,
                    (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
                    stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId,
                    strippedChannel, originalChannel, sourceIdentity) ->
                    {
                        recording[0] = recordingId;
                    });
                SequencerClusterTest.sleep(10);
            }
            final long replaySession = archive.startReplay(recording[0], 0, Long.MAX_VALUE, "aeron:udp?endpoint=127.0.0.1:14519", 2100);
            final LongArrayList seqs = new LongArrayList();
            final FragmentAssembler assembler = new FragmentAssembler(
                (buffer, offset, length, header) -> seqs.addLong(CommonBlock.globalSeq(buffer, offset)));
            while (seqs.size() < 500)
            {
                assertTrue(System.nanoTime() < deadline, "replayed " + seqs.size() + " of 500");
                if (0 == replay.poll(assembler, 64))
                {
                    SequencerClusterTest.sleep(1);
                }
            }
            for (int i = 0; i < 500; i++)
            {
                assertEquals(i + 1, seqs.getLong(i), "the member's recording holds 1..500 in order");
            }
            archive.stopReplay(replaySession);
        }
    }

    private void send(final long from, final long to)
    {
        try (SequencerClient feed = new SequencerClient(new SequencerClient.Context()
            .aeron(aeron)
            .feedId(1)
            .ingressEndpoints(node.ingressEndpoints())
            .backPressure(new BackPressurePolicy(TimeUnit.SECONDS.toNanos(10), BackPressurePolicy.Exhausted.FAIL))))
        {
            for (long seq = from; seq <= to; seq++)
            {
                assertTrue(feed.publish(buffer, 0, SequencerTestSupport.encode(buffer, 1, seq)) > 0);
            }
            assertTrue(feed.awaitAcknowledged(TimeUnit.SECONDS.toNanos(30)), "acknowledged");
        }
    }

    private void awaitConnected()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!collector.subscription.isConnected())
        {
            assertTrue(System.nanoTime() < deadline, "sequenced stream not connected");
            SequencerClusterTest.sleep(1);
        }
    }

    private void awaitDistinct(final long total)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (collector.distinct() < total)
        {
            assertTrue(System.nanoTime() < deadline, "sequenced stream incomplete: " + collector.distinct() +
                " of " + total + ", evicted " + node.counter(SequencerCounters.UNPUBLISHED_EVICTED));
            if (0 == collector.poll())
            {
                SequencerClusterTest.sleep(1);
            }
        }
    }

    private void awaitCounter(final int typeId, final long value)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (node.counter(typeId) != value)
        {
            assertTrue(System.nanoTime() < deadline, "counter " + typeId + " = " + node.counter(typeId));
            SequencerClusterTest.sleep(1);
        }
    }
}
