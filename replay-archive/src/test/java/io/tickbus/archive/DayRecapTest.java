package io.tickbus.archive;

import io.tickbus.archive.client.DayRecap;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.book.OrderBook;
import io.tickbus.client.book.OrderBooks;
import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.AddOrderEncoder;
import io.tickbus.sbe.BookSnapshotDecoder;
import io.tickbus.sbe.CancelOrderEncoder;
import io.tickbus.sbe.CancelType;
import io.tickbus.sbe.CommonEncoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.InstrumentDefinitionEncoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.SecurityType;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TopOfBookEncoder;
import io.tickbus.sbe.TradingState;
import io.tickbus.sbe.TradingStatusDecoder;
import io.tickbus.sbe.TradingStatusEncoder;
import io.tickbus.sbe.Venue;
import io.tickbus.test.ThreadAllocation;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DayRecap} on hand-made messages: what it sends and in which order, flags and times, that books built from
 * it equal the books it was built from (order priority included), that a malformed message is skipped and counted,
 * and that applying messages to existing books allocates nothing.
 */
@Timeout(30)
class DayRecapTest
{
    private static final long T0 = 1_700_000_000_000_000_000L;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final AddOrderEncoder add = new AddOrderEncoder();
    private final CancelOrderEncoder cancel = new CancelOrderEncoder();
    private final TradingStatusEncoder status = new TradingStatusEncoder();
    private final TopOfBookEncoder quote = new TopOfBookEncoder();
    private long time = T0;

    @Test
    void recapsStatusDefinitionsOrdersInPriorityAndLevelBooks()
    {
        final DayRecap recap = new DayRecap();
        status(recap, 0, TradingState.PRE_OPEN);
        status(recap, 0, TradingState.TRADING);
        definition(recap, 5, "TBUS");
        status(recap, 5, TradingState.TRADING);
        add(recap, 5, 1, Side.BUY, 1_000_000, 100);
        add(recap, 5, 2, Side.BUY, 1_000_000, 200);
        add(recap, 5, 3, Side.BUY, 1_010_000, 50);
        add(recap, 5, 4, Side.SELL, 1_020_000, 300);
        add(recap, 5, 9, Side.SELL, 1_030_000, 10);
        cancel(recap, 5, 1, 40, CancelType.PARTIAL);
        cancel(recap, 5, 9, 0, CancelType.FULL);
        quote(recap, 6, 500, 7, 501, 8);
        recap.onMessage(buffer, 0, 12); // truncated: skipped, counted
        assertEquals(1, recap.malformedCount());
        assertEquals(13, recap.messagesRead());

        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
        final int length = recap.encode(out, 42);
        final List<String> sent = new ArrayList<>();
        final OrderBooks rebuilt = new OrderBooks();
        final MessageDispatcher dispatcher = new MessageDispatcher(rebuilt);
        final TradingStatusDecoder statusDecoder = new TradingStatusDecoder();
        final AddOrderDecoder addDecoder = new AddOrderDecoder();
        for (int at = 0; at < length; at = (at + Integer.BYTES + out.getInt(at) + 7) & ~7)
        {
            final int offset = at + Integer.BYTES;
            final int messageLength = out.getInt(at);
            assertEquals(CommonBlock.FLAG_RECAP | CommonBlock.FLAG_REPLAYED, CommonBlock.flags(out, offset));
            assertEquals(0, CommonBlock.globalSeq(out, offset));
            assertEquals(time, CommonBlock.exchangeTime(out, offset), "the last time read before the window");
            assertEquals(42, CommonBlock.publishTime(out, offset));
            final int templateId = CommonBlock.templateId(out, offset);
            final int instrumentId = CommonBlock.instrumentId(out, offset);
            if (TradingStatusDecoder.TEMPLATE_ID == templateId)
            {
                statusDecoder.wrap(out, offset + MessageHeaderEncoder.ENCODED_LENGTH,
                    TradingStatusDecoder.BLOCK_LENGTH, TradingStatusDecoder.SCHEMA_VERSION);
                sent.add("status " + instrumentId + " " + statusDecoder.state());
            }
            else if (AddOrderDecoder.TEMPLATE_ID == templateId)
            {
                addDecoder.wrap(out, offset + MessageHeaderEncoder.ENCODED_LENGTH,
                    AddOrderDecoder.BLOCK_LENGTH, AddOrderDecoder.SCHEMA_VERSION);
                sent.add("add " + addDecoder.orderId() + " " + addDecoder.quantity());
                assertEquals(AddOrderDecoder.priorityNullValue(), addDecoder.priority(), "no venue priority kept");
            }
            else if (InstrumentDefinitionDecoder.TEMPLATE_ID == templateId)
            {
                sent.add("definition " + instrumentId);
            }
            else if (BookSnapshotDecoder.TEMPLATE_ID == templateId)
            {
                sent.add("snapshot " + instrumentId);
            }
            assertTrue(dispatcher.dispatch(out, offset, messageLength, 0), "recap message decodes: " + sent);
        }
        assertEquals(List.of("status 0 TRADING", "definition 5", "status 5 TRADING", "add 3 50", "add 1 60",
            "add 2 200", "add 4 300", "snapshot 6"), sent, "market-wide status, then per instrument, bids best first");

        assertSameBook(recap.books().book(2, 5), rebuilt.book(2, 5));
        assertSameBook(recap.books().book(2, 6), rebuilt.book(2, 6));
        assertEquals("TBUS", rebuilt.book(2, 5).symbol());
        assertEquals(1, rebuilt.book(2, 5).bids().level(1).firstOrder().orderId(), "time priority kept");
        assertEquals(-1, rebuilt.book(2, 6).bids().orderCountAt(0), "a top-of-book level keeps its unknown count");
        assertNull(rebuilt.book(2, 0), "no book for market-wide status");
    }

    @Test
    void nothingBeforeTheWindowIsNoRecap()
    {
        assertEquals(0, new DayRecap().encode(new ExpandableArrayBuffer(64), 1));
    }

    @Test
    void applyingMessagesToExistingBooksAllocatesNothing()
    {
        final ThreadAllocation allocation = ThreadAllocation.enabledOrSkip();

        final DayRecap recap = new DayRecap();
        definition(recap, 5, "TBUS");
        for (int pass = 0; pass < 5; pass++)
        {
            cycle(recap);
        }
        final Runnable measured = () -> cycle(recap);
        // A per-message allocation shows in every pass (3,002 messages, at least 16 bytes each); a one-off (a JIT
        // recompilation in a JVM that ran other test classes first: 1,256 bytes once in a full build) does not. So the
        // least of up to 5 passes is what the steady state allocates.
        long allocated = Long.MAX_VALUE;
        for (int pass = 0; pass < 5 && allocated > 0; pass++)
        {
            final long read = recap.messagesRead();
            allocated = Math.min(allocated, allocation.allocatedBy(measured));
            assertEquals(3_002, recap.messagesRead() - read);
        }
        assertTrue(allocated <= 1024, "allocated " + allocated + " bytes over 3,002 messages in every pass");
    }

    private void cycle(final DayRecap recap)
    {
        for (int i = 0; i < 1_000; i++)
        {
            add(recap, 5, 100 + i, (i & 1) == 0 ? Side.BUY : Side.SELL, (i & 1) == 0 ? 990_000 - i : 1_010_000 + i, 10);
        }
        for (int i = 0; i < 1_000; i++)
        {
            cancel(recap, 5, 100 + i, 0, CancelType.FULL);
        }
        for (int i = 0; i < 1_000; i++)
        {
            quote(recap, 6, 500 + (i & 3), 7, 510, 8);
        }
        status(recap, 5, TradingState.TRADING);
        status(recap, 0, TradingState.TRADING);
    }

    private static void assertSameBook(final OrderBook expected, final OrderBook actual)
    {
        assertEquals(expected.orderCount(), actual.orderCount());
        assertEquals(expected.priceExponent(), actual.priceExponent());
        assertEquals(expected.bids().depth(), actual.bids().depth());
        assertEquals(expected.asks().depth(), actual.asks().depth());
        for (int i = 0; i < expected.bids().depth(); i++)
        {
            assertEquals(expected.bids().priceAt(i), actual.bids().priceAt(i));
            assertEquals(expected.bids().quantityAt(i), actual.bids().quantityAt(i));
            assertEquals(expected.bids().orderCountAt(i), actual.bids().orderCountAt(i));
        }
        for (int i = 0; i < expected.asks().depth(); i++)
        {
            assertEquals(expected.asks().priceAt(i), actual.asks().priceAt(i));
            assertEquals(expected.asks().quantityAt(i), actual.asks().quantityAt(i));
            assertEquals(expected.asks().orderCountAt(i), actual.asks().orderCountAt(i));
        }
    }

    private void common(final CommonEncoder common, final int instrumentId)
    {
        time += 1_000;
        common.globalSeq(0).sequencerTime(0).sourceSeq(time).exchangeTime(time).receiveTime(0).publishTime(0)
            .instrumentId(instrumentId).feedId(2).venue(Venue.NASDAQ).flags((short)0);
    }

    private void status(final DayRecap recap, final int instrumentId, final TradingState state)
    {
        status.wrapAndApplyHeader(buffer, 0, header).state(state).venueCode((byte)' ').reason("    ");
        common(status.common(), instrumentId);
        recap.onMessage(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + status.encodedLength());
    }

    private void definition(final DayRecap recap, final int instrumentId, final String symbol)
    {
        final InstrumentDefinitionEncoder definition = new InstrumentDefinitionEncoder()
            .wrapAndApplyHeader(buffer, 0, header);
        definition.symbol(symbol).securityType(SecurityType.EQUITY).priceExponent((byte)-4).lotSize(100)
            .tickSize(100).tradingDate(20261120);
        common(definition.common(), instrumentId);
        recap.onMessage(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + definition.encodedLength());
    }

    private void add(
        final DayRecap recap, final int instrumentId, final long id, final Side side, final long price,
        final long quantity)
    {
        add.wrapAndApplyHeader(buffer, 0, header).orderId(id).side(side).quantity(quantity).attribution("    ");
        add.price().mantissa(price).exponent((byte)-4);
        common(add.common(), instrumentId);
        recap.onMessage(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + add.encodedLength());
    }

    private void cancel(
        final DayRecap recap, final int instrumentId, final long id, final long quantity, final CancelType type)
    {
        cancel.wrapAndApplyHeader(buffer, 0, header).orderId(id).cancelledQuantity(quantity).cancelType(type);
        common(cancel.common(), instrumentId);
        recap.onMessage(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + cancel.encodedLength());
    }

    private void quote(
        final DayRecap recap, final int instrumentId, final long bid, final long bidQuantity, final long ask,
        final long askQuantity)
    {
        quote.wrapAndApplyHeader(buffer, 0, header).bidQuantity(bidQuantity).askQuantity(askQuantity);
        quote.bidPrice().mantissa(bid).exponent((byte)-4);
        quote.askPrice().mantissa(ask).exponent((byte)-4);
        common(quote.common(), instrumentId);
        recap.onMessage(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + quote.encodedLength());
    }
}
