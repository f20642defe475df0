package io.tickbus.tools;

import io.tickbus.sbe.AddOrderEncoder;
import io.tickbus.sbe.GapNoticeEncoder;
import io.tickbus.sbe.GapReason;
import io.tickbus.sbe.HeartbeatEncoder;
import io.tickbus.sbe.InstrumentDefinitionEncoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.SecurityType;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TradeEncoder;
import io.tickbus.sbe.Venue;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes the messages the tools tests publish, with the SBE encoders.
 */
final class TestMessages
{
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final TradeEncoder trade = new TradeEncoder();
    private final AddOrderEncoder addOrder = new AddOrderEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final GapNoticeEncoder gapNotice = new GapNoticeEncoder();
    private final InstrumentDefinitionEncoder definition = new InstrumentDefinitionEncoder();

    int trade(final MutableDirectBuffer buffer, final int feedId, final int instrumentId, final long sourceSeq,
        final long globalSeq)
    {
        buffer.setMemory(0, 256, (byte)0);
        trade.wrapAndApplyHeader(buffer, 0, header);
        trade.common().globalSeq(globalSeq).sourceSeq(sourceSeq).instrumentId(instrumentId).feedId(feedId)
            .venue(Venue.SIMULATOR);
        trade.tradeId(sourceSeq).quantity(100).aggressorSide(Side.BUY);
        trade.price().mantissa(1_892_300).exponent((byte)-4);
        return MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength();
    }

    int addOrder(final MutableDirectBuffer buffer, final int feedId, final int instrumentId, final long sourceSeq,
        final long globalSeq)
    {
        buffer.setMemory(0, 256, (byte)0);
        addOrder.wrapAndApplyHeader(buffer, 0, header);
        addOrder.common().globalSeq(globalSeq).sourceSeq(sourceSeq).instrumentId(instrumentId).feedId(feedId)
            .venue(Venue.SIMULATOR);
        addOrder.orderId(sourceSeq).side(Side.SELL).quantity(200).attribution("MPID");
        addOrder.price().mantissa(1_892_400).exponent((byte)-4);
        return MessageHeaderEncoder.ENCODED_LENGTH + addOrder.encodedLength();
    }

    int gapNotice(final MutableDirectBuffer buffer, final int feedId, final long sourceSeq, final long from,
        final long to)
    {
        buffer.setMemory(0, 256, (byte)0);
        gapNotice.wrapAndApplyHeader(buffer, 0, header);
        gapNotice.common().sourceSeq(sourceSeq).feedId(feedId).venue(Venue.SIMULATOR);
        gapNotice.fromSeq(from).toSeq(to).reason(GapReason.VENUE_GAP);
        return MessageHeaderEncoder.ENCODED_LENGTH + gapNotice.encodedLength();
    }

    int heartbeat(final MutableDirectBuffer buffer, final int feedId)
    {
        buffer.setMemory(0, 256, (byte)0);
        heartbeat.wrapAndApplyHeader(buffer, 0, header);
        heartbeat.common().feedId(feedId).venue(Venue.SIMULATOR);
        return MessageHeaderEncoder.ENCODED_LENGTH + heartbeat.encodedLength();
    }

    int definition(final MutableDirectBuffer buffer, final int feedId, final int instrumentId, final long sourceSeq,
        final String symbol)
    {
        buffer.setMemory(0, 256, (byte)0);
        definition.wrapAndApplyHeader(buffer, 0, header);
        definition.common().sourceSeq(sourceSeq).instrumentId(instrumentId).feedId(feedId).venue(Venue.SIMULATOR);
        definition.symbol(symbol).securityType(SecurityType.EQUITY).priceExponent((byte)-4).lotSize(100).tickSize(100);
        return MessageHeaderEncoder.ENCODED_LENGTH + definition.encodedLength();
    }

    /**
     * Set the times of the common block of a message in the buffer at offset 0.
     */
    static void times(final MutableDirectBuffer buffer, final long exchange, final long receive, final long sequencer)
    {
        buffer.putLong(io.tickbus.client.CommonBlock.EXCHANGE_TIME_OFFSET, exchange, java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(io.tickbus.client.CommonBlock.RECEIVE_TIME_OFFSET, receive, java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(io.tickbus.client.CommonBlock.SEQUENCER_TIME_OFFSET, sequencer, java.nio.ByteOrder.LITTLE_ENDIAN);
    }
}
