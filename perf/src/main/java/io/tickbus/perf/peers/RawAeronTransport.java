package io.tickbus.perf.peers;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

/**
 * Raw Aeron, the limit on this machine: publications and subscriptions on the same driver as Tickbus, the bytes
 * echoed back unread (no SBE decode, no bus client).
 * <p>
 * Threading: as {@link PeerTransport}. Allocates the publications, subscriptions and handlers on open only.
 */
public final class RawAeronTransport implements PeerTransport
{
    /** Stream id of pings. */
    public static final int PING_STREAM = 9101;
    /** Stream id of pongs. */
    public static final int PONG_STREAM = 9102;
    /** Stream id of the throughput run. */
    public static final int DATA_STREAM = 9103;

    private final Aeron aeron;
    private final String transport;
    private final String pingChannel;
    private final String pongChannel;
    private final String dataChannel;
    private ExclusivePublication pingPublication;
    private Subscription pingSubscription;
    private ExclusivePublication pongPublication;
    private Subscription pongSubscription;
    private FragmentHandler pongHandler;
    private FragmentHandler echoHandler;
    private ExclusivePublication dataPublication;
    private Subscription dataSubscription;
    private FragmentHandler dataHandler;

    /**
     * @param aeron client connected to the driver.
     * @param transport name of the transport for the table.
     * @param pingChannel channel of pings.
     * @param pongChannel channel of pongs.
     * @param dataChannel channel of the throughput run.
     */
    public RawAeronTransport(
        final Aeron aeron,
        final String transport,
        final String pingChannel,
        final String pongChannel,
        final String dataChannel)
    {
        this.aeron = aeron;
        this.transport = transport;
        this.pingChannel = pingChannel;
        this.pongChannel = pongChannel;
        this.dataChannel = dataChannel;
    }

    /** {@inheritDoc} */
    public String system()
    {
        return "raw Aeron";
    }

    /** {@inheritDoc} */
    public String transport()
    {
        return transport;
    }

    /** {@inheritDoc} */
    public void openPingPong(final PayloadHandler onPong)
    {
        pingPublication = aeron.addExclusivePublication(pingChannel, PING_STREAM);
        pingSubscription = aeron.addSubscription(pingChannel, PING_STREAM);
        pongPublication = aeron.addExclusivePublication(pongChannel, PONG_STREAM);
        pongSubscription = aeron.addSubscription(pongChannel, PONG_STREAM);
        pongHandler = new FragmentAssembler(
            (buffer, offset, length, header) -> onPong.onPayload(buffer, offset, length));
        echoHandler = new FragmentAssembler((buffer, offset, length, header) ->
        {
            while (pongPublication.offer(buffer, offset, length) < 0)
            {
                if (pongPublication.isClosed())
                {
                    return;
                }
                Thread.yield();
            }
        });
    }

    /** {@inheritDoc} */
    public boolean offerPing(final DirectBuffer buffer, final int offset, final int length)
    {
        return pingPublication.offer(buffer, offset, length) > 0;
    }

    /** {@inheritDoc} */
    public int pollPongs(final int limit)
    {
        return pongSubscription.poll(pongHandler, limit);
    }

    /** {@inheritDoc} */
    public int doEchoWork(final int limit)
    {
        return pingSubscription.poll(echoHandler, limit);
    }

    /** {@inheritDoc} */
    public void closePingPong()
    {
        CloseHelper.closeAll(pingPublication, pingSubscription, pongPublication, pongSubscription);
        pingPublication = null;
        pingSubscription = null;
        pongPublication = null;
        pongSubscription = null;
    }

    /** {@inheritDoc} */
    public void openThroughput(final PayloadHandler onData)
    {
        dataSubscription = aeron.addSubscription(dataChannel, DATA_STREAM);
        dataPublication = aeron.addExclusivePublication(dataChannel, DATA_STREAM);
        dataHandler = new FragmentAssembler(
            (buffer, offset, length, header) -> onData.onPayload(buffer, offset, length));
    }

    /** {@inheritDoc} */
    public boolean offerData(final DirectBuffer buffer, final int offset, final int length)
    {
        return dataPublication.offer(buffer, offset, length) > 0;
    }

    /** {@inheritDoc} */
    public int pollData(final int limit)
    {
        return dataSubscription.poll(dataHandler, limit);
    }

    /** {@inheritDoc} */
    public void closeThroughput()
    {
        CloseHelper.closeAll(dataPublication, dataSubscription);
        dataPublication = null;
        dataSubscription = null;
    }

    /** {@inheritDoc} */
    public void close()
    {
        closePingPong();
        closeThroughput();
    }
}
