package io.tickbus.perf.peers;

import io.aeron.Aeron;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.CachedEpochNanoClock;
import io.tickbus.client.MarketDataListener;
import io.tickbus.sbe.BookSnapshotDecoder;
import io.tickbus.sbe.HeartbeatDecoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Tickbus direct path: every ping and pong goes through {@link BusPublisher} (publish-time stamp, counted offer) and
 * {@link BusSubscriber} (SBE decode and dispatch); the echo side decodes the whole message before sending it back.
 * <p>
 * Threading: as {@link PeerTransport}. Allocates the bus clients, listeners and an echo buffer on open only.
 */
public final class TickbusTransport implements PeerTransport
{
    private static final BackPressurePolicy REFUSE_AT_ONCE =
        new BackPressurePolicy(0, BackPressurePolicy.Exhausted.DROP);

    private final Aeron aeron;
    private final String transport;
    private final String pingChannel;
    private final String pongChannel;
    private final String dataChannel;
    private final UnsafeBuffer echoBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final OffsetEpochNanoClock clock = new OffsetEpochNanoClock();
    private final String system;
    private final int clockUpdateMask;
    private final CachedEpochNanoClock dataClock;
    private long dataOffers;
    private BusPublisher pingPublisher;
    private BusSubscriber pingSubscriber;
    private BusPublisher pongPublisher;
    private BusSubscriber pongSubscriber;
    private BusPublisher dataPublisher;
    private BusSubscriber dataSubscriber;

    /**
     * @param aeron client connected to the driver.
     * @param transport name of the transport for the table.
     * @param pingChannel channel of pings.
     * @param pongChannel channel of pongs.
     * @param dataChannel channel of the throughput run.
     */
    public TickbusTransport(
        final Aeron aeron,
        final String transport,
        final String pingChannel,
        final String pongChannel,
        final String dataChannel)
    {
        this(aeron, "Tickbus direct", transport, pingChannel, pongChannel, dataChannel, 0);
    }

    /**
     * @param aeron client connected to the driver.
     * @param system name of the system for the table.
     * @param transport name of the transport for the table.
     * @param pingChannel channel of pings.
     * @param pongChannel channel of pongs.
     * @param dataChannel channel of the throughput run.
     * @param cachedClockBatch 0 to stamp every message with a fresh clock read; a power of two n to have the
     * throughput run's publisher stamp from a {@link CachedEpochNanoClock} updated once per n messages offered (a
     * publisher duty cycle of n messages). Pings always read the clock.
     */
    public TickbusTransport(
        final Aeron aeron,
        final String system,
        final String transport,
        final String pingChannel,
        final String pongChannel,
        final String dataChannel,
        final int cachedClockBatch)
    {
        if (cachedClockBatch < 0 || (cachedClockBatch & (cachedClockBatch - 1)) != 0)
        {
            throw new IllegalArgumentException("cachedClockBatch must be 0 or a power of two: " + cachedClockBatch);
        }
        this.system = system;
        this.clockUpdateMask = cachedClockBatch - 1;
        this.dataClock = 0 == cachedClockBatch ? null : new CachedEpochNanoClock(clock);
        this.aeron = aeron;
        this.transport = transport;
        this.pingChannel = pingChannel;
        this.pongChannel = pongChannel;
        this.dataChannel = dataChannel;
    }

    /** {@inheritDoc} */
    public String system()
    {
        return system;
    }

    /** {@inheritDoc} */
    public String transport()
    {
        return transport;
    }

    /** {@inheritDoc} */
    public void openPingPong(final PayloadHandler onPong)
    {
        pingPublisher = new BusPublisher(aeron, pingChannel, RawAeronTransport.PING_STREAM, REFUSE_AT_ONCE, clock);
        pongPublisher = new BusPublisher(aeron, pongChannel, RawAeronTransport.PONG_STREAM,
            new BackPressurePolicy(1_000_000_000L, BackPressurePolicy.Exhausted.DROP), clock);
        pongSubscriber = new BusSubscriber(aeron, pongChannel, RawAeronTransport.PONG_STREAM, forwardTo(onPong));
        pingSubscriber = new BusSubscriber(aeron, pingChannel, RawAeronTransport.PING_STREAM, new Echo());
    }

    /** {@inheritDoc} */
    public boolean offerPing(final DirectBuffer buffer, final int offset, final int length)
    {
        return pingPublisher.offer((MutableDirectBuffer)buffer, offset, length) > 0;
    }

    /** {@inheritDoc} */
    public int pollPongs(final int limit)
    {
        return pongSubscriber.poll(limit);
    }

    /** {@inheritDoc} */
    public int doEchoWork(final int limit)
    {
        return pingSubscriber.poll(limit);
    }

    /** {@inheritDoc} */
    public void closePingPong()
    {
        CloseHelper.closeAll(pingPublisher, pingSubscriber, pongPublisher, pongSubscriber);
        pingPublisher = null;
        pingSubscriber = null;
        pongPublisher = null;
        pongSubscriber = null;
    }

    /** {@inheritDoc} */
    public void openThroughput(final PayloadHandler onData)
    {
        dataSubscriber = new BusSubscriber(aeron, dataChannel, RawAeronTransport.DATA_STREAM, forwardTo(onData));
        dataPublisher = new BusPublisher(aeron, dataChannel, RawAeronTransport.DATA_STREAM, REFUSE_AT_ONCE,
            null == dataClock ? clock : dataClock);
    }

    /** {@inheritDoc} */
    public boolean offerData(final DirectBuffer buffer, final int offset, final int length)
    {
        if (null != dataClock && 0 == (dataOffers++ & clockUpdateMask))
        {
            dataClock.update();
        }
        return dataPublisher.offer((MutableDirectBuffer)buffer, offset, length) > 0;
    }

    /** {@inheritDoc} */
    public int pollData(final int limit)
    {
        return dataSubscriber.poll(limit);
    }

    /** {@inheritDoc} */
    public void closeThroughput()
    {
        CloseHelper.closeAll(dataPublisher, dataSubscriber);
        dataPublisher = null;
        dataSubscriber = null;
    }

    /** {@inheritDoc} */
    public void close()
    {
        closePingPong();
        closeThroughput();
    }

    /** Decodes each ping whole (as a strategy would), then publishes the same bytes back as the pong. */
    private final class Echo extends Workload.EchoDecoder
    {
        private int length;

        public void onMessage(
            final DirectBuffer buffer, final int offset, final int length, final int templateId, final long position)
        {
            echoBuffer.putBytes(0, buffer, offset, length);
            this.length = length;
        }

        public void onHeartbeat(final HeartbeatDecoder msg)
        {
            pongPublisher.offer(echoBuffer, 0, length);
        }

        public void onBookSnapshot(final BookSnapshotDecoder msg)
        {
            super.onBookSnapshot(msg);
            pongPublisher.offer(echoBuffer, 0, length);
        }
    }

    private static MarketDataListener forwardTo(final PayloadHandler handler)
    {
        return new MarketDataListener()
        {
            public void onMessage(
                final DirectBuffer buffer, final int offset, final int length, final int templateId,
                final long position)
            {
                handler.onPayload(buffer, offset, length);
            }
        };
    }
}
