package io.tickbus.perf.peers;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the workload over one {@link PeerTransport}: ping-pong at a fixed rate, each round trip timed from its
 * scheduled send time (so a stalled sender is charged for every ping it should have sent: coordinated omission
 * corrected), then one-way throughput with loss counted. The same code measures raw Aeron, Tickbus and every peer.
 * <p>
 * Threading: call from one thread; starts an echo thread and a consumer thread (yielding, as the transport harness
 * does) unless the transport delivers on its own threads. Allocates per case, not per message.
 */
public final class PeerBench
{
    private static final long PROBE_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(15);
    private static final long DRAIN_IDLE_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long DRAIN_MAX_NS = TimeUnit.SECONDS.toNanos(5);

    private final int samples;
    private final long maxLatencyRunNs;
    private final long throughputMessages;
    private final long throughputNs;

    /**
     * @param samples round trips to record after the warm-up.
     * @param maxLatencyRunNs bound on one ping-pong run; a run that reaches it stops sending and says so.
     * @param throughputMessages messages to send in a throughput run.
     * @param throughputNs bound on the sending part of a throughput run.
     */
    public PeerBench(
        final int samples, final long maxLatencyRunNs, final long throughputMessages, final long throughputNs)
    {
        this.samples = samples;
        this.maxLatencyRunNs = maxLatencyRunNs;
        this.throughputMessages = throughputMessages;
        this.throughputNs = throughputNs;
    }

    /**
     * Measure one case.
     *
     * @param transport under test, closed by the caller.
     * @param sizeClass {@link Workload#SMALL} or {@link Workload#LARGE}.
     * @param rate pings per second.
     * @param caseSamples round trips to record at this rate.
     * @param withThroughput whether to run the throughput part too.
     * @return what was measured, with the error when the case failed.
     */
    public CaseResult run(
        final PeerTransport transport,
        final int sizeClass,
        final int rate,
        final int caseSamples,
        final boolean withThroughput)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        final int length = new Workload.Encoder(sizeClass).encode(buffer);
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final long[] pingCounts = new long[2];
        String note = "";
        String error = "";
        double throughput = 0;
        final long[] counts = { 0, 0, -1 };
        try
        {
            note = pingPong(transport, buffer, length, rate, caseSamples, histogram, pingCounts);
            if (withThroughput)
            {
                throughput = throughput(transport, buffer, length, counts);
            }
        }
        catch (final Exception ex)
        {
            error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
        return new CaseResult(
            transport.system(), transport.transport(), length, rate, histogram, pingCounts[0], pingCounts[1], note,
            throughput, counts[0], counts[1], counts[2], loadAverage(), error);
    }

    private String pingPong(
        final PeerTransport transport,
        final UnsafeBuffer buffer,
        final int length,
        final int rate,
        final int caseSamples,
        final Histogram histogram,
        final long[] pingCounts) throws Exception
    {
        final long warmup = Math.min(caseSamples / 5, 20_000);
        final AtomicLong received = new AtomicLong();
        final AtomicLong probes = new AtomicLong();
        final long highest = histogram.getHighestTrackableValue();
        final PayloadHandler onPong = (b, o, l) ->
        {
            final long scheduled = Workload.scheduledTime(b, o);
            if (Workload.PROBE == scheduled)
            {
                probes.incrementAndGet();
            }
            else if (received.incrementAndGet() > warmup)
            {
                histogram.recordValue(Math.min(System.nanoTime() - scheduled, highest));
            }
        };
        final AtomicBoolean running = new AtomicBoolean(true);
        transport.openPingPong(onPong);
        final Thread echo = startPoller(transport, running, true);
        String note = "";
        try
        {
            awaitProbe(transport, buffer, length, probes, true);
            final long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
            final long total = warmup + caseSamples;
            final long start = System.nanoTime();
            final long deadline = start + maxLatencyRunNs;
            long next = start;
            long sent = 0;
            while (sent < total)
            {
                long now;
                while ((now = System.nanoTime()) < next)
                {
                    if (0 == transport.pollPongs(16))
                    {
                        Thread.yield();
                    }
                }
                if (now > deadline)
                {
                    note = "stopped at the " + TimeUnit.NANOSECONDS.toSeconds(maxLatencyRunNs) + " s bound";
                    break;
                }
                Workload.scheduledTime(buffer, 0, next);
                while (!transport.offerPing(buffer, 0, length))
                {
                    if (System.nanoTime() > deadline + DRAIN_MAX_NS)
                    {
                        throw new IllegalStateException("ping refused for " +
                            TimeUnit.NANOSECONDS.toSeconds(DRAIN_MAX_NS) + " s past the bound");
                    }
                    if (0 == transport.pollPongs(16))
                    {
                        Thread.yield();
                    }
                }
                sent++;
                next += intervalNs;
            }
            final long drainEnd = System.nanoTime() + DRAIN_MAX_NS;
            while (received.get() < sent && System.nanoTime() < drainEnd)
            {
                if (0 == transport.pollPongs(16))
                {
                    Thread.yield();
                }
            }
            pingCounts[0] = Math.max(0, sent - warmup);
            pingCounts[1] = sent - received.get();
        }
        finally
        {
            running.set(false);
            join(echo);
            transport.closePingPong();
        }
        return note;
    }

    private double throughput(
        final PeerTransport transport, final UnsafeBuffer buffer, final int length, final long[] counts)
        throws Exception
    {
        final AtomicLong received = new AtomicLong();
        final AtomicLong probes = new AtomicLong();
        final PayloadHandler onData = (b, o, l) ->
        {
            if (Workload.PROBE == Workload.scheduledTime(b, o))
            {
                probes.lazySet(probes.get() + 1);
            }
            else
            {
                received.lazySet(received.get() + 1);
            }
        };
        final AtomicBoolean running = new AtomicBoolean(true);
        transport.openThroughput(onData);
        final Thread consumer = startPoller(transport, running, false);
        try
        {
            awaitProbe(transport, buffer, length, probes, false);
            Workload.scheduledTime(buffer, 0, 0);
            final long start = System.nanoTime();
            final long limit = start + throughputNs;
            long sent = 0;
            while (sent < throughputMessages)
            {
                if (transport.offerData(buffer, 0, length))
                {
                    if ((++sent & 1023) == 0 && System.nanoTime() > limit)
                    {
                        break;
                    }
                }
                else if (System.nanoTime() > limit)
                {
                    break;
                }
                else
                {
                    Thread.yield();
                }
            }
            long last = received.get();
            long lastProgress = System.nanoTime();
            final long drainEnd = lastProgress + DRAIN_MAX_NS;
            while (last < sent)
            {
                if (0 == transport.doSenderWork())
                {
                    Thread.sleep(1);
                }
                final long now = System.nanoTime();
                final long current = received.get();
                if (current != last)
                {
                    last = current;
                    lastProgress = now;
                }
                else if (now - lastProgress > DRAIN_IDLE_NS || now > drainEnd)
                {
                    break;
                }
            }
            counts[0] = sent;
            counts[1] = last;
            return last * 1e9 / (lastProgress - start);
        }
        finally
        {
            running.set(false);
            join(consumer);
            counts[2] = transport.reportedDrops();
            transport.closeThroughput();
        }
    }

    private static Thread startPoller(
        final PeerTransport transport, final AtomicBoolean running, final boolean echo)
    {
        if (!transport.polled())
        {
            return null;
        }
        final Thread thread = new Thread(() ->
        {
            final YieldingIdleStrategy idle = new YieldingIdleStrategy();
            while (running.get())
            {
                idle.idle(echo ? transport.doEchoWork(16) : transport.pollData(256));
            }
        }, echo ? "peer-echo" : "peer-consumer");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void join(final Thread thread) throws InterruptedException
    {
        if (null != thread)
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    private static void awaitProbe(
        final PeerTransport transport,
        final UnsafeBuffer buffer,
        final int length,
        final AtomicLong probes,
        final boolean pingPath) throws InterruptedException
    {
        Workload.scheduledTime(buffer, 0, Workload.PROBE);
        final long deadline = System.nanoTime() + CONNECT_TIMEOUT_NS;
        long nextProbe = 0;
        while (0 == probes.get())
        {
            final long now = System.nanoTime();
            if (now > deadline)
            {
                throw new IllegalStateException("no " + (pingPath ? "pong" : "data") + " for a probe within " +
                    TimeUnit.NANOSECONDS.toSeconds(CONNECT_TIMEOUT_NS) + " s: " + transport.transport());
            }
            if (now >= nextProbe)
            {
                final boolean accepted = pingPath ? transport.offerPing(buffer, 0, length) :
                    transport.offerData(buffer, 0, length);
                nextProbe = accepted ? now + PROBE_INTERVAL_NS : now;
            }
            if (pingPath)
            {
                transport.pollPongs(16);
            }
            Thread.sleep(1);
        }
        Thread.sleep(20);
        if (pingPath)
        {
            while (transport.pollPongs(64) > 0)
            {
                Thread.yield();
            }
        }
    }

    /**
     * @return the 1-minute load average from /proc/loadavg, or NaN where there is none.
     */
    public static double loadAverage()
    {
        try
        {
            final String text = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII);
            return Double.parseDouble(text.substring(0, text.indexOf(' ')));
        }
        catch (final IOException | RuntimeException ex)
        {
            return Double.NaN;
        }
    }
}
