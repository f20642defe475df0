package io.tickbus.client;

import io.tickbus.sbe.BookSnapshotEncoder;
import io.tickbus.sbe.InstrumentDefinitionEncoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.SecurityType;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TradeEncoder;
import io.tickbus.sbe.Venue;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes the few messages the bus-client tests publish.
 */
final class TestMessages
{
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final TradeEncoder trade = new TradeEncoder();
    private final InstrumentDefinitionEncoder definition = new InstrumentDefinitionEncoder();
    private final BookSnapshotEncoder snapshot = new BookSnapshotEncoder();

    int trade(final MutableDirectBuffer buffer, final int offset, final int feedId, final int instrumentId,
        final long sourceSeq)
    {
        trade.wrapAndApplyHeader(buffer, offset, header);
        trade.common().sourceSeq(sourceSeq).instrumentId(instrumentId).feedId(feedId).venue(Venue.SIMULATOR)
            .exchangeTime(1_000L + sourceSeq).receiveTime(2_000L + sourceSeq);
        trade.tradeId(sourceSeq).quantity(100).aggressorSide(Side.BUY);
        trade.price().mantissa(10_000 + sourceSeq).exponent((byte)-4);
        return MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength();
    }

    int definition(final MutableDirectBuffer buffer, final int offset, final int feedId, final int instrumentId,
        final String symbol)
    {
        definition.wrapAndApplyHeader(buffer, offset, header);
        definition.common().instrumentId(instrumentId).feedId(feedId).venue(Venue.SIMULATOR);
        definition.symbol(symbol).securityType(SecurityType.EQUITY).priceExponent((byte)-4).lotSize(100).tickSize(100);
        return MessageHeaderEncoder.ENCODED_LENGTH + definition.encodedLength();
    }

    int snapshot(final MutableDirectBuffer buffer, final int offset, final int levels)
    {
        snapshot.wrapAndApplyHeader(buffer, offset, header);
        snapshot.common().instrumentId(1).feedId(1);
        snapshot.lastSourceSeq(levels).priceExponent((byte)-4);
        final BookSnapshotEncoder.LevelsEncoder group = snapshot.levelsCount(levels);
        for (int i = 0; i < levels; i++)
        {
            group.next().side(Side.BUY).price(1_000_000 - i).quantity(i + 1).orderCount(1);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + snapshot.encodedLength();
    }
}
