package io.tickbus.perf;

import io.aeron.Aeron;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.strategy.Strategy;
import io.tickbus.client.strategy.StrategyRunner;
import io.tickbus.driver.TickbusDriver;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.TradeEncoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentInvoker;
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

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The whole in-host path on one thread, through a real embedded media driver: {@link BusPublisher#offer} of a trade
 * on {@code aeron:ipc} (publish-time stamp from the process clock, counters), then one duty cycle of a
 * {@link StrategyRunner} (its {@code StrategyAgent}: timers, {@code BusSubscriber} poll, {@code MessageDispatcher},
 * {@code StrategyHost}, the strategy's callback). Run with {@code -prof gc}: a steady-state message must allocate
 * nothing anywhere on that path.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class PublishToStrategyBenchmark
{
    private static final int STREAM = 7301;

    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
    private final TradeEncoder trade = new TradeEncoder();
    private TickbusDriver driver;
    private Aeron aeron;
    private BusPublisher publisher;
    private StrategyRunner runner;
    private AgentInvoker invoker;
    private int length;
    private long seq;
    private long received;

    /** Driver, client, publisher and a runner driven from this thread; waits for the connection. */
    @Setup
    public void setUp()
    {
        driver = TickbusDriver.launchEmbedded("jmh-publish-strategy");
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        publisher = new BusPublisher(aeron, "aeron:ipc", STREAM);
        runner = new StrategyRunner(new StrategyRunner.Context().aeron(aeron).channel("aeron:ipc").streamId(STREAM),
            new Strategy()
            {
                public void onMessage(
                    final DirectBuffer buffer, final int offset, final int length, final int templateId,
                    final long position)
                {
                    received++;
                }
            });
        invoker = runner.invoker();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!publisher.isConnected() || !runner.subscriber().isConnected())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("publisher and subscriber did not connect");
            }
            invoker.invoke();
            Thread.onSpinWait();
        }
        trade.wrapAndApplyHeader(message, 0, new MessageHeaderEncoder()).tradeId(1).quantity(100);
        trade.price().mantissa(1_000_000).exponent((byte)-4);
        trade.common().feedId(1).instrumentId(1);
        length = MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength();
    }

    /** Close everything and delete the driver's directory. */
    @TearDown
    public void tearDown()
    {
        CloseHelper.closeAll(runner, publisher, aeron, driver);
    }

    /**
     * Publish one trade and run the strategy's duty cycle until it has it.
     *
     * @return messages the strategy has seen.
     */
    @Benchmark
    public long publishAndDeliver()
    {
        trade.common().sourceSeq(++seq);
        final long target = received + 1;
        while (publisher.offer(message, 0, length) < 0)
        {
            invoker.invoke();
        }
        while (received < target)
        {
            invoker.invoke();
        }
        return received;
    }
}
