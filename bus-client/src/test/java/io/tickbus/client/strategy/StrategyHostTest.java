package io.tickbus.client.strategy;

import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.book.BookMessages;
import io.tickbus.client.strategy.examples.MidPriceStrategy;
import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.Side;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The strategy host offline, in EVENT clock mode: timers fire on recorded exchange time exactly where they are due,
 * and the sample strategy's outputs are deterministic.
 */
@Timeout(60)
class StrategyHostTest
{
    private static final long SECOND = 1_000_000_000L;

    private static void play(final BookMessages messages, final MessageDispatcher dispatcher)
    {
        for (int i = 0; i < messages.count(); i++)
        {
            dispatcher.dispatch(messages.buffer(), messages.offset(i), messages.length(i), 0);
        }
    }

    /** Logs what it sees with the clock's time, and keeps a timer going every 1.5 s. */
    static final class LoggingStrategy implements Strategy
    {
        final List<String> log = new ArrayList<>();
        StrategyContext context;

        public void onStart(final StrategyContext context)
        {
            this.context = context;
            log.add("start@" + context.nowNs());
        }

        public void onMessage(
            final DirectBuffer buffer, final int offset, final int length, final int templateId, final long position)
        {
            if (log.size() == 1)
            {
                context.scheduleAfter(SECOND + SECOND / 2);
            }
        }

        public void onAddOrder(final AddOrderDecoder msg)
        {
            log.add("add" + msg.orderId() + "@" + context.nowNs());
        }

        public void onTimer(final long timerId, final long nowNs)
        {
            log.add("timer@" + nowNs);
            context.scheduleAfter(SECOND + SECOND / 2);
        }

        public void onEnd()
        {
            log.add("end@" + context.nowNs());
        }
    }

    @Test
    void eventClockFiresTimersWhereTheyWereDueBeforeTheMessageThatPassesThem()
    {
        final BookMessages messages = new BookMessages();
        messages.time(10 * SECOND).add(1, 1, Side.BUY, 100, 1)
            .time(11 * SECOND).add(1, 2, Side.BUY, 100, 1)
            .time(15 * SECOND).add(1, 3, Side.BUY, 100, 1)
            .time(0).add(1, 4, Side.BUY, 100, 1)              // no exchange time: clock stays
            .time(14 * SECOND).add(1, 5, Side.BUY, 100, 1);   // earlier than the clock: clock stays
        final LoggingStrategy strategy = new LoggingStrategy();
        final StrategyHost host = new StrategyHost(strategy, ClockMode.EVENT);
        host.start();
        play(messages, new MessageDispatcher(host));
        host.end();

        // timer chain from 10 s every 1.5 s: 11.5, 13, 14.5 are due before the 15 s message, 16 never comes
        assertEquals(List.of(
            "start@0",
            "add1@" + 10 * SECOND,
            "add2@" + 11 * SECOND,
            "timer@" + 11_500_000_000L,
            "timer@" + 13 * SECOND,
            "timer@" + 14_500_000_000L,
            "add3@" + 15 * SECOND,
            "add4@" + 15 * SECOND,
            "add5@" + 15 * SECOND,
            "end@" + 15 * SECOND), strategy.log);
        assertEquals(3, host.timerCount());
        assertEquals(5, host.messageCount());
    }

    @Test
    void wallClockTimersFireFromPollTimers()
    {
        final long[] now = {1_000};
        final EpochNanoClock clock = () -> now[0];
        final LoggingStrategy strategy = new LoggingStrategy();
        final StrategyHost host = new StrategyHost(strategy, ClockMode.WALL, clock, null);
        host.start();
        strategy.context.scheduleTimer(5_000);
        assertEquals(0, host.pollTimers());
        now[0] = 5_000;
        assertEquals(1, host.pollTimers());
        assertEquals("timer@5000", strategy.log.get(strategy.log.size() - 1));
    }

    @Test
    void midPriceStrategyIsDeterministicAndSeesDataChanges()
    {
        final BookMessages flow = randomFlow(new Random(3), 5_000, -1);
        final MidPriceStrategy first = runEventMode(flow);
        final MidPriceStrategy second = runEventMode(flow);
        assertTrue(first.midUpdateCount() > 100, "the flow moves the mid: " + first.summary());
        assertEquals(first.digest(), second.digest());
        assertEquals(first.midUpdateCount(), second.midUpdateCount());
        assertEquals(first.sampleCount(), second.sampleCount());
        assertTrue(first.sampleCount() > 0, "event-time sampling timer fired");

        final BookMessages changed = randomFlow(new Random(3), 5_000, 2_500);
        final MidPriceStrategy third = runEventMode(changed);
        assertNotEquals(first.digest(), third.digest(), "a changed flow (a bid inside the spread) changes the digest");
    }

    @Test
    void midMicropriceAndVwapFromHandBuiltBook()
    {
        final BookMessages messages = new BookMessages();
        messages.definition(9, "MID", -2)
            .exponent(-2).add(9, 1, Side.BUY, 100_00, 300)
            .add(9, 2, Side.SELL, 100_10, 100)
            .trade(9, 100_05, 200)
            .execute(9, 2, 50, Long.MIN_VALUE);
        final MidPriceStrategy strategy = runEventMode(messages);
        final MidPriceStrategy.InstrumentStats stats = strategy.stats(1, 9);
        assertEquals(100.05, stats.mid(), 1e-9);
        // bid 100.00 x 300, ask 100.10 x 50: (100.00 * 50 + 100.10 * 300) / 350
        assertEquals((100.00 * 50 + 100.10 * 300) / 350, stats.microprice(), 1e-9);
        // 200 @ 100.05 and 50 @ 100.10
        assertEquals((200 * 100.05 + 50 * 100.10) / 250, stats.vwap(), 1e-9);
        assertEquals(1, stats.midUpdates(), "mid set once: the execution left it unchanged");
        final StringBuilder out = new StringBuilder();
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        strategy.printSummary(new java.io.PrintStream(bytes, true));
        out.append(bytes);
        assertTrue(out.toString().contains("MID"), out.toString());
        assertTrue(out.toString().contains("\"midUpdates\":1"), out.toString());
    }

    private static MidPriceStrategy runEventMode(final BookMessages messages)
    {
        final MidPriceStrategy strategy = new MidPriceStrategy();
        final StrategyHost host = new StrategyHost(strategy, ClockMode.EVENT);
        host.start();
        play(messages, new MessageDispatcher(host));
        host.end();
        return strategy;
    }

    /**
     * Random adds and deletes around a fixed centre (bids below, asks above: never crossed), 10 ms apart; at
     * {@code bumpAt} (if not -1) a bid inside the spread, which must move the mid.
     */
    static BookMessages randomFlow(final Random random, final int events, final int bumpAt)
    {
        final BookMessages messages = new BookMessages();
        final List<Long> live = new ArrayList<>();
        long time = 1_700_000_000L * SECOND;
        final long mid = 10_000;
        long nextId = 1;
        for (int i = 0; i < events; i++)
        {
            time += 10_000_000L;
            messages.time(time);
            if (live.size() < 10 || random.nextInt(3) == 0 || i == bumpAt)
            {
                final boolean buy = i == bumpAt || random.nextBoolean();
                final long price = i == bumpAt ? mid : mid + (buy ? -1 : 1) * (1 + random.nextInt(5));
                final int instrument = 1 + random.nextInt(2);
                messages.add(instrument, nextId, buy ? Side.BUY : Side.SELL, price, 100);
                live.add(nextId * 10 + instrument);
                nextId++;
            }
            else
            {
                final long key = live.remove(random.nextInt(live.size()));
                messages.delete((int)(key % 10), key / 10);
            }
        }
        return messages;
    }
}
