package io.tickbus.sequencer;

import io.aeron.Aeron;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.security.AuthenticationException;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.driver.TickbusDriver;
import io.tickbus.sequencer.client.SequencerClient;
import org.agrona.CloseHelper;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A one-member cluster with authentication: sequencing, de-duplication, malformed and foreign-feed ingress,
 * rejected credentials.
 */
@Timeout(90)
class SequencerSingleMemberTest
{
    private static final int PORT_BASE = 23000;
    private static final String SEQUENCED = "aeron:udp?endpoint=127.0.0.1:23090";
    private static final int STREAM = 2000;

    private SequencerNode node;
    private TickbusDriver clientDriver;
    private Aeron aeron;
    private SequencerTestSupport.Collector collector;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

    @BeforeEach
    void setUp()
    {
        node = SequencerNode.launch(new SequencerNode.Context()
            .memberId(0)
            .members("127.0.0.1:" + PORT_BASE)
            .baseDir(new File(TickbusDriver.uniqueEmbeddedDir("seq-single")))
            .deleteOnStart(true)
            .deleteOnClose(true)
            .sequenced(SEQUENCED, STREAM)
            .credentials(FeedCredentials.of(Map.of(1, "alpha", 2, "bravo"))));
        clientDriver = TickbusDriver.launchEmbedded("seq-single-client");
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(clientDriver.aeronDirectoryName()));
        collector = new SequencerTestSupport.Collector(aeron, SEQUENCED, STREAM);
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(collector, aeron, clientDriver, node);
    }

    private SequencerClient client(final int feedId, final String secret)
    {
        return new SequencerClient(new SequencerClient.Context()
            .aeron(aeron)
            .feedId(feedId)
            .secret(secret)
            .ingressEndpoints(node.ingressEndpoints())
            .backPressure(new BackPressurePolicy(TimeUnit.SECONDS.toNanos(10), BackPressurePolicy.Exhausted.FAIL)));
    }

    /**
     * Issue 15, epochs: a venue session change mid-stream (numbers start low again, the epoch goes up by one) is
     * sequenced, none of the new session's messages dropped as repeats; a late message of the old session and a
     * repeat of the new one are dropped; a restarted client learns the epoch and the last source sequence from its
     * ack request; and a client-side window holding both sessions is emptied by the acks.
     */
    @Test
    void aVenueResetStartsANewEpochWhoseLowNumbersAreSequenced()
    {
        awaitConnected();
        try (SequencerClient feed = client(1, "alpha"))
        {
            for (long seq = 1_000; seq < 1_050; seq++)
            {
                assertTrue(feed.publish(buffer, 0, SequencerTestSupport.encode(buffer, 1, seq)) > 0);
            }
            for (long seq = 1; seq <= 30; seq++)
            {
                final int length = SequencerTestSupport.encode(buffer, 1, seq);
                io.tickbus.client.CommonBlock.epoch(buffer, 0, 1);
                assertTrue(feed.publish(buffer, 0, length) > 0, "epoch 1, seq " + seq);
            }
            final int late = SequencerTestSupport.encode(buffer, 1, 1_050);
            assertEquals(SequencerClient.REJECTED, feed.publish(buffer, 0, late), "the client refuses the old epoch");
            assertTrue(feed.awaitAcknowledged(TimeUnit.SECONDS.toNanos(20)), "both sessions acknowledged");
            assertEquals(1, feed.lastAckedEpoch());
            assertEquals(30, feed.lastAckedSourceSeq());
        }
        assertEquals(1, node.service().epoch(1));
        assertEquals(30, node.service().lastSourceSeq(1));

        try (SequencerClient restarted = client(1, "alpha"))
        {
            assertTrue(restarted.awaitFirstAck(TimeUnit.SECONDS.toNanos(20)), "an ack request is answered");
            assertEquals(1, restarted.lastAckedEpoch());
            assertEquals(30, restarted.lastAckedSourceSeq());
            // A hot-hot twin still in the old session, and one repeating the new session: both dropped.
            assertTrue(restarted.publish(buffer, 0, SequencerTestSupport.encode(buffer, 1, 2_000)) > 0);
            assertTrue(restarted.awaitAcknowledged(TimeUnit.SECONDS.toNanos(20)));
        }
        try (SequencerClient twin = client(1, "alpha"))
        {
            final int length = SequencerTestSupport.encode(buffer, 1, 30);
            io.tickbus.client.CommonBlock.epoch(buffer, 0, 1);
            assertTrue(twin.publish(buffer, 0, length) > 0);
            assertTrue(twin.awaitAcknowledged(TimeUnit.SECONDS.toNanos(20)));
        }
        assertEquals(30, node.service().lastSourceSeq(1), "neither the old epoch's 2000 nor a repeat moved it");

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (collector.sourceSeqs.size() < 80)
        {
            assertTrue(System.nanoTime() < deadline, "sequenced: " + collector.sourceSeqs.size());
            collector.poll();
            Thread.yield();
        }
        for (int i = 0; i < 200 && collector.poll() >= 0; i++)
        {
            Thread.yield();
        }
        assertEquals(80, collector.sourceSeqs.size(), "50 of the old session, 30 of the new, nothing twice");
        for (int i = 0; i < 80; i++)
        {
            assertEquals(i + 1, collector.globalSeqs.getLong(i), "contiguous global sequences");
            assertEquals(i < 50 ? 1_000 + i : i - 49, collector.sourceSeqs.getLong(i));
        }
    }

    @Test
    void sequencesOnceAndDropsDuplicatesMalformedAndForeignFeeds()
    {
        awaitConnected();
        try (SequencerClient feed1 = client(1, "alpha"))
        {
            for (long seq = 1; seq <= 100; seq++)
            {
                assertTrue(feed1.publish(buffer, 0, SequencerTestSupport.encode(buffer, 1, seq)) > 0);
            }
            assertTrue(feed1.awaitAcknowledged(TimeUnit.SECONDS.toNanos(20)), "acknowledged: unacked=" +
                feed1.unacknowledged() + " sequenced=" + node.counter(SequencerCounters.SEQUENCED));
            assertEquals(100, feed1.lastAckedSourceSeq());

            // The client itself refuses a foreign feed id and a sequence that does not increase.
            assertEquals(SequencerClient.REJECTED,
                feed1.publish(buffer, 0, SequencerTestSupport.encode(buffer, 2, 101)));
            assertEquals(SequencerClient.REJECTED,
                feed1.publish(buffer, 0, SequencerTestSupport.encode(buffer, 1, 50)));

            // Without a handler of its feed the client keeps its own error path: an errors file in the driver's
            // directory and an errors counter (no stderr default).
            assertTrue(new java.io.File(clientDriver.aeronDirectoryName(), "sequencer-client-feed-1-" +
                ProcessHandle.current().pid() + io.tickbus.client.ComponentErrors.FILE_SUFFIX).isFile());
            final boolean[] counted = new boolean[1];
            aeron.countersReader().forEach((id, typeId, key, label) ->
                counted[0] |= io.tickbus.client.ComponentErrors.ERRORS_TYPE_ID == typeId &&
                label.equals("tickbus errors: sequencer-client-feed-1"));
            assertTrue(counted[0], "errors counter");
        }
        assertFalse(new java.io.File(clientDriver.aeronDirectoryName(), "sequencer-client-feed-1-" +
            ProcessHandle.current().pid() + io.tickbus.client.ComponentErrors.FILE_SUFFIX).exists(),
            "a client that logged no error leaves no file");

        // A second client of feed 1 (a restarted feed handler) resends 51..150: 51..100 are duplicates.
        try (SequencerClient again = client(1, "alpha"))
        {
            for (long seq = 51; seq <= 150; seq++)
            {
                assertTrue(again.publish(buffer, 0, SequencerTestSupport.encode(buffer, 1, seq)) > 0);
            }
            assertTrue(again.awaitAcknowledged(TimeUnit.SECONDS.toNanos(20)));
        }

        // Raw ingress as feed 2, bypassing the client's checks: garbage, foreign schema, feed 1's id, seq 0.
        try (AeronCluster raw = AeronCluster.connect(new AeronCluster.Context()
            .aeronDirectoryName(clientDriver.aeronDirectoryName())
            .ingressChannel("aeron:udp")
            .ingressEndpoints(node.ingressEndpoints())
            .egressChannel("aeron:udp?endpoint=127.0.0.1:0")
            .egressListener((sessionId, timestamp, buf, offset, length, header) -> { })
            .credentialsSupplier(new io.aeron.security.CredentialsSupplier()
            {
                public byte[] encodedCredentials()
                {
                    return "2:bravo".getBytes();
                }

                public byte[] onChallenge(final byte[] challenge)
                {
                    return encodedCredentials();
                }
            })))
        {
            final UnsafeBuffer garbage = new UnsafeBuffer(new byte[64]);
            garbage.setMemory(0, 64, (byte)0x7F);
            offer(raw, garbage, 10);                                   // too short
            offer(raw, garbage, 64);                                   // wrong schema id
            int length = SequencerTestSupport.encode(buffer, 2, 1);
            buffer.putShort(2, (short)99);                             // unknown template id
            offer(raw, buffer, length);
            length = SequencerTestSupport.encode(buffer, 2, 0);        // source seq 0
            offer(raw, buffer, length);
            length = SequencerTestSupport.encode(buffer, 1, 1000);     // feed 1 from feed 2's session
            offer(raw, buffer, length);
            length = SequencerTestSupport.encode(buffer, 2, 1);        // valid, after all that
            offer(raw, buffer, length);

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (node.counter(SequencerCounters.GLOBAL_SEQ) < 151)
            {
                assertTrue(System.nanoTime() < deadline, "valid message after malformed ones not sequenced");
                raw.pollEgress();
                collector.poll();
                Thread.yield();
            }
        }

        assertEquals(151, node.counter(SequencerCounters.SEQUENCED));
        assertEquals(50, node.counter(SequencerCounters.DUPLICATES));
        assertEquals(4, node.counter(SequencerCounters.MALFORMED));
        assertEquals(1, node.counter(SequencerCounters.WRONG_FEED));

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (collector.distinct() < 151)
        {
            assertTrue(System.nanoTime() < deadline, "sequenced stream incomplete: " + collector.distinct());
            if (0 == collector.poll())
            {
                Thread.yield();
            }
        }
        collector.verify(151, 150, 1);
    }

    /**
     * A full window under a drop policy drops at once and announces what it dropped: with a 4-message window and
     * acks every 32 messages or 1 ms, a burst overruns it. Every source sequence 1..N then reaches the sequenced
     * stream exactly once, either as itself or inside exactly one GapNotice (BUS_GAP) range, and the counts agree.
     */
    @Test
    void aFullWindowDropsAtOnceAndAnnouncesTheDroppedSequences()
    {
        awaitConnected();
        final int total = 3_000;
        try (SequencerClient feed = new SequencerClient(new SequencerClient.Context()
            .aeron(aeron)
            .feedId(1)
            .secret("alpha")
            .ingressEndpoints(node.ingressEndpoints())
            .window(64 * 1024, 4)
            .backPressure(new BackPressurePolicy(TimeUnit.SECONDS.toNanos(10), BackPressurePolicy.Exhausted.DROP))))
        {
            long dropped = 0;
            for (long seq = 1; seq <= total; seq++)
            {
                final long result = feed.publish(buffer, 0, SequencerTestSupport.encode(buffer, 1, seq));
                if (SequencerClient.DROPPED == result)
                {
                    dropped++;
                }
                else
                {
                    assertTrue(result > 0, "sent or queued: " + result);
                }
                collector.poll();
            }
            assertTrue(dropped > 0, "a 4-message window overran in a burst of " + total + " (else this proves nothing)");
            assertEquals(dropped, feed.droppedCount());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // One newer message (a feed's next message or heartbeat) carries the last notice out.
            final long last = total + 1;
            while (feed.publish(buffer, 0, SequencerTestSupport.encode(buffer, 1, last)) == SequencerClient.DROPPED)
            {
                assertTrue(System.nanoTime() < deadline, "the last message never fitted");
                feed.doWork();
                collector.poll();
            }
            while (0 != feed.pendingGapFromSourceSeq() || feed.unacknowledged() > 0)
            {
                assertTrue(System.nanoTime() < deadline, "the last notice was not sent and acknowledged");
                feed.doWork();
                collector.poll();
                Thread.yield();
            }

            // Everything is acknowledged: the stream ends with the last message; read until it is there.
            while (!collector.sourceSeqs.containsLong(last))
            {
                assertTrue(System.nanoTime() < deadline, "sequenced stream incomplete: " + collector.distinct());
                if (0 == collector.poll())
                {
                    Thread.yield();
                }
            }
            final long expected = collector.distinct();
            assertEquals(expected, collector.globalSeqs.longStream().max().orElse(0), "global sequences 1..N");
            assertTrue(feed.gapNoticeCount() > 0 && feed.gapNoticeCount() < expected, "notices sent: " +
                feed.gapNoticeCount());

            final int[] seen = new int[total + 2];
            final java.util.Set<Long> distinctGlobal = new java.util.HashSet<>();
            int notice = 0;
            for (int i = 0; i < collector.globalSeqs.size(); i++)
            {
                final boolean isNotice = io.tickbus.sbe.GapNoticeDecoder.TEMPLATE_ID == collector.templateIds.getLong(i);
                final long from = isNotice ? collector.gapFrom.getLong(notice) : collector.sourceSeqs.getLong(i);
                final long to = isNotice ? collector.gapTo.getLong(notice++) : from;
                if (distinctGlobal.add(collector.globalSeqs.getLong(i)))
                {
                    for (long seq = from; seq <= to; seq++)
                    {
                        seen[(int)seq]++;
                    }
                }
            }
            for (int seq = 1; seq <= total + 1; seq++)
            {
                assertEquals(1, seen[seq], "source sequence " + seq + " delivered or announced once");
            }
        }
    }

    /**
     * A caller that offers a dropped message again (a retry, as after any refused offer) gets it sequenced: a drop
     * is final only once announced, so the stream is 1..N as messages, with no GapNotice.
     */
    @Test
    void aDroppedMessageOfferedAgainIsSequencedNotRejected()
    {
        awaitConnected();
        final int total = 3_000;
        try (SequencerClient feed = new SequencerClient(new SequencerClient.Context()
            .aeron(aeron)
            .feedId(1)
            .secret("alpha")
            .ingressEndpoints(node.ingressEndpoints())
            .window(64 * 1024, 4)
            .backPressure(new BackPressurePolicy(0, BackPressurePolicy.Exhausted.DROP))))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (long seq = 1; seq <= total; seq++)
            {
                long result;
                while ((result = feed.publish(buffer, 0, SequencerTestSupport.encode(buffer, 1, seq))) ==
                    SequencerClient.DROPPED)
                {
                    assertTrue(System.nanoTime() < deadline, "retry of " + seq + " never accepted");
                    feed.doWork();
                    collector.poll();
                }
                assertTrue(result > 0, "a retried message is sent or queued, not rejected: " + result);
                collector.poll();
            }
            assertTrue(feed.droppedCount() > 0, "the 4-message window overran (else this proves nothing)");
            while (feed.unacknowledged() > 0 || collector.distinct() < total)
            {
                assertTrue(System.nanoTime() < deadline, "sequenced: " + collector.distinct());
                feed.doWork();
                collector.poll();
                Thread.yield();
            }
            assertEquals(0, feed.gapNoticeCount(), "nothing was lost, so nothing is announced");
            collector.verify(total, total);
        }
    }

    @Test
    void rejectsWrongCredentialsWithAClearReason()
    {
        final AuthenticationException wrongSecret = assertThrows(AuthenticationException.class,
            () -> client(1, "bravo").close());
        assertTrue(wrongSecret.getMessage().contains("rejected the credentials of feed 1"), wrongSecret.getMessage());
        assertThrows(AuthenticationException.class, () -> client(3, "alpha").close());
        assertThrows(AuthenticationException.class, () -> client(2, null).close());
        assertEquals(3, node.authRejectedCount());
    }

    private static void offer(final AeronCluster raw, final UnsafeBuffer buffer, final int length)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (raw.offer(buffer, 0, length) < 0)
        {
            assertTrue(System.nanoTime() < deadline, "ingress offer failed");
            raw.pollEgress();
            Thread.yield();
        }
    }

    private void awaitConnected()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (node.role() != io.aeron.cluster.service.Cluster.Role.LEADER)
        {
            assertTrue(System.nanoTime() < deadline, "no leader");
            Thread.yield();
        }
        // The member's own archive (a spy) counts as a subscriber, so the member publishes at once: the collector
        // must be connected before the first message, or it joins after it (the archive still has it).
        while (!collector.subscription.isConnected())
        {
            assertTrue(System.nanoTime() < deadline, "sequenced stream not connected");
            Thread.yield();
        }
    }
}
