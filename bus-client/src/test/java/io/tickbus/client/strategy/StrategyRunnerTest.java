package io.tickbus.client.strategy;

import io.aeron.Aeron;
import io.tickbus.client.BusChannels;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.InstrumentFilter;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.book.BookMessages;
import io.tickbus.client.strategy.examples.MidPriceStrategy;
import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.Side;
import io.tickbus.test.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strategies attached to a live stream through a real embedded media driver (IPC, and UDP unicast on loopback in
 * the 27000-27999 port range).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StrategyRunnerTest
{
    private static final int STREAM = 4701;
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(20);

    private EmbeddedDriver driver;
    private Aeron aeron;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp()
    {
        driver = EmbeddedDriver.launch("strategy-test");
        aeron = driver.aeron();
    }

    @AfterEach
    void tearDown()
    {
        final String dir = driver.directory();
        CloseHelper.closeAll(closeables);
        CloseHelper.closeAll(driver);
        assertFalse(new File(dir).exists(), "driver directory removed");
    }

    private static void await(final BooleanSupplier condition, final AgentInvoker invoker)
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        final SleepingMillisIdleStrategy idle = new SleepingMillisIdleStrategy(1);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("condition not met within 20 s");
            }
            idle.idle(invoker.invoke());
        }
    }

    private StrategyRunner runner(final String channel, final Strategy strategy, final ClockMode mode,
        final InstrumentFilter filter)
    {
        final StrategyRunner runner = new StrategyRunner(new StrategyRunner.Context()
            .aeron(aeron).channel(channel).streamId(STREAM).clockMode(mode).filter(filter), strategy);
        closeables.add(runner);
        return runner;
    }

    private void publishAll(final String channel, final BookMessages messages, final AgentInvoker invoker,
        final StrategyRunner runner)
    {
        final BusPublisher publisher = new BusPublisher(aeron, channel, STREAM);
        closeables.add(publisher);
        await(() -> publisher.isConnected() && runner.subscriber().isConnected(), invoker);
        for (int i = 0; i < messages.count(); i++)
        {
            final int index = i;
            final long[] result = {0};
            await(() -> (result[0] = publisher.publish(messages.buffer(), messages.offset(index),
                messages.length(index))) > 0, invoker);
        }
    }

    private static MidPriceStrategy offline(final BookMessages messages, final ClockMode mode)
    {
        final MidPriceStrategy strategy = new MidPriceStrategy();
        final StrategyHost host = new StrategyHost(strategy, mode);
        host.start();
        final MessageDispatcher dispatcher = new MessageDispatcher(host);
        for (int i = 0; i < messages.count(); i++)
        {
            dispatcher.dispatch(messages.buffer(), messages.offset(i), messages.length(i), 0);
        }
        host.end();
        return strategy;
    }

    private static BookMessages flow()
    {
        final BookMessages messages = new BookMessages();
        messages.time(1_700_000_000_000_000_000L).definition(1, "AAA", -4).definition(2, "BBB", -4);
        final BookMessages random = StrategyHostTest.randomFlow(new Random(17), 2_000, -1);
        for (int i = 0; i < random.count(); i++)
        {
            // re-encode is not needed: copy the recorded bytes after the definitions
            messages.copy(random.buffer(), random.offset(i), random.length(i));
        }
        return messages.endOfReplay();
    }

    @Test
    void liveRunOverIpcMatchesOfflineReplayDigest()
    {
        final BookMessages messages = flow();
        final MidPriceStrategy live = new MidPriceStrategy();
        final StrategyRunner runner = runner(BusChannels.IPC, live, ClockMode.WALL, null);
        final AgentInvoker invoker = runner.invoker();
        publishAll(BusChannels.IPC, messages, invoker, runner);
        await(() -> live.messageCount() == messages.count(), invoker);

        final MidPriceStrategy replayed = offline(messages, ClockMode.EVENT);
        assertTrue(live.midUpdateCount() > 50);
        assertEquals(replayed.midUpdateCount(), live.midUpdateCount());
        assertEquals(replayed.digestHex(), live.digestHex(), "live and replay agree");
        assertTrue(runner.host().isEndOfReplay());
        assertEquals(messages.count(), runner.subscriber().dispatcher().receivedCount());
        assertEquals(live.messageCount(), live.reactionLatency().getTotalCount() + live.latencyOutOfRangeCount());
        assertEquals("AAA", runner.host().context().instruments().get(1, 1).symbol());

        runner.close();
        assertTrue(runner.host().isEnded(), "onEnd called on close");
    }

    @Test
    void eventClockRunnerOverUdpWithInstrumentFilter()
    {
        final String channel = BusChannels.udp("127.0.0.1", 27011);
        final BookMessages messages = flow();
        int instrumentOne = 0;
        for (int i = 0; i < messages.count(); i++)
        {
            final int instrumentId = io.tickbus.client.CommonBlock.instrumentId(messages.buffer(), messages.offset(i));
            if (instrumentId == 1 || instrumentId == 0)
            {
                instrumentOne++;
            }
        }
        final MidPriceStrategy strategy = new MidPriceStrategy();
        final StrategyRunner runner = runner(channel, strategy, ClockMode.EVENT, new InstrumentFilter().symbol("AAA"));
        final AgentInvoker invoker = runner.invoker();
        publishAll(channel, messages, invoker, runner);
        final int expected = instrumentOne + 1;   // plus BBB's definition, always passed through
        try
        {
            await(() -> strategy.messageCount() == expected, invoker);
        }
        catch (final AssertionError ex)
        {
            throw new AssertionError("expected " + expected + " got " + strategy.messageCount() + " of " +
                messages.count() + " filtered " + runner.subscriber().dispatcher().filteredCount() + " errors " +
                runner.errorCount() + " images " + runner.subscriber().subscription().images() + " received " +
                runner.subscriber().dispatcher().receivedCount() + " malformed " +
                runner.subscriber().dispatcher().malformedCount(), ex);
        }

        assertNotNull(strategy.books().book(1, 1));
        assertNull(strategy.stats(1, 2), "filtered instrument never reaches the strategy's books");
        assertTrue(strategy.stats(1, 1).midUpdates() > 0);
        assertTrue(runner.host().timerCount() > 0, "event-time timers fired from recorded exchange times");
        assertEquals(runner.host().timerCount(), strategy.sampleCount());
    }

    @Test
    void wallClockTimersFireOnAQuietStreamAndErrorsAreCounted()
    {
        final List<String> log = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        final Strategy strategy = new Strategy()
        {
            private StrategyContext context;

            public void onStart(final StrategyContext context)
            {
                this.context = context;
                context.scheduleAfter(TimeUnit.MILLISECONDS.toNanos(20));
            }

            public void onTimer(final long timerId, final long nowNs)
            {
                log.add("timer");
            }

            public void onAddOrder(final AddOrderDecoder msg)
            {
                if (msg.orderId() == 2)
                {
                    throw new IllegalStateException("strategy bug on order 2");
                }
                log.add("add" + msg.orderId());
            }
        };
        final StrategyRunner runner = new StrategyRunner(new StrategyRunner.Context()
            .aeron(aeron).channel(BusChannels.IPC).streamId(STREAM).errorHandler(errors::add), strategy);
        closeables.add(runner);
        final AgentInvoker invoker = runner.invoker();
        await(() -> log.contains("timer"), invoker);

        final BookMessages messages = new BookMessages();
        messages.add(1, 1, Side.BUY, 100, 1).add(1, 2, Side.BUY, 100, 1).add(1, 3, Side.BUY, 100, 1);
        publishAll(BusChannels.IPC, messages, invoker, runner);
        await(() -> log.contains("add3"), invoker);
        assertEquals(List.of("timer", "add1", "add3"), log);
        assertEquals(1, errors.size());
        assertEquals(1, runner.errorCount());

        // The error path: the strategy's errors file in the driver's directory holds it, with count and times.
        final java.io.File[] files = new java.io.File(aeron.context().aeronDirectoryName()).listFiles(
            (f) -> io.tickbus.client.ComponentErrors.isErrorsFile(f) && f.getName().startsWith("strategy-"));
        assertEquals(1, files.length, java.util.Arrays.toString(files));
        final List<String> logged = new ArrayList<>();
        assertEquals(1, io.tickbus.client.ComponentErrors.read(files[0], (count, firstMs, lastMs, text) ->
            logged.add(count + " " + (firstMs > 0 && lastMs >= firstMs) + " " + text.lines().findFirst().get())));
        assertEquals(List.of("1 true java.lang.IllegalStateException: strategy bug on order 2"), logged);
    }

    @Test
    void badConfigurationIsRejected()
    {
        final MidPriceStrategy strategy = new MidPriceStrategy();
        assertThrows(IllegalArgumentException.class, () -> new StrategyRunner(
            new StrategyRunner.Context().aeron(aeron).streamId(STREAM), strategy));
        assertThrows(IllegalArgumentException.class, () -> new StrategyRunner(
            new StrategyRunner.Context().aeron(aeron).channel(BusChannels.IPC), strategy));
        assertThrows(IllegalArgumentException.class, () -> new StrategyRunner(
            new StrategyRunner.Context().aeron(aeron).channel("tcp://nowhere").streamId(STREAM), strategy));
        assertThrows(IllegalArgumentException.class, () -> new StrategyRunner(
            new StrategyRunner.Context().aeron(aeron).channel(BusChannels.IPC).streamId(STREAM).fragmentLimit(0),
            strategy));
    }
}
