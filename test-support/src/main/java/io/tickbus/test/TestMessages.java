package io.tickbus.test;

import io.tickbus.sbe.AddOrderEncoder;
import io.tickbus.sbe.BookSnapshotEncoder;
import io.tickbus.sbe.CommonEncoder;
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

import java.nio.ByteOrder;

/**
 * Encodes the messages tests publish, with the generated SBE encoders, each returning the encoded length. Two
 * kinds: the plain methods write at offset 0 of a buffer they zero first (256 bytes), stamp a global sequence and
 * fixed prices (what the command-line tests print and check); the {@code ...At} methods write at any offset
 * (a claimed log-buffer region too), with exchange and receive times and prices that follow the source sequence
 * (what the bus-client tests check).
 * <p>
 * Threading: one thread per instance. Allocation: none per message.
 */
public final class TestMessages
{
    private static final int ZEROED_BYTES = 256;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final TradeEncoder trade = new TradeEncoder();
    private final AddOrderEncoder addOrder = new AddOrderEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final GapNoticeEncoder gapNotice = new GapNoticeEncoder();
    private final InstrumentDefinitionEncoder definition = new InstrumentDefinitionEncoder();
    private final BookSnapshotEncoder snapshot = new BookSnapshotEncoder();

    /**
     * A Trade of 100 @ 189.2300 (mantissa 1,892,300, exponent -4), aggressor BUY, trade id = source sequence.
     *
     * @param buffer written from offset 0 (its first 256 bytes zeroed first).
     * @param feedId feed id.
     * @param instrumentId instrument id.
     * @param sourceSeq source sequence.
     * @param globalSeq global sequence, 0 for none.
     * @return the encoded length.
     */
    public int trade(
        final MutableDirectBuffer buffer, final int feedId, final int instrumentId, final long sourceSeq,
        final long globalSeq)
    {
        buffer.setMemory(0, ZEROED_BYTES, (byte)0);
        trade.wrapAndApplyHeader(buffer, 0, header);
        trade.common().globalSeq(globalSeq).sourceSeq(sourceSeq).instrumentId(instrumentId).feedId(feedId)
            .venue(Venue.SIMULATOR);
        trade.tradeId(sourceSeq).quantity(100).aggressorSide(Side.BUY);
        trade.price().mantissa(1_892_300).exponent((byte)-4);
        return MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength();
    }

    /**
     * An AddOrder SELL 200 @ 189.2400 attributed "MPID", order id = source sequence.
     *
     * @param buffer written from offset 0 (its first 256 bytes zeroed first).
     * @param feedId feed id.
     * @param instrumentId instrument id.
     * @param sourceSeq source sequence.
     * @param globalSeq global sequence, 0 for none.
     * @return the encoded length.
     */
    public int addOrder(
        final MutableDirectBuffer buffer, final int feedId, final int instrumentId, final long sourceSeq,
        final long globalSeq)
    {
        buffer.setMemory(0, ZEROED_BYTES, (byte)0);
        addOrder.wrapAndApplyHeader(buffer, 0, header);
        addOrder.common().globalSeq(globalSeq).sourceSeq(sourceSeq).instrumentId(instrumentId).feedId(feedId)
            .venue(Venue.SIMULATOR);
        addOrder.orderId(sourceSeq).side(Side.SELL).quantity(200).attribution("MPID");
        addOrder.price().mantissa(1_892_400).exponent((byte)-4);
        return MessageHeaderEncoder.ENCODED_LENGTH + addOrder.encodedLength();
    }

    /**
     * A venue GapNotice of the sequences {@code from..to}.
     *
     * @param buffer written from offset 0 (its first 256 bytes zeroed first).
     * @param feedId feed id.
     * @param sourceSeq source sequence of the notice.
     * @param from first missing sequence.
     * @param to last missing sequence.
     * @return the encoded length.
     */
    public int gapNotice(
        final MutableDirectBuffer buffer, final int feedId, final long sourceSeq, final long from, final long to)
    {
        buffer.setMemory(0, ZEROED_BYTES, (byte)0);
        gapNotice.wrapAndApplyHeader(buffer, 0, header);
        gapNotice.common().sourceSeq(sourceSeq).feedId(feedId).venue(Venue.SIMULATOR);
        gapNotice.fromSeq(from).toSeq(to).reason(GapReason.VENUE_GAP);
        return MessageHeaderEncoder.ENCODED_LENGTH + gapNotice.encodedLength();
    }

    /**
     * @param buffer written from offset 0 (its first 256 bytes zeroed first).
     * @param feedId feed id.
     * @return the encoded length of a Heartbeat.
     */
    public int heartbeat(final MutableDirectBuffer buffer, final int feedId)
    {
        buffer.setMemory(0, ZEROED_BYTES, (byte)0);
        heartbeat.wrapAndApplyHeader(buffer, 0, header);
        heartbeat.common().feedId(feedId).venue(Venue.SIMULATOR);
        return MessageHeaderEncoder.ENCODED_LENGTH + heartbeat.encodedLength();
    }

    /**
     * An equity InstrumentDefinition: price exponent -4, lot size 100, tick size 100.
     *
     * @param buffer written from offset 0 (its first 256 bytes zeroed first).
     * @param feedId feed id.
     * @param instrumentId instrument id.
     * @param sourceSeq source sequence.
     * @param symbol symbol.
     * @return the encoded length.
     */
    public int definition(
        final MutableDirectBuffer buffer, final int feedId, final int instrumentId, final long sourceSeq,
        final String symbol)
    {
        buffer.setMemory(0, ZEROED_BYTES, (byte)0);
        definition.wrapAndApplyHeader(buffer, 0, header);
        definition.common().sourceSeq(sourceSeq).instrumentId(instrumentId).feedId(feedId).venue(Venue.SIMULATOR);
        equity(symbol);
        return MessageHeaderEncoder.ENCODED_LENGTH + definition.encodedLength();
    }

    /**
     * Set the exchange, receive and sequencer times of the message at offset 0.
     *
     * @param buffer holding a message at offset 0.
     * @param exchange exchange time, epoch ns.
     * @param receive receive time, epoch ns.
     * @param sequencer sequencer time, epoch ns.
     */
    public static void times(final MutableDirectBuffer buffer, final long exchange, final long receive,
        final long sequencer)
    {
        final int common = MessageHeaderEncoder.ENCODED_LENGTH;
        buffer.putLong(common + CommonEncoder.exchangeTimeEncodingOffset(), exchange, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(common + CommonEncoder.receiveTimeEncodingOffset(), receive, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(common + CommonEncoder.sequencerTimeEncodingOffset(), sequencer, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A Trade of 100 at mantissa 10,000 + source sequence (exponent -4), aggressor BUY, exchange time 1,000 + and
     * receive time 2,000 + the source sequence, trade id = source sequence.
     *
     * @param buffer written at the offset, not zeroed.
     * @param offset of the message header.
     * @param feedId feed id.
     * @param instrumentId instrument id.
     * @param sourceSeq source sequence.
     * @return the encoded length.
     */
    public int tradeAt(
        final MutableDirectBuffer buffer, final int offset, final int feedId, final int instrumentId,
        final long sourceSeq)
    {
        trade.wrapAndApplyHeader(buffer, offset, header);
        trade.common().sourceSeq(sourceSeq).instrumentId(instrumentId).feedId(feedId).venue(Venue.SIMULATOR)
            .exchangeTime(1_000L + sourceSeq).receiveTime(2_000L + sourceSeq);
        trade.tradeId(sourceSeq).quantity(100).aggressorSide(Side.BUY);
        trade.price().mantissa(10_000 + sourceSeq).exponent((byte)-4);
        return MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength();
    }

    /**
     * An equity InstrumentDefinition as {@link #definition(MutableDirectBuffer, int, int, long, String)}, source
     * sequence left as the buffer holds it.
     *
     * @param buffer written at the offset, not zeroed.
     * @param offset of the message header.
     * @param feedId feed id.
     * @param instrumentId instrument id.
     * @param symbol symbol.
     * @return the encoded length.
     */
    public int definitionAt(
        final MutableDirectBuffer buffer, final int offset, final int feedId, final int instrumentId,
        final String symbol)
    {
        definition.wrapAndApplyHeader(buffer, offset, header);
        definition.common().instrumentId(instrumentId).feedId(feedId).venue(Venue.SIMULATOR);
        equity(symbol);
        return MessageHeaderEncoder.ENCODED_LENGTH + definition.encodedLength();
    }

    /**
     * A BookSnapshot of instrument 1, feed 1: {@code levels} BUY levels from price 1,000,000 down, level i with
     * quantity i + 1 and one order.
     *
     * @param buffer written at the offset, not zeroed.
     * @param offset of the message header.
     * @param levels how many levels.
     * @return the encoded length.
     */
    public int snapshotAt(final MutableDirectBuffer buffer, final int offset, final int levels)
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

    private void equity(final String symbol)
    {
        definition.symbol(symbol).securityType(SecurityType.EQUITY).priceExponent((byte)-4).lotSize(100).tickSize(100);
    }
}
