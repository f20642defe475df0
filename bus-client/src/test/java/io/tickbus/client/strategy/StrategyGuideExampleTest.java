package io.tickbus.client.strategy;

import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.book.BookListener;
import io.tickbus.client.book.BookMessages;
import io.tickbus.client.book.OrderBook;
import io.tickbus.client.book.OrderBooks;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TradeDecoder;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The worked example of docs/strategy-guide.md, kept compiling and behaving as the guide says.
 */
@Timeout(30)
class StrategyGuideExampleTest
{
    static final class TradeCounter implements Strategy
    {
        private long trades;

        public void onTrade(final TradeDecoder msg)
        {
            trades++;
        }
    }

    static final class SpreadWatcher implements Strategy, BookListener
    {
        private final OrderBooks books = new OrderBooks(new OrderBooks.Context().listener(this));
        private final MessageDispatcher bookFeed = new MessageDispatcher(books);
        private final long wideSpread = 50;
        private StrategyContext context;
        private long wideSpreads;
        private long ticks;

        public void onStart(final StrategyContext context)
        {
            this.context = context;
            context.scheduleAfter(TimeUnit.SECONDS.toNanos(1));
        }

        public void onMessage(final DirectBuffer buffer, final int offset, final int length, final int templateId,
            final long position)
        {
            bookFeed.dispatch(buffer, offset, length, position);
        }

        public void onBookUpdate(final OrderBook book, final int templateId)
        {
            if (book.isTwoSided() && book.bestAskPrice() - book.bestBidPrice() > wideSpread)
            {
                wideSpreads++;
            }
        }

        public void onTimer(final long timerId, final long nowNs)
        {
            ticks++;
            context.scheduleAfter(TimeUnit.SECONDS.toNanos(1));
        }
    }

    @Test
    void guideExamplesRunOffline()
    {
        final long second = TimeUnit.SECONDS.toNanos(1);
        final BookMessages messages = new BookMessages();
        messages.time(0).add(1, 1, Side.BUY, 1000, 10)   // no exchange time: the clock stays at 0
            .time(100).add(1, 2, Side.SELL, 1100, 10)     // spread 100 > 50: wide
            .time(second / 2).add(1, 3, Side.SELL, 1040, 10)   // spread 40
            .time(3 * second + 100).trade(1, 1040, 5);    // timers at 1 s, 2 s, 3 s fire first

        final SpreadWatcher watcher = new SpreadWatcher();
        final TradeCounter counter = new TradeCounter();
        for (final Strategy strategy : new Strategy[]{watcher, counter})
        {
            final StrategyHost host = new StrategyHost(strategy, ClockMode.EVENT);
            host.start();
            final MessageDispatcher dispatcher = new MessageDispatcher(host);
            for (int i = 0; i < messages.count(); i++)
            {
                dispatcher.dispatch(messages.buffer(), messages.offset(i), messages.length(i), 0);
            }
            host.end();
        }
        assertEquals(1, watcher.wideSpreads);
        assertEquals(3, watcher.ticks);
        assertEquals(1, counter.trades);
    }
}
