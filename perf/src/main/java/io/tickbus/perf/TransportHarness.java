package io.tickbus.perf;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.client.BusChannels;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.ProcessEpochClock;
import io.tickbus.driver.TickbusDriver;
import io.tickbus.perf.peers.Workload;
import io.tickbus.sbe.HeartbeatDecoder;
import io.tickbus.sbe.BookSnapshotDecoder;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Round-trip latency (ping-pong at a fixed send rate, timed from the scheduled send time so coordinated omission
 * is corrected) and one-way throughput of raw Aeron against the Tickbus bus client, on one embedded driver.
 * <p>
 * Usage: {@code java -jar perf/target/benchmarks.jar}'s classpath:
 * {@code java -cp perf/target/benchmarks.jar io.tickbus.perf.TransportHarness [samples] [rate]}. Prints a table;
 * figures go to docs/benchmarks.md. Not a test: nothing is asserted. The same workload over the peer systems (JeroMQ,
 * NATS, MQTT, Chronicle Queue) is {@link io.tickbus.perf.peers.PeerComparison}.
 */
public final class TransportHarness
{
    private static final int PING_STREAM = 9001;
    private static final int PONG_STREAM = 9002;
    private static final int THROUGHPUT_STREAM = 9003;

    private TransportHarness()
    {
    }

    /** One measured case. */
    private record Case(String system, String channel, int size, boolean tickbus)
    {
    }

    /**
     * @param args optional: samples (default 100000), rate per second (default 10000), throughput messages
     * (default 5000000).
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int samples = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final int rate = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        final int throughputMessages = args.length > 2 ? Integer.parseInt(args[2]) : 5_000_000;
        final Case[] cases = {
            new Case("raw Aeron", BusChannels.IPC, 64, false),
            new Case("Tickbus direct", BusChannels.IPC, 64, true),
            new Case("raw Aeron", BusChannels.IPC, 256, false),
            new Case("Tickbus direct", BusChannels.IPC, 256, true),
            new Case("raw Aeron", "aeron:udp?endpoint=127.0.0.1:20601", 64, false),
            new Case("Tickbus direct", "aeron:udp?endpoint=127.0.0.1:20603", 64, true),
        };
        System.out.printf(Locale.ROOT, "%-15s %-40s %5s %8s %9s %9s %9s %9s %9s %12s%n",
            "system", "channel", "size", "rate/s", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us", "msgs/s");
        try (TickbusDriver driver = TickbusDriver.launchEmbedded("harness");
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName())))
        {
            for (final Case c : cases)
            {
                final String pongChannel = c.channel.startsWith("aeron:udp") ?
                    c.channel.replaceAll(":(\\d+)$", "") + ":" + (portOf(c.channel) + 1) : c.channel;
                final Histogram histogram = pingPong(aeron, c, pongChannel, samples, rate);
                final double throughput = throughput(aeron, c, throughputMessages);
                System.out.printf(Locale.ROOT, "%-15s %-40s %5d %8d %9.2f %9.2f %9.2f %9.2f %9.2f %12.0f%n",
                    c.system, c.channel, c.size, rate,
                    histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(90) / 1000.0,
                    histogram.getValueAtPercentile(99) / 1000.0, histogram.getValueAtPercentile(99.9) / 1000.0,
                    histogram.getMaxValue() / 1000.0, throughput);
            }
        }
    }

    private static int portOf(final String channel)
    {
        return Integer.parseInt(channel.substring(channel.lastIndexOf(':') + 1));
    }

    /** Encodes the shared workload's message of the case's size (see {@link Workload}); raw sends zeroed bytes. */
    private static int encode(final UnsafeBuffer buffer, final Case c)
    {
        if (!c.tickbus)
        {
            return c.size;
        }
        return new Workload.Encoder(c.size).encode(buffer);
    }

    private static Histogram pingPong(
        final Aeron aeron, final Case c, final String pongChannel, final int samples, final int rate)
        throws InterruptedException
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final AtomicBoolean running = new AtomicBoolean(true);
        final UnsafeBuffer pingBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        final int length = encode(pingBuffer, c);
        // The scheduled send time travels in the sourceSeq slot of the common block; raw uses offset 0.
        final int timeOffset = c.tickbus ? Workload.TIME_OFFSET : 0;

        final Thread pong = new Thread(() -> runPong(aeron, c, pongChannel, running), "pong");
        pong.start();

        final long warmup = Math.min(samples / 5, 20_000);
        final AtomicLong received = new AtomicLong();
        final FragmentHandler onPong = (buffer, offset, len, header) ->
        {
            final long scheduled = buffer.getLong(offset + timeOffset, ByteOrder.LITTLE_ENDIAN);
            if (received.incrementAndGet() > warmup)
            {
                histogram.recordValue(Math.min(System.nanoTime() - scheduled, histogram.getHighestTrackableValue()));
            }
        };
        final YieldingIdleStrategy idle = new YieldingIdleStrategy();
        try (Publication ping = aeron.addExclusivePublication(c.channel, PING_STREAM);
            Subscription pongs = aeron.addSubscription(pongChannel, PONG_STREAM))
        {
            while (!ping.isConnected() || !pongs.isConnected())
            {
                idle.idle();
            }
            final FragmentAssembler assembler = new FragmentAssembler(onPong);
            final long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
            final long total = warmup + samples;
            long next = System.nanoTime();
            for (long sent = 0; sent < total; sent++)
            {
                while (System.nanoTime() < next)
                {
                    pongs.poll(assembler, 16);
                }
                pingBuffer.putLong(timeOffset, next, ByteOrder.LITTLE_ENDIAN);
                while (ping.offer(pingBuffer, 0, length) < 0)
                {
                    pongs.poll(assembler, 16);
                }
                next += intervalNs;
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.get() < total && System.nanoTime() < deadline)
            {
                if (pongs.poll(assembler, 16) == 0)
                {
                    idle.idle();
                }
            }
        }
        finally
        {
            running.set(false);
            pong.join();
        }
        return histogram;
    }

    /** Echo side: raw copies the bytes back; Tickbus decodes with the subscriber and re-publishes via the client. */
    private static void runPong(final Aeron aeron, final Case c, final String pongChannel, final AtomicBoolean running)
    {
        final YieldingIdleStrategy idle = new YieldingIdleStrategy();
        if (!c.tickbus)
        {
            try (Subscription pings = aeron.addSubscription(c.channel, PING_STREAM);
                Publication pong = aeron.addExclusivePublication(pongChannel, PONG_STREAM))
            {
                final FragmentHandler echo = (buffer, offset, length, header) ->
                {
                    while (pong.offer(buffer, offset, length) < 0)
                    {
                        idle.idle();
                    }
                };
                while (running.get())
                {
                    idle.idle(pings.poll(echo, 16));
                }
            }
            return;
        }
        final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        try (BusPublisher pong = new BusPublisher(aeron, pongChannel, PONG_STREAM,
            new BackPressurePolicy(TimeUnit.SECONDS.toNanos(1), BackPressurePolicy.Exhausted.DROP),
            ProcessEpochClock.get()))
        {
            final MarketDataListener echo = new MarketDataListener()
            {
                public void onMessage(
                    final DirectBuffer buffer, final int offset, final int length, final int templateId,
                    final long position)
                {
                    out.putBytes(0, buffer, offset, length);
                    pong.offer(out, 0, length);
                }

                public void onHeartbeat(final HeartbeatDecoder msg)
                {
                }

                public void onBookSnapshot(final BookSnapshotDecoder msg)
                {
                    for (final BookSnapshotDecoder.LevelsDecoder level : msg.levels())
                    {
                        level.price();
                    }
                }
            };
            try (BusSubscriber pings = new BusSubscriber(aeron, c.channel, PING_STREAM, echo))
            {
                while (running.get())
                {
                    idle.idle(pings.poll(16));
                }
            }
        }
    }

    private static double throughput(final Aeron aeron, final Case c, final int messages) throws InterruptedException
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        final int length = encode(buffer, c);
        final AtomicLong received = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        final String channel = c.channel.startsWith("aeron:udp") ?
            c.channel.replaceAll(":(\\d+)$", "") + ":" + (portOf(c.channel) + 50) : c.channel;
        final Thread consumer;
        final Subscription rawSub = c.tickbus ? null : aeron.addSubscription(channel, THROUGHPUT_STREAM);
        final BusSubscriber busSub = c.tickbus ?
            new BusSubscriber(aeron, channel, THROUGHPUT_STREAM, new MarketDataListener()
            {
                public void onHeartbeat(final HeartbeatDecoder msg)
                {
                    received.lazySet(received.get() + 1);
                }

                public void onBookSnapshot(final BookSnapshotDecoder msg)
                {
                    received.lazySet(received.get() + 1);
                }
            }) : null;
        final FragmentHandler count = (b, o, l, h) -> received.lazySet(received.get() + 1);
        consumer = new Thread(() ->
        {
            final YieldingIdleStrategy idle = new YieldingIdleStrategy();
            while (running.get())
            {
                idle.idle(null != busSub ? busSub.poll(256) : rawSub.poll(count, 256));
            }
        }, "consumer");
        consumer.start();
        final YieldingIdleStrategy idle = new YieldingIdleStrategy();
        long elapsed;
        try (Publication rawPub = c.tickbus ? null : aeron.addExclusivePublication(channel, THROUGHPUT_STREAM);
            BusPublisher busPub = c.tickbus ? new BusPublisher(aeron, channel, THROUGHPUT_STREAM,
                new BackPressurePolicy(0, BackPressurePolicy.Exhausted.DROP), ProcessEpochClock.get()) : null)
        {
            while (!(c.tickbus ? busPub.isConnected() : rawPub.isConnected()))
            {
                idle.idle();
            }
            final long start = System.nanoTime();
            final long limit = start + TimeUnit.SECONDS.toNanos(10);
            long sent = 0;
            while (sent < messages && System.nanoTime() < limit)
            {
                final long result = c.tickbus ? busPub.offer(buffer, 0, length) : rawPub.offer(buffer, 0, length);
                if (result > 0)
                {
                    sent++;
                }
                else
                {
                    Thread.onSpinWait();
                }
            }
            while (received.get() < sent && System.nanoTime() < limit + TimeUnit.SECONDS.toNanos(5))
            {
                idle.idle();
            }
            elapsed = System.nanoTime() - start;
        }
        finally
        {
            running.set(false);
            consumer.join();
            CloseHelper.closeAll(rawSub, busSub);
        }
        return received.get() * 1e9 / elapsed;
    }
}
