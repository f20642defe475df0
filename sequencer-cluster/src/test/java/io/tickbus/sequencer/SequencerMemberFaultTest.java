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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Member faults of a three-member cluster in this JVM (own driver, archive and cluster directories per member)
 * while two feeds keep sending: a follower stopped abruptly mid-stream and restarted on its directory; a follower
 * whose directory is deleted while it is down, rebuilt from the others; a follower stopped right after a snapshot
 * was requested. In each the sequenced stream is exactly 1..N (no gap, no repeat: the leader never changes) and
 * the restarted member reaches global sequence N.
 * <p>
 * "Abruptly" in one JVM is {@link SequencerNode#close()} with nothing drained first; a SIGKILLed member process is
 * {@code SequencerFailoverProcessTest}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SequencerMemberFaultTest
{
    private static final String MEMBERS = "127.0.0.1:17100,127.0.0.1:17110,127.0.0.1:17120";
    private static final String SEQUENCED = "aeron:udp?endpoint=127.0.0.1:17190";
    private static final int STREAM = 2000;
    private static final int PER_FEED = 3_000;
    private static final FeedCredentials CREDENTIALS = FeedCredentials.of(Map.of(1, "one", 2, "two"));

    private final SequencerNode[] nodes = new SequencerNode[3];
    private final File[] dirs = new File[3];
    private TickbusDriver clientDriver;
    private Aeron aeron;
    private SequencerTestSupport.Collector collector;
    private SequencerClient feed1;
    private SequencerClient feed2;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

    @BeforeEach
    void setUp()
    {
        for (int i = 0; i < 3; i++)
        {
            dirs[i] = new File(TickbusDriver.uniqueEmbeddedDir("seq-fault-" + i));
        }
        clientDriver = TickbusDriver.launchEmbedded("seq-fault-client");
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(clientDriver.aeronDirectoryName()));
        collector = new SequencerTestSupport.Collector(aeron, SEQUENCED, STREAM);
        for (int i = 0; i < 3; i++)
        {
            nodes[i] = launch(i, true);
        }
        awaitLeader();
        feed1 = client(1, "one");
        feed2 = client(2, "two");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!collector.subscription.isConnected())
        {
            assertTrue(System.nanoTime() < deadline, "sequenced stream not connected");
            SequencerClusterTest.sleep(10);
        }
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(feed1, feed2, collector, aeron, clientDriver);
        for (int i = 0; i < 3; i++)
        {
            CloseHelper.close(nodes[i]);
            nodes[i] = null;
        }
        for (final File dir : dirs)
        {
            IoUtil.delete(dir, true);
        }
    }

    @Test
    void followerStoppedMidStreamRestartsAndCatchesUp()
    {
        final int follower = follower();
        send(1, PER_FEED / 3);
        final long before = System.nanoTime();
        CloseHelper.close(nodes[follower]);
        nodes[follower] = null;
        send(PER_FEED / 3 + 1, 2 * PER_FEED / 3);
        nodes[follower] = launch(follower, false);
        send(2 * PER_FEED / 3 + 1, PER_FEED);
        finishAndVerify(follower, "follower stop/restart", before);
    }

    @Test
    void followerRestartedWithEmptyDirectoryIsRebuiltFromTheOthers()
    {
        final int follower = follower();
        send(1, PER_FEED / 2);
        final long before = System.nanoTime();
        CloseHelper.close(nodes[follower]);
        nodes[follower] = null;
        IoUtil.delete(dirs[follower], false);
        assertFalse(dirs[follower].exists(), "member directory deleted while it is down");
        send(PER_FEED / 2 + 1, 3 * PER_FEED / 4);
        nodes[follower] = launch(follower, false);
        send(3 * PER_FEED / 4 + 1, PER_FEED);
        finishAndVerify(follower, "follower rebuilt from empty dir", before);
    }

    @Test
    void followerStoppedWhileSnapshotIsTakenRestartsAndCatchesUp()
    {
        final int follower = follower();
        send(1, PER_FEED / 2);
        final SequencerNode leader = awaitLeader();
        final long leaderSnapshots = leader.snapshotCount();
        final long before = System.nanoTime();
        assertTrue(leader.requestSnapshot(), "snapshot requested");
        CloseHelper.close(nodes[follower]);
        nodes[follower] = null;
        send(PER_FEED / 2 + 1, 3 * PER_FEED / 4);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (leader.snapshotCount() <= leaderSnapshots)
        {
            assertTrue(System.nanoTime() < deadline, "leader took no snapshot with one follower down");
            SequencerClusterTest.sleep(10);
        }
        nodes[follower] = launch(follower, false);
        send(3 * PER_FEED / 4 + 1, PER_FEED);
        finishAndVerify(follower, "follower stopped during snapshot", before);
    }

    private void finishAndVerify(final int follower, final String fault, final long faultNs)
    {
        assertTrue(feed1.awaitAcknowledged(TimeUnit.SECONDS.toNanos(30)), "feed 1 acknowledged");
        assertTrue(feed2.awaitAcknowledged(TimeUnit.SECONDS.toNanos(30)), "feed 2 acknowledged");
        assertEquals(PER_FEED, feed1.lastAckedSourceSeq());
        assertEquals(PER_FEED, feed2.lastAckedSourceSeq());

        final long total = 2L * PER_FEED;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (collector.distinct() < total)
        {
            assertTrue(System.nanoTime() < deadline, "sequenced stream incomplete: " + collector.distinct());
            if (0 == collector.poll())
            {
                SequencerClusterTest.sleep(1);
            }
        }
        SequencerClusterTest.sleep(100);
        collector.poll();
        collector.verify(total, PER_FEED, PER_FEED);

        final long catchUpDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (nodes[follower].counter(SequencerCounters.GLOBAL_SEQ) != total)
        {
            assertTrue(System.nanoTime() < catchUpDeadline, "restarted member " + follower + " at global seq " +
                nodes[follower].counter(SequencerCounters.GLOBAL_SEQ) + ", expected " + total);
            SequencerClusterTest.sleep(10);
        }
        for (final SequencerNode node : nodes)
        {
            assertEquals(total, node.counter(SequencerCounters.GLOBAL_SEQ), "member " + node.memberId());
        }
        System.out.println("FAULT " + fault + ": member " + follower + ", " + total + " sequenced, " +
            collector.distinct() + " distinct received, stop to caught-up " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - faultNs) + " ms");
    }

    private void send(final long fromSeq, final long toSeq)
    {
        for (long seq = fromSeq; seq <= toSeq; seq++)
        {
            assertTrue(feed1.publish(buffer, 0, SequencerTestSupport.encode(buffer, 1, seq)) > 0);
            assertTrue(feed2.publish(buffer, 0, SequencerTestSupport.encode(buffer, 2, seq)) > 0);
            if (0 == (seq & 63))
            {
                collector.poll();
            }
        }
    }

    private SequencerNode launch(final int memberId, final boolean fresh)
    {
        return SequencerNode.launch(new SequencerNode.Context()
            .memberId(memberId)
            .members(MEMBERS)
            .baseDir(dirs[memberId])
            .deleteOnStart(fresh)
            .sequenced(SEQUENCED, STREAM)
            .startupCanvassTimeoutNs(TimeUnit.SECONDS.toNanos(5))
            .credentials(CREDENTIALS));
    }

    private int follower()
    {
        final SequencerNode leader = awaitLeader();
        return (leader.memberId() + 1) % 3;
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
            SequencerClusterTest.sleep(10);
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
}
