package io.tickbus.client.book;

import io.tickbus.sbe.AddOrderEncoder;
import io.tickbus.sbe.BookSnapshotEncoder;
import io.tickbus.sbe.CancelOrderEncoder;
import io.tickbus.sbe.CancelType;
import io.tickbus.sbe.CommonEncoder;
import io.tickbus.sbe.EndOfSessionEncoder;
import io.tickbus.sbe.ExecuteOrderEncoder;
import io.tickbus.sbe.InstrumentDefinitionEncoder;
import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.ModifyOrderEncoder;
import io.tickbus.sbe.PriceLevelUpdateEncoder;
import io.tickbus.sbe.SecurityType;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TopOfBookEncoder;
import io.tickbus.sbe.TradeEncoder;
import io.tickbus.sbe.TradeType;
import io.tickbus.sbe.Venue;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Test helper: encodes book messages one after another into a growing buffer (a "recorded stream"), remembering
 * each message's offset and length, and can replay them into a listener's dispatcher. Every message gets an
 * increasing source sequence; the exchange time is whatever {@link #time(long)} last set.
 */
public final class BookMessages
{
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final InstrumentDefinitionEncoder definition = new InstrumentDefinitionEncoder();
    private final AddOrderEncoder add = new AddOrderEncoder();
    private final ModifyOrderEncoder modify = new ModifyOrderEncoder();
    private final CancelOrderEncoder cancel = new CancelOrderEncoder();
    private final ExecuteOrderEncoder execute = new ExecuteOrderEncoder();
    private final PriceLevelUpdateEncoder level = new PriceLevelUpdateEncoder();
    private final TradeEncoder trade = new TradeEncoder();
    private final TopOfBookEncoder top = new TopOfBookEncoder();
    private final BookSnapshotEncoder snapshot = new BookSnapshotEncoder();
    private final EndOfSessionEncoder endOfSession = new EndOfSessionEncoder();

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1 << 16);
    private int[] offsets = new int[1024];
    private int[] lengths = new int[1024];
    private int count;
    private int limit;
    private long sourceSeq;
    private long timeNs = 1_000_000_000L;
    private int feedId = 1;
    private int exponent = -4;

    /** @param timeNs exchange (and receive) time of the next messages. */
    public BookMessages time(final long timeNs)
    {
        this.timeNs = timeNs;
        return this;
    }

    /** @param feedId feed of the next messages. */
    public BookMessages feed(final int feedId)
    {
        this.feedId = feedId;
        return this;
    }

    /** @param exponent price exponent of the next messages' Decimal64 prices. */
    public BookMessages exponent(final int exponent)
    {
        this.exponent = exponent;
        return this;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public int count()
    {
        return count;
    }

    public int offset(final int index)
    {
        return offsets[index];
    }

    public int length(final int index)
    {
        return lengths[index];
    }

    public BookMessages definition(final int instrumentId, final String symbol, final int priceExponent)
    {
        definition.wrapAndApplyHeader(buffer, limit, header);
        common(definition.common(), instrumentId);
        definition.symbol(symbol).securityType(SecurityType.EQUITY).priceExponent((byte)priceExponent)
            .lotSize(100).tickSize(1).tradingDate(20261121);
        return done(definition.encodedLength());
    }

    public BookMessages add(final int instrumentId, final long orderId, final Side side, final long price,
        final long quantity)
    {
        add.wrapAndApplyHeader(buffer, limit, header);
        common(add.common(), instrumentId);
        add.orderId(orderId).side(side).quantity(quantity).attribution("    ");
        add.price().mantissa(price).exponent((byte)exponent);
        return done(add.encodedLength());
    }

    public BookMessages modify(final int instrumentId, final long orderId, final long newOrderId, final Side side,
        final long price, final long quantity)
    {
        modify.wrapAndApplyHeader(buffer, limit, header);
        common(modify.common(), instrumentId);
        modify.orderId(orderId).newOrderId(newOrderId).side(side).quantity(quantity);
        modify.price().mantissa(price).exponent((byte)exponent);
        return done(modify.encodedLength());
    }

    public BookMessages cancel(final int instrumentId, final long orderId, final long quantity)
    {
        cancel.wrapAndApplyHeader(buffer, limit, header);
        common(cancel.common(), instrumentId);
        cancel.orderId(orderId).cancelledQuantity(quantity).cancelType(CancelType.PARTIAL);
        return done(cancel.encodedLength());
    }

    public BookMessages delete(final int instrumentId, final long orderId)
    {
        cancel.wrapAndApplyHeader(buffer, limit, header);
        common(cancel.common(), instrumentId);
        cancel.orderId(orderId).cancelledQuantity(0).cancelType(CancelType.FULL);
        return done(cancel.encodedLength());
    }

    /** An execution; price Long.MIN_VALUE for "at the order's price". */
    public BookMessages execute(final int instrumentId, final long orderId, final long quantity, final long price)
    {
        execute.wrapAndApplyHeader(buffer, limit, header);
        common(execute.common(), instrumentId);
        execute.orderId(orderId).executedQuantity(quantity).matchId(sourceSeq).printable((short)1);
        execute.price().mantissa(price).exponent((byte)exponent);
        return done(execute.encodedLength());
    }

    public BookMessages level(final int instrumentId, final Side side, final LevelAction action, final int depth,
        final long price, final long quantity, final int orders)
    {
        level.wrapAndApplyHeader(buffer, limit, header);
        common(level.common(), instrumentId);
        level.side(side).action(action).level((short)depth).eventFlags((short)1).quantity(quantity).orderCount(orders);
        level.price().mantissa(price).exponent((byte)exponent);
        return done(level.encodedLength());
    }

    public BookMessages trade(final int instrumentId, final long price, final long quantity)
    {
        trade.wrapAndApplyHeader(buffer, limit, header);
        common(trade.common(), instrumentId);
        trade.tradeId(sourceSeq).quantity(quantity).aggressorSide(Side.BUY).tradeType(TradeType.REGULAR)
            .saleConditions((short)0).cumulativeVolume(0);
        trade.price().mantissa(price).exponent((byte)exponent);
        return done(trade.encodedLength());
    }

    public BookMessages quote(final int instrumentId, final long bid, final long bidQty, final long ask,
        final long askQty)
    {
        top.wrapAndApplyHeader(buffer, limit, header);
        common(top.common(), instrumentId);
        top.bidPrice().mantissa(bid).exponent((byte)exponent);
        top.askPrice().mantissa(ask).exponent((byte)exponent);
        top.bidQuantity(bidQty).askQuantity(askQty);
        return done(top.encodedLength());
    }

    /** A snapshot; levels as {side char, price, quantity, orders} rows, price at {@code snapshotExponent}. */
    public BookMessages snapshot(final int instrumentId, final int snapshotExponent, final long[][] levels)
    {
        snapshot.wrapAndApplyHeader(buffer, limit, header);
        common(snapshot.common(), instrumentId);
        snapshot.lastSourceSeq(sourceSeq).priceExponent((byte)snapshotExponent);
        final BookSnapshotEncoder.LevelsEncoder group = snapshot.levelsCount(levels.length);
        for (final long[] row : levels)
        {
            group.next().side(row[0] == 'B' ? Side.BUY : Side.SELL).price(row[1]).quantity(row[2])
                .orderCount((int)row[3]);
        }
        return done(snapshot.encodedLength());
    }

    public BookMessages endOfReplay()
    {
        endOfSession.wrapAndApplyHeader(buffer, limit, header);
        common(endOfSession.common(), 0);
        endOfSession.tradingDate(20261121).messageCount(count).endOfReplay((short)1);
        return done(endOfSession.encodedLength());
    }

    /** Append an already encoded message. */
    public BookMessages copy(final org.agrona.DirectBuffer source, final int offset, final int length)
    {
        buffer.putBytes(limit, source, offset, length);
        return done(length - MessageHeaderEncoder.ENCODED_LENGTH);
    }

    private void common(final CommonEncoder common, final int instrumentId)
    {
        common.globalSeq(0).sequencerTime(0).sourceSeq(++sourceSeq).exchangeTime(timeNs).receiveTime(timeNs)
            .publishTime(0).instrumentId(instrumentId).feedId(feedId).venue(Venue.SIMULATOR).flags((short)0);
    }

    private BookMessages done(final int bodyLength)
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
        if (count == offsets.length)
        {
            offsets = java.util.Arrays.copyOf(offsets, count * 2);
            lengths = java.util.Arrays.copyOf(lengths, count * 2);
        }
        offsets[count] = limit;
        lengths[count] = length;
        count++;
        limit += (length + 7) & ~7;
        return this;
    }
}
