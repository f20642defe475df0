package io.tickbus.perf.peers;

import io.aeron.Aeron;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.MarketDataListener;
import io.tickbus.perf.LoopbackSequencers;
import io.tickbus.sequencer.client.SequencerClient;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The Tickbus sequenced path with a 1-member or a 3-member cluster ({@link LoopbackSequencers}, every member in this
 * process with its own driver): the sender publishes through a {@link SequencerClient} (cluster ingress, UDP on
 * 127.0.0.1), the leader sequences (with 3 members, once a majority has the message in its log) and publishes on the
 * sequenced stream (UDP on 127.0.0.1), and a {@link BusSubscriber} receives it. The "round trip" of this case is one pass through
 * the sequencer: the pinger's own thread receives its ping back from the sequenced stream (no echo hop), so it is
 * what a strategy on the same host sees of a feed message, from the feed handler's send to delivery.
 * <p>
 * The sequencer keys de-duplication on a strictly increasing source sequence, where the workload carries the ping's
 * scheduled time; so each message is copied once on the way in with its own source sequence and the scheduled time
 * moved to the exchangeTime slot, and moved back on the way out (a 64-256 byte copy each side, charged to this case).
 * <p>
 * Threading: as {@link PeerTransport}; the client's duty cycle runs on the sending thread (in {@link #offerPing},
 * {@link #pollPongs} and {@link #offerData}); the members run their own drivers and cluster threads (SHARED,
 * back-off). Allocates the members, client and buffers on construction.
 */
public final class SequencedTransport implements PeerTransport
{
    private static final int SEQUENCED_STREAM = 2000;
    private static final long LEADER_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final BackPressurePolicy REFUSE_AT_ONCE =
        new BackPressurePolicy(0, BackPressurePolicy.Exhausted.DROP);

    private final Aeron aeron;
    private final String sequencedChannel;
    private final LoopbackSequencers cluster;
    private final SequencerClient client;
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final UnsafeBuffer receiveBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private long sourceSeq;
    private long dataOffers;
    private BusSubscriber pongSubscriber;
    private BusSubscriber dataSubscriber;

    /**
     * Launch the cluster, wait for its leader and connect a client to it.
     *
     * @param aeron client connected to the harness's driver (the client and the subscribers use it).
     * @param portBase first of the UDP ports on 127.0.0.1: the members' (portBase + 10 * member and the next four),
     * the sequenced stream portBase + 90, egress portBase + 95.
     * @param memberCount 1 or 3.
     * @throws InterruptedException when interrupted waiting for the leader.
     */
    public SequencedTransport(final Aeron aeron, final int portBase, final int memberCount)
        throws InterruptedException
    {
        this.aeron = aeron;
        sequencedChannel = "aeron:udp?endpoint=127.0.0.1:" + (portBase + 90);
        LoopbackSequencers launched = null;
        SequencerClient connected = null;
        try
        {
            launched = new LoopbackSequencers(
                "peers-sequencer", memberCount, portBase, sequencedChannel, SEQUENCED_STREAM);
            if (launched.awaitLeader(-1, System.nanoTime() + LEADER_TIMEOUT_NS) < 0)
            {
                throw new IllegalStateException(memberCount + "-member sequencer elected no leader in 30 s");
            }
            connected = new SequencerClient(new SequencerClient.Context()
                .aeron(aeron)
                .feedId(1)
                .ingressEndpoints(launched.ingressEndpoints())
                .egressChannel("aeron:udp?endpoint=127.0.0.1:" + (portBase + 95))
                .backPressure(REFUSE_AT_ONCE));
        }
        catch (final InterruptedException | RuntimeException ex)
        {
            CloseHelper.quietCloseAll(connected, launched);
            throw ex;
        }
        cluster = launched;
        client = connected;
    }

    /** {@inheritDoc} */
    public String system()
    {
        return "Tickbus sequenced";
    }

    /** {@inheritDoc} */
    public String transport()
    {
        return cluster.memberCount() + "-member cluster, udp 127.0.0.1, one pass";
    }

    /** {@inheritDoc} */
    public boolean slowPeer()
    {
        return true;
    }

    /** {@inheritDoc} */
    public int doSenderWork()
    {
        return client.doWork();
    }

    /** {@inheritDoc} */
    public void openPingPong(final PayloadHandler onPong)
    {
        pongSubscriber = new BusSubscriber(aeron, sequencedChannel, SEQUENCED_STREAM, restoreTo(onPong));
    }

    /** {@inheritDoc} */
    public boolean offerPing(final DirectBuffer buffer, final int offset, final int length)
    {
        final boolean sent = send(buffer, offset, length);
        client.doWork();
        return sent;
    }

    /** {@inheritDoc} */
    public int pollPongs(final int limit)
    {
        return client.doWork() + pongSubscriber.poll(limit);
    }

    /** {@inheritDoc} */
    public int doEchoWork(final int limit)
    {
        return 0;
    }

    /** {@inheritDoc} */
    public void closePingPong()
    {
        CloseHelper.close(pongSubscriber);
        pongSubscriber = null;
    }

    /** {@inheritDoc} */
    public void openThroughput(final PayloadHandler onData)
    {
        dataSubscriber = new BusSubscriber(aeron, sequencedChannel, SEQUENCED_STREAM, restoreTo(onData));
    }

    /** {@inheritDoc} */
    public boolean offerData(final DirectBuffer buffer, final int offset, final int length)
    {
        final boolean sent = send(buffer, offset, length);
        if (!sent || 0 == (++dataOffers & 63))
        {
            client.doWork();
        }
        return sent;
    }

    /** {@inheritDoc} */
    public int pollData(final int limit)
    {
        return dataSubscriber.poll(limit);
    }

    /** {@inheritDoc} */
    public void closeThroughput()
    {
        CloseHelper.close(dataSubscriber);
        dataSubscriber = null;
    }

    /** {@inheritDoc} */
    public void close()
    {
        closePingPong();
        closeThroughput();
        CloseHelper.closeAll(client, cluster);
    }

    private boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        sendBuffer.putBytes(0, buffer, offset, length);
        sendBuffer.putLong(CommonBlock.EXCHANGE_TIME_OFFSET, Workload.scheduledTime(buffer, offset),
            ByteOrder.LITTLE_ENDIAN);
        sendBuffer.putLong(CommonBlock.SOURCE_SEQ_OFFSET, sourceSeq + 1, ByteOrder.LITTLE_ENDIAN);
        final long result = client.publish(sendBuffer, 0, length);
        if (result > 0)
        {
            sourceSeq++;
            return true;
        }
        return false;
    }

    private MarketDataListener restoreTo(final PayloadHandler handler)
    {
        return new MarketDataListener()
        {
            public void onMessage(
                final DirectBuffer buffer, final int offset, final int length, final int templateId,
                final long position)
            {
                receiveBuffer.putBytes(0, buffer, offset, length);
                Workload.scheduledTime(receiveBuffer, 0, CommonBlock.exchangeTime(buffer, offset));
                handler.onPayload(receiveBuffer, 0, length);
            }
        };
    }
}
