package io.tickbus.sequencer;

import io.aeron.Aeron;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.driver.TickbusDriver;
import io.tickbus.sequencer.client.SequencerClient;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The sequenced path allocates nothing in steady state, on both of its threads: the feed's thread running
 * {@link SequencerClient#publish} and {@link SequencerClient#doWork()} (window, ingress offer, acks on egress), and
 * the clustered service's thread running {@link SequencerService} (de-duplication, stamping, publishing the
 * sequenced stream, acks, timers). Passes of the same size are measured one after the other until one allocates
 * nothing (the first fill the maps and pools and let the JIT compile the paths), at most 25, with the threads' allocated-bytes counters. One allocation per message would show as hundreds of
 * kilobytes; the slack covers the measuring calls and Aeron's occasional bookkeeping on the service's thread.
 */
@Timeout(120)
class SequencerAllocationTest
{
    private static final int PORT_BASE = 23400;
    private static final String SEQUENCED = "aeron:udp?endpoint=127.0.0.1:23490";
    private static final int STREAM = 2000;
    private static final int MESSAGES = 20_000;
    private static final int MAX_PASSES = 25;
    /** The measuring calls, and a class loaded the first time a rare path (a resend, a keep-alive) runs. */
    private static final long CLIENT_SLACK_BYTES = 16 * 1024;
    private static final long SERVICE_SLACK_BYTES = 64 * 1024;

    private SequencerNode node;
    private TickbusDriver clientDriver;
    private Aeron aeron;

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(aeron, clientDriver, node);
    }

    @Test
    void steadyStateSequencingAllocatesNothingOnTheClientOrTheService()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "allocation counting available");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);

        node = SequencerNode.launch(new SequencerNode.Context()
            .memberId(0)
            .members("127.0.0.1:" + PORT_BASE)
            .baseDir(new File(TickbusDriver.uniqueEmbeddedDir("seq-alloc")))
            .deleteOnStart(true)
            .deleteOnClose(true)
            .sequenced(SEQUENCED, STREAM)
            .credentials(FeedCredentials.of(Map.of(1, "alpha"))));
        clientDriver = TickbusDriver.launchEmbedded("seq-alloc-client");
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(clientDriver.aeronDirectoryName()));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (node.role() != io.aeron.cluster.service.Cluster.Role.LEADER || -1 == node.service().serviceThreadId())
        {
            assertTrue(System.nanoTime() < deadline, "no leader");
            Thread.yield();
        }

        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        try (SequencerClient feed = new SequencerClient(new SequencerClient.Context()
            .aeron(aeron)
            .feedId(1)
            .secret("alpha")
            .ingressEndpoints(node.ingressEndpoints())
            .backPressure(new BackPressurePolicy(TimeUnit.SECONDS.toNanos(10), BackPressurePolicy.Exhausted.FAIL))))
        {
            final long serviceThread = node.service().serviceThreadId();
            final long clientThread = Thread.currentThread().getId();
            long seq = 0;
            long clientAllocated = Long.MAX_VALUE;
            long serviceAllocated = Long.MAX_VALUE;
            int passes = 0;
            // Steady state is reached once the JIT has compiled the paths (interpreted code allocates what compiled
            // code does not, and on a loaded box compilation can lag): measure pass after pass until one is clean, at
            // most MAX_PASSES. An allocation per message never gets there: it costs MESSAGES times its size each pass.
            while (passes < MAX_PASSES &&
                (clientAllocated > CLIENT_SLACK_BYTES || serviceAllocated > SERVICE_SLACK_BYTES))
            {
                final long overheadStart = threads.getThreadAllocatedBytes(clientThread);
                final long overheadEnd = threads.getThreadAllocatedBytes(clientThread);
                final long serviceStart = threads.getThreadAllocatedBytes(serviceThread);
                final long clientStart = threads.getThreadAllocatedBytes(clientThread);
                seq = pass(feed, buffer, seq);
                final long clientEnd = threads.getThreadAllocatedBytes(clientThread);
                final long serviceEnd = threads.getThreadAllocatedBytes(serviceThread);
                assertTrue(serviceStart > 0 && serviceEnd > 0, "the service's thread is alive and counted");
                clientAllocated = (clientEnd - clientStart) - (overheadEnd - overheadStart);
                serviceAllocated = serviceEnd - serviceStart;
                passes++;
            }

            assertEquals(passes * (long)MESSAGES, feed.lastAckedSourceSeq(), "every message sequenced and acknowledged");
            assertTrue(clientAllocated <= CLIENT_SLACK_BYTES, "client thread allocated " + clientAllocated +
                " bytes over " + MESSAGES + " messages in the last of " + passes + " passes");
            assertTrue(serviceAllocated <= SERVICE_SLACK_BYTES, "service thread allocated " + serviceAllocated +
                " bytes over " + MESSAGES + " messages in the last of " + passes + " passes");
        }
    }

    private final io.tickbus.sbe.HeartbeatEncoder heartbeat = new io.tickbus.sbe.HeartbeatEncoder();
    private final io.tickbus.sbe.MessageHeaderEncoder header = new io.tickbus.sbe.MessageHeaderEncoder();

    /** As {@link SequencerTestSupport#encode}, with encoders kept: the test itself must not allocate either. */
    private int encode(final UnsafeBuffer buffer, final long sourceSeq)
    {
        heartbeat.wrapAndApplyHeader(buffer, 0, header);
        heartbeat.common().globalSeq(0).sequencerTime(0).sourceSeq(sourceSeq).exchangeTime(sourceSeq * 1000)
            .receiveTime(0).publishTime(0).instrumentId(7).feedId(1);
        return io.tickbus.sbe.MessageHeaderEncoder.ENCODED_LENGTH + heartbeat.encodedLength();
    }

    /**
     * Publish MESSAGES, then wait for every ack. Nothing on this thread reads the sequenced stream (the member's own
     * archive does), so what is measured here is the client alone.
     */
    private long pass(final SequencerClient feed, final UnsafeBuffer buffer, final long fromSeq)
    {
        long seq = fromSeq;
        for (int i = 0; i < MESSAGES; i++)
        {
            assertTrue(feed.publish(buffer, 0, encode(buffer, ++seq)) > 0);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (feed.unacknowledged() > 0)
        {
            if (System.nanoTime() >= deadline) // the message is built only on failure: this loop is measured
            {
                fail("not acknowledged: unacked=" + feed.unacknowledged());
            }
            feed.doWork();
            Thread.yield();
        }
        return seq;
    }
}
