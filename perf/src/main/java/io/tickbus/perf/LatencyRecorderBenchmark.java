package io.tickbus.perf;

import io.tickbus.client.latency.HopHistograms;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.TradeEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.FileNotFoundException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Cost of recording one message's hops (exchange -> receive -> publish -> sequenced -> subscriber) into the
 * latency CLI's HdrHistograms: what {@code tickbus latency} and the demo's tap do per message. Run with
 * {@code -prof gc}: recording must allocate nothing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class LatencyRecorderBenchmark
{
    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
    private HopHistograms hops;
    private long now;

    /**
     * A sequenced trade whose four timestamps are a few microseconds apart.
     *
     * @throws FileNotFoundException never: no interval log is written.
     */
    @Setup
    public void setUp() throws FileNotFoundException
    {
        hops = new HopHistograms(null, System.currentTimeMillis());
        final TradeEncoder trade = new TradeEncoder().wrapAndApplyHeader(message, 0, new MessageHeaderEncoder());
        final long t0 = 1_763_700_000_000_000_000L;
        trade.common().exchangeTime(t0).receiveTime(t0 + 12_000).publishTime(t0 + 15_000).sequencerTime(t0 + 90_000)
            .globalSeq(1).sourceSeq(1);
        trade.tradeId(1).quantity(100);
        now = t0 + 100_000;
    }

    /** Close the histograms. */
    @TearDown
    public void tearDown()
    {
        hops.close();
    }

    /** @return messages recorded so far. */
    @Benchmark
    public long recordAllHops()
    {
        now += 7; // a different subscriber time each call, so different buckets are touched
        hops.onMessage(message, 0, now);
        return hops.messages();
    }
}
