package io.tickbus.sequencer;

import io.aeron.Aeron;
import io.aeron.cluster.service.Cluster;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.driver.TickbusDriver;
import io.tickbus.sequencer.client.SequencerClient;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A three-member cluster in this JVM, each member with its own driver, archive and cluster directories: two feeds
 * interleaved are sequenced exactly once in one order; a snapshot and a restart of every member resume at N+1.
 */
@Timeout(180)
class SequencerClusterTest
{
    private static final String MEMBERS = "127.0.0.1:23100,127.0.0.1:23110,127.0.0.1:23120";
    private static final String SEQUENCED = "aeron:udp?endpoint=127.0.0.1:23190";
    private static final int STREAM = 2000;
    private static final int PER_FEED = 20_000;
    private static final FeedCredentials CREDENTIALS = FeedCredentials.of(Map.of(1, "one", 2, "two"));

    private final SequencerNode[] nodes = new SequencerNode[3];
    private final File[] dirs = new File[3];
    private TickbusDriver clientDriver;
    private Aeron aeron;
    private SequencerTestSupport.Collector collector;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

    @BeforeEach
    void setUp()
    {
        for (int i = 0; i < 3; i++)
        {
            dirs[i] = new File(TickbusDriver.uniqueEmbeddedDir("seq-cluster-" + i));
        }
        clientDriver = TickbusDriver.launchEmbedded("seq-cluster-client");
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(clientDriver.aeronDirectoryName()));
        collector = new SequencerTestSupport.Collector(aeron, SEQUENCED, STREAM);
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(collector, aeron, clientDriver);
        closeNodes();
        for (final File dir : dirs)
        {
            IoUtil.delete(dir, true);
        }
    }

    private void launchNodes(final boolean fresh)
    {
        for (int i = 0; i < 3; i++)
        {
            nodes[i] = SequencerNode.launch(new SequencerNode.Context()
                .memberId(i)
                .members(MEMBERS)
                .baseDir(dirs[i])
                .deleteOnStart(fresh)
                .sequenced(SEQUENCED, STREAM)
                .startupCanvassTimeoutNs(TimeUnit.SECONDS.toNanos(5))
                .credentials(CREDENTIALS));
        }
    }

    private void closeNodes()
    {
        for (int i = 0; i < 3; i++)
        {
            CloseHelper.close(nodes[i]);
            nodes[i] = null;
        }
    }

    private SequencerNode awaitLeader()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            for (final SequencerNode node : nodes)
            {
                if (null != node && node.role() == Cluster.Role.LEADER)
                {
                    return node;
                }
            }
            assertTrue(System.nanoTime() < deadline, "no leader elected");
            sleep(10);
        }
    }

    private SequencerClient client(final int feedId, final String secret)
    {
        return new SequencerClient(new SequencerClient.Context()
            .aeron(aeron)
            .feedId(feedId)
            .secret(secret)
            .ingressEndpoints(ClusterMembers.ingressEndpoints(MEMBERS))
            .backPressure(new BackPressurePolicy(TimeUnit.SECONDS.toNanos(20), BackPressurePolicy.Exhausted.FAIL)));
    }

    @Test
    void twoFeedsInterleavedExactlyOnceThenSnapshotAndFullRestartResumeAtNPlusOne()
    {
        launchNodes(true);
        final SequencerNode leader = awaitLeader();
        final long total = 2L * PER_FEED;

        try (SequencerClient feed1 = client(1, "one"); SequencerClient feed2 = client(2, "two"))
        {
            awaitSubscriberConnected(leader);
            for (long seq = 1; seq <= PER_FEED; seq++)
            {
                assertTrue(feed1.publish(buffer, 0, SequencerTestSupport.encode(buffer, 1, seq)) > 0);
                assertTrue(feed2.publish(buffer, 0, SequencerTestSupport.encode(buffer, 2, seq)) > 0);
                if (0 == (seq & 255))
                {
                    collector.poll();
                }
            }
            assertTrue(feed1.awaitAcknowledged(TimeUnit.SECONDS.toNanos(60)), "feed 1 acknowledged");
            assertTrue(feed2.awaitAcknowledged(TimeUnit.SECONDS.toNanos(60)), "feed 2 acknowledged");
            assertEquals(PER_FEED, feed1.lastAckedSourceSeq());
            assertEquals(PER_FEED, feed2.lastAckedSourceSeq());
        }
        awaitDistinct(total);
        collector.verify(total, PER_FEED, PER_FEED);
        // Every member publishes its copy: each global sequence arrives once per member at most, identical (verify).
        assertTrue(collector.globalSeqs.size() <= 3 * total, "more copies than members: " + collector.globalSeqs.size());

        // Every member holds the same state: followers too have sequenced all N.
        for (final SequencerNode node : nodes)
        {
            awaitCounter(node, SequencerCounters.GLOBAL_SEQ, total);
        }

        final long[] snapshotsBefore = new long[3];
        for (int i = 0; i < 3; i++)
        {
            snapshotsBefore[i] = nodes[i].snapshotCount();
        }
        assertTrue(awaitLeader().requestSnapshot(), "snapshot requested");
        for (int i = 0; i < 3; i++)
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (nodes[i].snapshotCount() <= snapshotsBefore[i])
            {
                assertTrue(System.nanoTime() < deadline, "member " + i + " took no snapshot");
                sleep(10);
            }
        }

        closeNodes();
        launchNodes(false);
        final SequencerNode newLeader = awaitLeader();
        for (final SequencerNode node : nodes)
        {
            awaitCounter(node, SequencerCounters.GLOBAL_SEQ, total);
        }

        final SequencerTestSupport.Collector after = new SequencerTestSupport.Collector(aeron, SEQUENCED, STREAM);
        try (after; SequencerClient feed1 = client(1, "one"))
        {
            awaitSubscriberConnected(newLeader);
            // A restarted feed handler resends its last 10: restored state knows them as duplicates.
            for (long seq = PER_FEED - 9; seq <= PER_FEED + 5; seq++)
            {
                assertTrue(feed1.publish(buffer, 0, SequencerTestSupport.encode(buffer, 1, seq)) > 0);
            }
            assertTrue(feed1.awaitAcknowledged(TimeUnit.SECONDS.toNanos(30)));
            assertEquals(PER_FEED + 5, feed1.lastAckedSourceSeq());
            assertEquals(total + 5, feed1.lastAckedGlobalSeq());

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long maxSeen = 0;
            while (maxSeen < total + 5)
            {
                assertTrue(System.nanoTime() < deadline, "new messages not published, max " + maxSeen);
                after.poll();
                for (int i = 0; i < after.globalSeqs.size(); i++)
                {
                    maxSeen = Math.max(maxSeen, after.globalSeqs.getLong(i));
                }
                sleep(1);
            }
            // The five new messages carry N+1..N+5, feed 1, source seqs PER_FEED+1..PER_FEED+5.
            for (long g = total + 1; g <= total + 5; g++)
            {
                final int i = after.globalSeqs.indexOf(g);
                assertTrue(i >= 0, "global seq " + g + " missing");
                assertEquals(1, after.feedIds.getLong(i));
                assertEquals(PER_FEED + (g - total), after.sourceSeqs.getLong(i));
            }
            assertTrue(newLeader.counter(SequencerCounters.DUPLICATES) >= 10, "resent messages counted as duplicates");
        }
    }

    private void awaitSubscriberConnected(final SequencerNode leader)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!collector.subscription.isConnected())
        {
            assertNotNull(leader);
            assertTrue(System.nanoTime() < deadline, "sequenced stream not connected");
            sleep(10);
        }
    }

    private void awaitDistinct(final long total)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (collector.distinct() < total)
        {
            assertTrue(System.nanoTime() < deadline, "sequenced stream incomplete: " + collector.distinct());
            if (0 == collector.poll())
            {
                sleep(1);
            }
        }
        sleep(200);
        collector.poll();
    }

    private static void awaitCounter(final SequencerNode node, final int typeId, final long value)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (node.counter(typeId) != value)
        {
            assertTrue(System.nanoTime() < deadline,
                "member " + node.memberId() + " counter " + typeId + "=" + node.counter(typeId) + " expected " + value);
            sleep(10);
        }
    }

    static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
