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
        try (ItchSimulator simulator = new ItchSimulator(new ItchSimulator.Context()
            .symbols(6)
            .rate(0)
            .count(100_000)
            .seed(7)
            .tradingDate(LocalDate.of(2026, 11, 20))
            .output(intoDecoder)))
        {
            while (!simulator.isDone())
            {
                simulator.doWork();
            }
        }

        assertTrue(summary.toJson().contains("\"malformed\":0"), summary.toJson());
        assertEquals(6, books.size());
        assertEquals(0, books.unknownReferenceCount(), "every cancel / execute / replace names a live order");
        assertEquals(0, books.crossedOrLockedCount(), "the simulated book is never crossed or locked");
        for (final OrderBook book : books.books())
        {
            assertFalse(book.isCrossed());
            assertTrue(book.bids().depth() > 0 || book.asks().depth() > 0);
        }
    }
}
