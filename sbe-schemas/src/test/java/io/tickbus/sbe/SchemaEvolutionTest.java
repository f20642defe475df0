package io.tickbus.sbe;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SBE's evolution rule holds between schema version 1 (frozen copy in src/test/resources, generated into
 * io.tickbus.sbe.v1) and the current version 2, which added {@code Trade.cumulativeVolume} with
 * {@code sinceVersion="2"} at the end of the block.
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
        assertEquals(2, header.version());
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
        assertEquals(io.tickbus.sbe.v1.AddOrderEncoder.BLOCK_LENGTH, AddOrderEncoder.BLOCK_LENGTH);
        assertEquals(io.tickbus.sbe.v1.BookSnapshotEncoder.BLOCK_LENGTH, BookSnapshotEncoder.BLOCK_LENGTH);
        assertEquals(io.tickbus.sbe.v1.TradeEncoder.BLOCK_LENGTH + 8, TradeEncoder.BLOCK_LENGTH);
        assertEquals(io.tickbus.sbe.v1.MessageHeaderEncoder.SCHEMA_ID, MessageHeaderEncoder.SCHEMA_ID);
    }
}
