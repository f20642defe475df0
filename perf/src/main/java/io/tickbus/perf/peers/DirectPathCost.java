package io.tickbus.perf.peers;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.CachedEpochNanoClock;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.driver.TickbusDriver;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;

/**
 * The direct path's cost per message, publisher side and subscriber side apart: one thread offers a batch over IPC
 * and then polls it back, and the thread's CPU time (not wall time, so other processes on a loaded box matter less)
 * is read around each half. Raw Aeron (ExclusivePublication, FragmentAssembler, a handler that reads one field, as
 * {@link PeerBench}'s consumer does) is set against each Tickbus piece: {@link BusPublisher#offer} with its own
 * epoch clock, {@link BusPublisher} with a clock the caller updates once per batch, {@link MessageDispatcher} behind
 * a raw subscription, and the whole {@link BusSubscriber}.
 * <p>
 * Usage: {@code java -cp perf/target/benchmarks.jar io.tickbus.perf.peers.DirectPathCost [rounds] [batch] [size]}
 * (defaults 2000, 256, 64). Not a test: nothing is asserted. Threading: one thread. Allocates at setup only.
 */
public final class DirectPathCost
{
    private static final int STREAM_BASE = 9201;

    private DirectPathCost()
    {
    }

    /**
     * @param args optional rounds, batch, size class (64 or 256).
     * @throws Exception on failure to start the embedded driver.
     */
    public static void main(final String[] args) throws Exception
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        final int batch = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        final int sizeClass = args.length > 2 ? Integer.parseInt(args[2]) : Workload.SMALL;
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        final int length = new Workload.Encoder(sizeClass).encode(buffer);
        Workload.scheduledTime(buffer, 0, 0);
        final long[] sink = new long[1];

        try (TickbusDriver driver = TickbusDriver.launchEmbedded("cost");
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName())))
        {
            final BackPressurePolicy refuse = new BackPressurePolicy(0, BackPressurePolicy.Exhausted.DROP);
            final OffsetEpochNanoClock ownClock = new OffsetEpochNanoClock();
            final CachedEpochNanoClock cached = new CachedEpochNanoClock(ownClock);
            final FragmentHandler readOne = (b, o, l, h) -> sink[0] += Workload.scheduledTime(b, o);
            final MarketDataListener listener = new MarketDataListener()
            {
                public void onMessage(
                    final DirectBuffer b, final int o, final int l, final int templateId, final long position)
                {
                    sink[0] += Workload.scheduledTime(b, o);
                }
            };

            final String channel = "aeron:ipc";
            final ExclusivePublication rawPub = aeron.addExclusivePublication(channel, STREAM_BASE);
            final Subscription rawSub = aeron.addSubscription(channel, STREAM_BASE);
            final BusPublisher busPub = new BusPublisher(aeron, channel, STREAM_BASE + 1, refuse, ownClock);
            final BusSubscriber busSub = new BusSubscriber(aeron, channel, STREAM_BASE + 1, listener);
            final BusPublisher cachedPub = new BusPublisher(aeron, channel, STREAM_BASE + 2, refuse, cached);
            final Subscription dispatchSub = aeron.addSubscription(channel, STREAM_BASE + 2);
            final FragmentAssembler rawHandler = new FragmentAssembler(readOne);
            final FragmentAssembler dispatchHandler = new FragmentAssembler(new MessageDispatcher(listener));
            while (!rawPub.isConnected() || !busPub.isConnected() || !cachedPub.isConnected())
            {
                Thread.sleep(1);
            }

            final String[] names = {
                "publish: raw ExclusivePublication.offer",
                "publish: BusPublisher.offer, own epoch clock",
                "publish: BusPublisher.offer, clock updated per batch",
                "poll: raw FragmentAssembler + read one field",
                "poll: BusSubscriber (assembler + dispatcher + counters)",
                "poll: raw FragmentAssembler + MessageDispatcher (no counters)" };
            final double[][] nsPerMessage = new double[names.length][rounds];
            for (int r = 0; r < rounds; r++)
            {
                long t0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < batch; i++)
                {
                    while (rawPub.offer(buffer, 0, length) < 0)
                    {
                        Thread.onSpinWait();
                    }
                }
                long t1 = threads.getCurrentThreadCpuTime();
                nsPerMessage[0][r] = (t1 - t0) / (double)batch;
                drain(rawSub, rawHandler, batch);
                nsPerMessage[3][r] = (threads.getCurrentThreadCpuTime() - t1) / (double)batch;

                t0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < batch; i++)
                {
                    while (busPub.offer(buffer, 0, length) < 0)
                    {
                        Thread.onSpinWait();
                    }
                }
                t1 = threads.getCurrentThreadCpuTime();
                nsPerMessage[1][r] = (t1 - t0) / (double)batch;
                int received = 0;
                while (received < batch)
                {
                    received += busSub.poll(batch - received);
                }
                nsPerMessage[4][r] = (threads.getCurrentThreadCpuTime() - t1) / (double)batch;

                t0 = threads.getCurrentThreadCpuTime();
                cached.update();
                for (int i = 0; i < batch; i++)
                {
                    while (cachedPub.offer(buffer, 0, length) < 0)
                    {
                        Thread.onSpinWait();
                    }
                }
                t1 = threads.getCurrentThreadCpuTime();
                nsPerMessage[2][r] = (t1 - t0) / (double)batch;
                drain(dispatchSub, dispatchHandler, batch);
                nsPerMessage[5][r] = (threads.getCurrentThreadCpuTime() - t1) / (double)batch;
            }

            System.out.printf(Locale.ROOT, "%d rounds of %d messages of %d bytes, thread CPU ns per message, " +
                "second half of the rounds (warm), load %.2f%n", rounds, batch, length, PeerBench.loadAverage());
            System.out.printf(Locale.ROOT, "%-62s %8s %8s %8s%n", "case", "p10", "median", "mean");
            for (int c = 0; c < names.length; c++)
            {
                final double[] warm = Arrays.copyOfRange(nsPerMessage[c], rounds / 2, rounds);
                Arrays.sort(warm);
                System.out.printf(Locale.ROOT, "%-62s %8.1f %8.1f %8.1f%n", names[c], warm[warm.length / 10],
                    warm[warm.length / 2], Arrays.stream(warm).average().orElse(0));
            }
            System.out.println("(sink " + (sink[0] == Long.MIN_VALUE ? "" : "ok") + ")");
            CloseHelper.closeAll(rawPub, rawSub, busPub, busSub, cachedPub, dispatchSub);
        }
    }

    private static void drain(final Subscription subscription, final FragmentHandler handler, final int count)
    {
        int received = 0;
        while (received < count)
        {
            received += subscription.poll(handler, count - received);
        }
    }
}
