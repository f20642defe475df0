package io.tickbus.archive.client;

import io.tickbus.client.CommonBlock;
import io.tickbus.client.InstrumentDirectory;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.book.BookSide;
import io.tickbus.client.book.Order;
import io.tickbus.client.book.OrderBook;
import io.tickbus.client.book.OrderBooks;
import io.tickbus.client.book.PriceLevel;
import io.tickbus.sbe.AddOrderEncoder;
import io.tickbus.sbe.BookSnapshotEncoder;
import io.tickbus.sbe.CommonEncoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TradingStatusDecoder;
import io.tickbus.sbe.Venue;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * The state a consumer needs when a replay starts after the beginning of the day: the messages read before the
 * window are applied here, privately, and {@link #encode} turns what is in force at the window's start into recap
 * messages, every one flagged {@link CommonBlock#FLAG_RECAP} (and {@link CommonBlock#FLAG_REPLAYED}), global
 * sequence 0, exchange time the last one read before the window:
 * <ol>
 * <li>the market-wide trading status (instrument id 0) of each feed, as last sent;</li>
 * <li>per instrument, in order of first sight: its latest InstrumentDefinition and TradingStatus, as sent; then its
 * book: a market-by-order book as one AddOrder per live order, bids then asks, best level first, each level in time
 * priority (as NASDAQ's GLIMPSE does), so a book built from them has the same orders in the same priority; a level
 * book (market by price, snapshots, top of book) as one BookSnapshot, best first per side, with each level's
 * quantity and order count.</li>
 * </ol>
 * Not recapped: the last trade, traded volume and the counters of each book, gap notices, heartbeats.
 * <p>
 * Threading: one thread (the replayer's). Allocation: per instrument on first sight (its book, a state object,
 * copies of its definition and status); nothing per message after that. {@link #encode} grows its buffer as needed.
 */
public final class DayRecap
{
    /** The most levels one BookSnapshot can carry (its group count is a uint16). */
    public static final int MAX_SNAPSHOT_LEVELS = 65_535;

    private static final short RECAP_FLAGS = (short)(CommonBlock.FLAG_RECAP | CommonBlock.FLAG_REPLAYED);

    private final OrderBooks books = new OrderBooks();
    private final MessageDispatcher dispatcher = new MessageDispatcher(books);
    private final Long2ObjectHashMap<Instrument> instruments = new Long2ObjectHashMap<>(1024, 0.65f);
    private final List<Instrument> instrumentList = new ArrayList<>();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final AddOrderEncoder addOrder = new AddOrderEncoder();
    private final BookSnapshotEncoder bookSnapshot = new BookSnapshotEncoder();
    private long messagesRead;
    private long lastExchangeTime;
    private long truncatedSnapshots;

    /** What is kept per (feed id, instrument id). */
    private static final class Instrument
    {
        final int feedId;
        final int instrumentId;
        byte venue;
        long lastSourceSeq;
        byte[] definition;
        int definitionLength;
        byte[] status;
        int statusLength;

        Instrument(final int feedId, final int instrumentId)
        {
            this.feedId = feedId;
            this.instrumentId = instrumentId;
        }
    }

    /**
     * Apply one message read before the window.
     *
     * @param buffer holding the message.
     * @param offset of its message header.
     * @param length of the message.
     */
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        messagesRead++;
        if (!CommonBlock.isTickbusMessage(buffer, offset, length))
        {
            dispatcher.dispatch(buffer, offset, length, 0); // counts it as malformed
            return;
        }
        final int feedId = CommonBlock.feedId(buffer, offset);
        final int instrumentId = CommonBlock.instrumentId(buffer, offset);
        final long key = InstrumentDirectory.key(feedId, instrumentId);
        Instrument instrument = instruments.get(key);
        if (null == instrument)
        {
            instrument = new Instrument(feedId, instrumentId);
            instruments.put(key, instrument);
            instrumentList.add(instrument);
        }
        if (!dispatcher.dispatch(buffer, offset, length, 0))
        {
            return; // malformed or a repeat: no state from it, as a consumer would not take any
        }
        instrument.venue = buffer.getByte(offset + CommonBlock.FEED_ID_OFFSET + 2);
        instrument.lastSourceSeq = CommonBlock.sourceSeq(buffer, offset);
        lastExchangeTime = Math.max(lastExchangeTime, CommonBlock.exchangeTime(buffer, offset));
        final int templateId = CommonBlock.templateId(buffer, offset);
        if (InstrumentDefinitionDecoder.TEMPLATE_ID == templateId)
        {
            instrument.definition = keep(instrument.definition, buffer, offset, length);
            instrument.definitionLength = length;
        }
        else if (TradingStatusDecoder.TEMPLATE_ID == templateId)
        {
            instrument.status = keep(instrument.status, buffer, offset, length);
            instrument.statusLength = length;
        }
    }

    private static byte[] keep(final byte[] kept, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] copy = null == kept || kept.length < length ? new byte[length] : kept;
        buffer.getBytes(offset, copy, 0, length);
        return copy;
    }

    /**
     * Write the recap as a sequence of entries {@code [int length][message]}, each entry starting at a multiple of 8.
     *
     * @param out destination, grown as needed.
     * @param publishTimeNs stamped as each recap message's publish time.
     * @return bytes written (0 when there is nothing to recap).
     */
    public int encode(final ExpandableArrayBuffer out, final long publishTimeNs)
    {
        int position = 0;
        for (int i = 0, n = instrumentList.size(); i < n; i++)
        {
            final Instrument instrument = instrumentList.get(i);
            if (0 == instrument.instrumentId && null != instrument.status)
            {
                position = copy(out, position, instrument.status, instrument.statusLength, publishTimeNs);
            }
        }
        for (int i = 0, n = instrumentList.size(); i < n; i++)
        {
            final Instrument instrument = instrumentList.get(i);
            if (null != instrument.definition)
            {
                position = copy(out, position, instrument.definition, instrument.definitionLength, publishTimeNs);
            }
            if (0 != instrument.instrumentId && null != instrument.status)
            {
                position = copy(out, position, instrument.status, instrument.statusLength, publishTimeNs);
            }
            final OrderBook book = books.book(instrument.feedId, instrument.instrumentId);
            if (null == book)
            {
                continue;
            }
            if (book.orderCount() > 0)
            {
                position = addOrders(out, position, instrument, book, book.bids(), publishTimeNs);
                position = addOrders(out, position, instrument, book, book.asks(), publishTimeNs);
            }
            else if (!book.bids().isEmpty() || !book.asks().isEmpty())
            {
                position = snapshot(out, position, instrument, book, publishTimeNs);
            }
        }
        return position;
    }

    private int copy(
        final ExpandableArrayBuffer out, final int position, final byte[] message, final int length, final long nowNs)
    {
        final int at = position + Integer.BYTES;
        out.putBytes(at, message, 0, length);
        stampCommon(out, at, nowNs);
        return end(out, position, length);
    }

    private int addOrders(
        final ExpandableArrayBuffer out,
        final int start,
        final Instrument instrument,
        final OrderBook book,
        final BookSide side,
        final long nowNs)
    {
        int position = start;
        for (int i = 0, depth = side.depth(); i < depth; i++)
        {
            final PriceLevel level = side.level(i);
            for (Order order = level.firstOrder(); null != order; order = order.next())
            {
                final int at = position + Integer.BYTES;
                addOrder.wrapAndApplyHeader(out, at, headerEncoder)
                    .orderId(order.orderId())
                    .side(order.side())
                    .quantity(order.quantity())
                    .attribution("    ")
                    .priority(AddOrderEncoder.priorityNullValue()); // schema v3: the book keeps no venue priority
                addOrder.price().mantissa(order.price()).exponent((byte)book.priceExponent());
                common(addOrder.common(), instrument, nowNs);
                position = end(out, position, MessageHeaderEncoder.ENCODED_LENGTH + addOrder.encodedLength());
            }
        }
        return position;
    }

    private int snapshot(
        final ExpandableArrayBuffer out,
        final int position,
        final Instrument instrument,
        final OrderBook book,
        final long nowNs)
    {
        final int bidLevels = Math.min(book.bids().depth(), MAX_SNAPSHOT_LEVELS);
        final int askLevels = Math.min(book.asks().depth(), MAX_SNAPSHOT_LEVELS - bidLevels);
        if (bidLevels + askLevels < book.bids().depth() + book.asks().depth())
        {
            truncatedSnapshots++;
        }
        final int at = position + Integer.BYTES;
        // The group's levels are written past the current capacity: make room first.
        out.checkLimit(at + MessageHeaderEncoder.ENCODED_LENGTH + BookSnapshotEncoder.BLOCK_LENGTH +
            4 + (bidLevels + askLevels) * BookSnapshotEncoder.LevelsEncoder.sbeBlockLength());
        bookSnapshot.wrapAndApplyHeader(out, at, headerEncoder)
            .lastSourceSeq(instrument.lastSourceSeq)
            .priceExponent((byte)book.priceExponent());
        common(bookSnapshot.common(), instrument, nowNs);
        final BookSnapshotEncoder.LevelsEncoder levels = bookSnapshot.levelsCount(bidLevels + askLevels);
        levels(levels, book.bids(), bidLevels, Side.BUY);
        levels(levels, book.asks(), askLevels, Side.SELL);
        return end(out, position, MessageHeaderEncoder.ENCODED_LENGTH + bookSnapshot.encodedLength());
    }

    private static void levels(
        final BookSnapshotEncoder.LevelsEncoder levels, final BookSide side, final int count, final Side sideCode)
    {
        for (int i = 0; i < count; i++)
        {
            levels.next()
                .side(sideCode)
                .price(side.priceAt(i))
                .quantity(side.quantityAt(i))
                .orderCount(side.orderCountAt(i));
        }
    }

    private void common(final CommonEncoder common, final Instrument instrument, final long nowNs)
    {
        common.globalSeq(0)
            .sequencerTime(0)
            .sourceSeq(0)
            .exchangeTime(lastExchangeTime)
            .receiveTime(0)
            .publishTime(nowNs)
            .instrumentId(instrument.instrumentId)
            .feedId(instrument.feedId)
            .venue(Venue.get((short)(instrument.venue & 0xFF)))
            .flags(RECAP_FLAGS);
    }

    private void stampCommon(final MutableDirectBuffer buffer, final int offset, final long nowNs)
    {
        CommonBlock.sequence(buffer, offset, 0, 0);
        buffer.putLong(offset + CommonBlock.EXCHANGE_TIME_OFFSET, lastExchangeTime, CommonEncoder.BYTE_ORDER);
        CommonBlock.publishTime(buffer, offset, nowNs);
        buffer.putByte(offset + CommonBlock.FLAGS_OFFSET,
            (byte)(CommonBlock.flags(buffer, offset) | RECAP_FLAGS));
    }

    private static int end(final ExpandableArrayBuffer out, final int position, final int length)
    {
        out.putInt(position, length);
        return (position + Integer.BYTES + length + 7) & ~7;
    }

    /** @return messages applied so far (the pre-window part of the day). */
    public long messagesRead()
    {
        return messagesRead;
    }

    /** @return the exchange time the recap messages carry: the latest one read, 0 before any. */
    public long lastExchangeTime()
    {
        return lastExchangeTime;
    }

    /** @return books whose snapshot had more than {@link #MAX_SNAPSHOT_LEVELS} levels and was cut to that many. */
    public long truncatedSnapshots()
    {
        return truncatedSnapshots;
    }

    /** @return malformed messages among those read (no state taken from them). */
    public long malformedCount()
    {
        return dispatcher.malformedCount();
    }

    /** @return the books as they stand (for tests and tools; owned by the replayer's thread). */
    public OrderBooks books()
    {
        return books;
    }
}
