package io.tickbus.sbe;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SBE's evolution rule holds between schema versions 1 and 2 (frozen copies in src/test/resources, generated into
 * io.tickbus.sbe.v1 and io.tickbus.sbe.v2) and the current version 3. Version 2 added {@code Trade.cumulativeVolume};
 * version 3 added {@code AddOrder.priority}, {@code ModifyOrder.priority}, the display factor of
 * {@code InstrumentDefinition} (all with {@code sinceVersion="3"} at the end of their blocks) and the message
 * {@code MarketStatistic} (template 14).
 */
class SchemaEvolutionTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocate(1024));

    @Test
    void currentReaderDecodesVersion1Trade()
    {
        final io.tickbus.sbe.v1.MessageHeaderEncoder v1Header = new io.tickbus.sbe.v1.MessageHeaderEncoder();
        final io.tickbus.sbe.v1.TradeEncoder v1 = new io.tickbus.sbe.v1.TradeEncoder()
            .wrapAndApplyHeader(buffer, 0, v1Header);
        v1.common().sourceSeq(77).instrumentId(3).feedId(2);
        v1.tradeId(9).quantity(100).aggressorSide(io.tickbus.sbe.v1.Side.BUY);
        v1.price().mantissa(12345).exponent((byte)-2);
        // Something after the v1 block: a v2 reader must not read it as cumulativeVolume.
        buffer.putLong(io.tickbus.sbe.v1.MessageHeaderEncoder.ENCODED_LENGTH + v1.encodedLength(), 0x5A5A5A5A5A5AL);

        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        assertEquals(1, header.version());
        assertTrue(header.blockLength() < TradeDecoder.BLOCK_LENGTH, "v1 block is shorter");

        final TradeDecoder current = new TradeDecoder();
        current.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        assertEquals(77, current.common().sourceSeq());
        assertEquals(9, current.tradeId());
        assertEquals(12345, current.price().mantissa());
        assertEquals(100, current.quantity());
        assertEquals(Side.BUY, current.aggressorSide());
        assertEquals(TradeDecoder.cumulativeVolumeNullValue(), current.cumulativeVolume(),
            "a field added later reads as its null value in an older message");
        assertEquals(header.blockLength(), current.encodedLength(), "the reader skips exactly the v1 block");
    }

    @Test
    void version1ReaderDecodesCurrentTradeAndSkipsTheNewField()
    {
        final TradeEncoder v2 = new TradeEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        v2.common().sourceSeq(5).instrumentId(8);
        v2.tradeId(10).quantity(200).aggressorSide(Side.SELL).cumulativeVolume(5_000_000);
        v2.price().mantissa(-1).exponent((byte)-4);

        final io.tickbus.sbe.v1.MessageHeaderDecoder header = new io.tickbus.sbe.v1.MessageHeaderDecoder()
            .wrap(buffer, 0);
        assertEquals(MessageHeaderEncoder.SCHEMA_VERSION, header.version());
        final io.tickbus.sbe.v1.TradeDecoder old = new io.tickbus.sbe.v1.TradeDecoder();
        old.wrap(buffer, io.tickbus.sbe.v1.MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        assertEquals(5, old.common().sourceSeq());
        assertEquals(10, old.tradeId());
        assertEquals(200, old.quantity());
        assertEquals(-1, old.price().mantissa());
        assertEquals(io.tickbus.sbe.v1.Side.SELL, old.aggressorSide());
        assertEquals(TradeDecoder.BLOCK_LENGTH, old.encodedLength(),
            "an old reader honours the newer, longer block length it was given");
    }

    @Test
    void untouchedMessagesHaveTheSameLayoutInBothVersions()
    {
        // Version 4 appends a 2-byte epoch to every root block; the fields before it keep their offsets.
        final int epoch = 2;
        assertEquals(io.tickbus.sbe.v1.AddOrderEncoder.BLOCK_LENGTH, io.tickbus.sbe.v2.AddOrderEncoder.BLOCK_LENGTH);
        assertEquals(io.tickbus.sbe.v2.AddOrderEncoder.BLOCK_LENGTH + 8 + epoch, AddOrderEncoder.BLOCK_LENGTH);
        assertEquals(io.tickbus.sbe.v2.ModifyOrderEncoder.BLOCK_LENGTH + 8 + epoch, ModifyOrderEncoder.BLOCK_LENGTH);
        assertEquals(io.tickbus.sbe.v2.InstrumentDefinitionEncoder.BLOCK_LENGTH + 9 + epoch,
            InstrumentDefinitionEncoder.BLOCK_LENGTH);
        assertEquals(io.tickbus.sbe.v1.BookSnapshotEncoder.BLOCK_LENGTH + epoch, BookSnapshotEncoder.BLOCK_LENGTH);
        assertEquals(io.tickbus.sbe.v1.CancelOrderEncoder.BLOCK_LENGTH + epoch, CancelOrderEncoder.BLOCK_LENGTH);
        assertEquals(io.tickbus.sbe.v1.TradeEncoder.BLOCK_LENGTH + 8 + epoch, TradeEncoder.BLOCK_LENGTH);
        assertEquals(io.tickbus.sbe.v2.TradeEncoder.BLOCK_LENGTH + epoch, TradeEncoder.BLOCK_LENGTH);
        assertEquals(io.tickbus.sbe.v2.TradeEncoder.BLOCK_LENGTH, TradeEncoder.epochEncodingOffset(),
            "the epoch comes after every older field");
        assertEquals(io.tickbus.sbe.v1.MessageHeaderEncoder.SCHEMA_ID, MessageHeaderEncoder.SCHEMA_ID);
        assertEquals(2, io.tickbus.sbe.v2.MessageHeaderEncoder.SCHEMA_VERSION);
        assertEquals(4, MessageHeaderEncoder.SCHEMA_VERSION);
        assertEquals(4, TradeEncoder.epochSinceVersion());
    }

    @Test
    void currentReaderDecodesVersion2OrdersAndDefinitionsWithTheNewFieldsNull()
    {
        final io.tickbus.sbe.v2.MessageHeaderEncoder v2Header = new io.tickbus.sbe.v2.MessageHeaderEncoder();
        final io.tickbus.sbe.v2.AddOrderEncoder add = new io.tickbus.sbe.v2.AddOrderEncoder()
            .wrapAndApplyHeader(buffer, 0, v2Header);
        add.common().sourceSeq(1).instrumentId(4);
        add.orderId(42).side(io.tickbus.sbe.v2.Side.BUY).quantity(300);
        add.price().mantissa(1_000_000).exponent((byte)-4);
        // Bytes where a version-3 priority would be: a current reader must not take them.
        buffer.putLong(io.tickbus.sbe.v2.MessageHeaderEncoder.ENCODED_LENGTH + add.encodedLength(), 777L);

        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        assertEquals(2, header.version());
        final AddOrderDecoder current = new AddOrderDecoder()
            .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        assertEquals(42, current.orderId());
        assertEquals(300, current.quantity());
        assertEquals(Long.MIN_VALUE, current.priority(), "no priority in a version-2 message: null");
        assertEquals(AddOrderDecoder.priorityNullValue(), current.priority());

        final io.tickbus.sbe.v2.InstrumentDefinitionEncoder definition =
            new io.tickbus.sbe.v2.InstrumentDefinitionEncoder().wrapAndApplyHeader(buffer, 0, v2Header);
        definition.common().instrumentId(9);
        definition.securityType(io.tickbus.sbe.v2.SecurityType.FUTURE).priceExponent((byte)-7).tradingDate(20151030);
        header.wrap(buffer, 0);
        final InstrumentDefinitionDecoder def = new InstrumentDefinitionDecoder()
            .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        assertEquals(20151030, def.tradingDate());
        assertEquals(InstrumentDefinitionDecoder.displayFactorMantissaNullValue(), def.displayFactorMantissa());
    }

    @Test
    void version2ReaderDecodesCurrentOrdersAndSkipsTheNewMessageByItsBlockLength()
    {
        // A current MarketStatistic, then a current ModifyOrder, one after the other as on a stream.
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        final MarketStatisticEncoder statistic =
            new MarketStatisticEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder);
        statistic.common().instrumentId(7);
        statistic.statType(StatType.VOLUME).action(LevelAction.NEW).venueCode((byte)'e').qualifier((short)0)
            .quantity(1_340_718).tradingDate(0);
        statistic.price().mantissa(Long.MIN_VALUE).exponent((byte)0);
        final int second = MessageHeaderEncoder.ENCODED_LENGTH + statistic.encodedLength();
        final ModifyOrderEncoder modify = new ModifyOrderEncoder().wrapAndApplyHeader(buffer, second, headerEncoder);
        modify.common().instrumentId(7);
        modify.orderId(5).newOrderId(5).side(Side.SELL).quantity(9).priority(1_423_908_467L);
        modify.price().mantissa(1_000_000_000L).exponent((byte)-9);

        final io.tickbus.sbe.v2.MessageHeaderDecoder old =
            new io.tickbus.sbe.v2.MessageHeaderDecoder().wrap(buffer, 0);
        assertEquals(MarketStatisticEncoder.TEMPLATE_ID, old.templateId(), "a template version 2 does not know");
        final int next = io.tickbus.sbe.v2.MessageHeaderDecoder.ENCODED_LENGTH + old.blockLength();
        assertEquals(second, next, "skipped whole by its block length: it has no groups");
        old.wrap(buffer, next);
        assertEquals(io.tickbus.sbe.v2.ModifyOrderDecoder.TEMPLATE_ID, old.templateId());
        final io.tickbus.sbe.v2.ModifyOrderDecoder v2 = new io.tickbus.sbe.v2.ModifyOrderDecoder().wrap(
            buffer, next + io.tickbus.sbe.v2.MessageHeaderDecoder.ENCODED_LENGTH, old.blockLength(), old.version());
        assertEquals(5, v2.orderId());
        assertEquals(9, v2.quantity());
        assertEquals(1_000_000_000L, v2.price().mantissa());
        assertEquals(io.tickbus.sbe.v2.Side.SELL, v2.side());
        assertEquals(ModifyOrderEncoder.BLOCK_LENGTH, v2.encodedLength());
    }
}
