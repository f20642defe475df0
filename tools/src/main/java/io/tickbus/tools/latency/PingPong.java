package io.tickbus.tools.latency;

import io.aeron.Aeron;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.latency.Hop;
import io.tickbus.client.latency.HopHistograms;
import io.tickbus.sbe.HeartbeatEncoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.Venue;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The active round-trip probe: sends a Heartbeat on the ping stream, stamped with its publish time, waits for the
 * echo to come back on the pong stream, and records {@code now - publishTime} as {@link Hop#ROUND_TRIP}. One
 * message in flight at a time. The echo side is an {@link Echo}, in this process or another.
 * <p>
 * Threading: one thread. Allocation: none per ping.
 */
public final class PingPong implements AutoCloseable
{
    private static final long REPLY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final EpochNanoClock clock;
    private final IdleStrategy idle;
    private final BusPublisher ping;
    private final BusSubscriber pong;
    private final Echo localEcho;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(128));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final HopHistograms histograms;
    private long expectedSeq;
    private boolean replied;
    private boolean recording;

    /**
     * @param aeron client.
     * @param pingChannel channel pings go out on.
     * @param pingStream stream pings go out on.
     * @param pongChannel channel echoes come back on.
     * @param pongStream stream echoes come back on.
     * @param localEcho run the echo side in this process.
     * @param clock epoch clock for stamps and now.
     * @param idle how to wait.
     * @param histograms where round trips are recorded.
     */
    public PingPong(
        final Aeron aeron,
        final String pingChannel,
        final int pingStream,
        final String pongChannel,
        final int pongStream,
        final boolean localEcho,
        final EpochNanoClock clock,
        final IdleStrategy idle,
        final HopHistograms histograms)
    {
        this.clock = clock;
        this.idle = idle;
        this.histograms = histograms;
        this.localEcho = localEcho ? new Echo(aeron, pingChannel, pingStream, pongChannel, pongStream) : null;
        this.ping = new BusPublisher(aeron, pingChannel, pingStream, BackPressurePolicy.DEFAULT, clock);
        this.pong = new BusSubscriber(aeron, pongChannel, pongStream, new MarketDataListener()
        {
            public void onMessage(
                final DirectBuffer msg, final int offset, final int length, final int templateId, final long position)
            {
                onPong(msg, offset);
            }
        });
    }

    /**
     * Wait until pings can flow both ways.
     *
     * @param timeoutNs how long to wait.
     * @throws IllegalStateException when the echo side does not connect in time.
     */
    public void awaitConnected(final long timeoutNs)
    {
        awaitOrFail(() -> ping.isConnected() && pong.isConnected(), timeoutNs,
            "no echo connected within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + "s (run 'tickbus latency --echo' " +
            "with the same channels on the other side, or drop --remote-echo)");
    }

    /**
     * Send pings one at a time and record their round trips.
     *
     * @param warmup pings sent first and not recorded.
     * @param count pings recorded.
     * @param stop checked between pings; true ends the run early.
     * @return pings recorded.
     */
    public long run(final long warmup, final long count, final BooleanSupplier stop)
    {
        long recorded = 0;
        for (long i = 0; i < warmup + count && !stop.getAsBoolean(); i++)
        {
            recording = i >= warmup;
            expectedSeq = i + 1;
            replied = false;
            buffer.setMemory(0, MessageHeaderEncoder.ENCODED_LENGTH + HeartbeatEncoder.BLOCK_LENGTH, (byte)0);
            heartbeat.wrapAndApplyHeader(buffer, 0, header).common().sourceSeq(expectedSeq).venue(Venue.UNKNOWN);
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + heartbeat.encodedLength();
            final long deadline = System.nanoTime() + REPLY_TIMEOUT_NS;
            idle.reset();
            while (ping.offer(buffer, 0, length) <= 0)
            {
                checkDeadline(pollOnce(), deadline, "ping could not be sent (echo gone?)");
            }
            idle.reset();
            while (!replied)
            {
                checkDeadline(pollOnce(), deadline, "no echo within 5s");
            }
            if (recording)
            {
                recorded++;
            }
        }
        return recorded;
    }

    private void onPong(final DirectBuffer msg, final int offset)
    {
        final long now = clock.nanoTime();
        if (CommonBlock.sourceSeq(msg, offset) == expectedSeq)
        {
            replied = true;
            if (recording)
            {
                histograms.record(Hop.ROUND_TRIP, CommonBlock.publishTime(msg, offset), now);
            }
        }
    }

    private void awaitOrFail(final BooleanSupplier condition, final long timeoutNs, final String failure)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        idle.reset();
        while (!condition.getAsBoolean())
        {
            checkDeadline(pollOnce(), deadline, failure);
        }
    }

    private int pollOnce()
    {
        int work = pong.poll(16);
        if (null != localEcho)
        {
            work += localEcho.poll();
        }
        return work;
    }

    private void checkDeadline(final int work, final long deadline, final String failure)
    {
        if (0 == work && System.nanoTime() - deadline > 0)
        {
            throw new IllegalStateException(0 == expectedSeq ? failure : failure + " (ping " + expectedSeq + ")");
        }
        idle.idle(work);
    }

    /** Close both sides. */
    public void close()
    {
        CloseHelper.closeAll(pong, ping, localEcho);
    }

    /**
     * The echo side: republishes every message of the ping stream, untouched, on the pong stream.
     * <p>
     * Threading: one thread polls. Allocation: none per message.
     */
    public static final class Echo implements AutoCloseable
    {
        private final BusSubscriber in;
        private final BusPublisher out;
        private long echoed;

        /**
         * @param aeron client.
         * @param pingChannel channel pings arrive on.
         * @param pingStream stream pings arrive on.
         * @param pongChannel channel echoes go out on.
         * @param pongStream stream echoes go out on.
         */
        public Echo(
            final Aeron aeron,
            final String pingChannel,
            final int pingStream,
            final String pongChannel,
            final int pongStream)
        {
            out = new BusPublisher(aeron, pongChannel, pongStream);
            in = new BusSubscriber(aeron, pingChannel, pingStream, new MarketDataListener()
            {
                public void onMessage(
                    final DirectBuffer msg, final int offset, final int length, final int templateId, final long pos)
                {
                    if (out.offerAsIs(msg, offset, length) > 0)
                    {
                        echoed++;
                    }
                }
            });
        }

        /** @return work done. */
        public int poll()
        {
            return in.poll(16);
        }

        /** @return messages echoed. */
        public long echoed()
        {
            return echoed;
        }

        /** Close both streams. */
        public void close()
        {
            CloseHelper.closeAll(in, out);
        }
    }
}
