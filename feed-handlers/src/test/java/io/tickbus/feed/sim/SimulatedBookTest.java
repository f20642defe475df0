package io.tickbus.feed.sim;

import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.book.OrderBook;
import io.tickbus.client.book.OrderBooks;
import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.PacketDecoder;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.Venues;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.LocalDate;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Simulated order flow is realistic enough to build books from: run the simulator, decode its MoldUDP64 packets
 * with the ITCH decoder, build the books with the bus client's builder, and the books are never crossed or locked
 * and never reference an unknown order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimulatedBookTest
{
    @Test
    void simulatedBooksStayUncrossedWithValidReferences()
    {
        final OrderBooks books = new OrderBooks();
        run(new ItchSimulator.Context().symbols(6).rate(0).count(100_000).seed(7), books, null);

        assertEquals(6, books.size());
        for (final OrderBook book : books.books())
        {
            assertFalse(book.isCrossed());
            assertTrue(book.bids().depth() > 0 || book.asks().depth() > 0);
        }
    }

    /**
     * The trading-day profile at scale (8,000 symbols): the same book guarantees, times that never go backwards and
     * span the session with a heavy open and close, a few hundred symbols carrying most of the flow, and an opening
     * and a closing cross for every symbol.
     */
    @Test
    void aTradingDayAtScaleKeepsTheBooksAndHasTheDaysShape()
    {
        final int symbols = 8_000;
        final long count = 400_000;
        final long[] perSymbol = new long[symbols + 1];
        final long[] crosses = new long[2];
        final long[] lastTime = {-1};
        final long[] openHalfHour = new long[1];
        final long[] midDayHalfHour = new long[1];
        final long[] backwards = new long[1];
        final long openNs = TradingDayProfile.OPEN_NS;
        final long halfHourNs = TimeUnit.MINUTES.toNanos(30);
        final long midDayNs = TimeUnit.HOURS.toNanos(12) + TimeUnit.MINUTES.toNanos(30);
        final PacketInspector inspector = (buffer, m, type) ->
        {
            final int locate = buffer.getShort(m + 1, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final long time = ((long)(buffer.getShort(m + 5, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF) << 32) |
                (buffer.getInt(m + 7, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL);
            if (time < lastTime[0])
            {
                backwards[0]++;
            }
            lastTime[0] = time;
            if ('Q' == type)
            {
                crosses['O' == buffer.getByte(m + 39) ? 0 : 1]++;
            }
            else if ('A' == type || 'F' == type || 'D' == type || 'X' == type || 'E' == type || 'C' == type ||
                'U' == type || 'P' == type)
            {
                perSymbol[locate]++;
                if (time >= openNs && time < openNs + halfHourNs)
                {
                    openHalfHour[0]++;
                }
                else if (time >= midDayNs && time < midDayNs + halfHourNs)
                {
                    midDayHalfHour[0]++;
                }
            }
        };
        final OrderBooks books = new OrderBooks(new OrderBooks.Context().pooledOrders(200_000));
        run(new ItchSimulator.Context().symbols(symbols).rate(0).count(count).seed(11)
            .profile(ItchSimulator.Profile.DAY), books, inspector);

        assertEquals(0, backwards[0], "ITCH times never go backwards");
        assertTrue(lastTime[0] >= TradingDayProfile.SYSTEM_END_NS, "the day ends at the end of system hours");
        assertEquals(symbols, crosses[0], "an opening cross per symbol");
        assertEquals(symbols, crosses[1], "a closing cross per symbol");
        assertTrue(openHalfHour[0] > 3 * midDayHalfHour[0],
            "the open is heavy: " + openHalfHour[0] + " in 09:30-10:00 against " + midDayHalfHour[0] + " at noon");
        final long[] sorted = perSymbol.clone();
        java.util.Arrays.sort(sorted);
        long top300 = 0;
        long all = 0;
        for (int i = 0; i < sorted.length; i++)
        {
            all += sorted[i];
            if (i >= sorted.length - 300)
            {
                top300 += sorted[i];
            }
        }
        assertTrue(top300 > all / 2, "300 symbols carry most of the flow: " + top300 + " of " + all);
        assertTrue(perSymbol[1] > 100 * Math.max(1, perSymbol[symbols]), "the most active symbol is far busier");
    }

    /** Sees every ITCH message of every packet the simulator sends. */
    @FunctionalInterface
    private interface PacketInspector
    {
        void onMessage(DirectBuffer buffer, int messageOffset, byte type);
    }

    /**
     * Run the simulator to its end into the ITCH decoder and the bus client's book builder, and check what holds for
     * any flow: nothing malformed, every cancel / execute / replace names a live order, never crossed or locked.
     */
    private static void run(final ItchSimulator.Context ctx, final OrderBooks books, final PacketInspector inspector)
    {
        final MessageDispatcher dispatcher = new MessageDispatcher(books);
        final ParseSummary summary = new ParseSummary(0);
        final PacketDecoder decoder = Venues.newDecoder(Venues.ITCH5, new DecoderContext()
            .sink((buffer, offset, length) ->
            {
                assertTrue(dispatcher.dispatch(buffer, offset, length, 0), "every published message decodes");
                return 1;
            })
            .stats(summary)
            .feedId(1)
            .tradingDate(LocalDate.of(2026, 11, 20)));

        final long[] packets = {0};
        final PacketOutput intoDecoder = new PacketOutput()
        {
            private final UnsafeBuffer copy = new UnsafeBuffer(new byte[64 * 1024]);

            public void send(final DirectBuffer buffer, final int offset, final int length)
            {
                copy.putBytes(0, buffer, offset, length);
                if (null != inspector)
                {
                    int m = 20;
                    while (m + 2 <= length)
                    {
                        final int messageLength = copy.getShort(m, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
                        inspector.onMessage(copy, m + 2, copy.getByte(m + 2));
                        m += 2 + messageLength;
                    }
                }
                decoder.onPacket(copy, 0, length, 0, ++packets[0], -1);
            }

            public long packets()
            {
                return packets[0];
            }

            public void close()
            {
            }
        };
        try (ItchSimulator simulator = new ItchSimulator(ctx
            .tradingDate(LocalDate.of(2026, 11, 20))
            .output(intoDecoder)))
        {
            while (!simulator.isDone())
            {
                simulator.doWork();
            }
        }

        assertTrue(summary.toJson().contains("\"malformed\":0"), summary.toJson());
        assertEquals(0, books.unknownReferenceCount(), "every cancel / execute / replace names a live order");
        assertEquals(0, books.crossedOrLockedCount(), "the simulated book is never crossed or locked");
    }
}
