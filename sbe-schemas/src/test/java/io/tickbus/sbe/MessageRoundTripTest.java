package io.tickbus.sbe;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every message type encodes and decodes with every field intact, and the common block reads the same through
 * one flyweight whatever the template.
 */
class MessageRoundTripTest
{
    private static final int OFFSET = 16; // deliberately not zero: offsets must be honoured

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();

    private static void fillCommon(final CommonEncoder c, final int seed)
    {
        c.globalSeq(1000L + seed)
            .sequencerTime(1_700_000_000_000_000_000L + seed)
            .sourceSeq(500L + seed)
            .exchangeTime(1_690_000_000_000_000_001L + seed)
            .receiveTime(1_690_000_000_000_000_002L + seed)
            .publishTime(1_690_000_000_000_000_003L + seed)
            .instrumentId(42 + seed)
            .feedId(7 + seed)
            .venue(Venue.NASDAQ)
            .flags((short)5);
    }

    private static void checkCommon(final CommonDecoder c, final int seed)
    {
        assertEquals(1000L + seed, c.globalSeq());
        assertEquals(1_700_000_000_000_000_000L + seed, c.sequencerTime());
        assertEquals(500L + seed, c.sourceSeq());
        assertEquals(1_690_000_000_000_000_001L + seed, c.exchangeTime());
        assertEquals(1_690_000_000_000_000_002L + seed, c.receiveTime());
        assertEquals(1_690_000_000_000_000_003L + seed, c.publishTime());
        assertEquals(42 + seed, c.instrumentId());
        assertEquals(7 + seed, c.feedId());
        assertEquals(Venue.NASDAQ, c.venue());
        assertEquals(5, c.flags());
    }

    private int applyHeaderAndCheck(final int templateId, final int blockLength)
    {
        headerDecoder.wrap(buffer, OFFSET);
        assertEquals(templateId, headerDecoder.templateId());
        assertEquals(blockLength, headerDecoder.blockLength());
        assertEquals(MessageHeaderDecoder.SCHEMA_ID, headerDecoder.schemaId());
        assertEquals(MessageHeaderDecoder.SCHEMA_VERSION, headerDecoder.version());
        return OFFSET + MessageHeaderDecoder.ENCODED_LENGTH;
    }

    @Test
    void instrumentDefinition()
    {
        final InstrumentDefinitionEncoder e = new InstrumentDefinitionEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder);
        fillCommon(e.common(), 1);
        e.symbol("AAPL").securityType(SecurityType.EQUITY).priceExponent((byte)-4).lotSize(100).tickSize(100)
            .tradingDate(20230822);
        final InstrumentDefinitionDecoder d = new InstrumentDefinitionDecoder();
        d.wrap(buffer, applyHeaderAndCheck(1, InstrumentDefinitionEncoder.BLOCK_LENGTH),
            InstrumentDefinitionDecoder.BLOCK_LENGTH, InstrumentDefinitionDecoder.SCHEMA_VERSION);
        checkCommon(d.common(), 1);
        assertEquals("AAPL", d.symbol().trim());
        assertEquals(SecurityType.EQUITY, d.securityType());
        assertEquals(-4, d.priceExponent());
        assertEquals(100, d.lotSize());
        assertEquals(100, d.tickSize());
        assertEquals(20230822, d.tradingDate());
    }

    @Test
    void addOrder()
    {
        final AddOrderEncoder e = new AddOrderEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder);
        fillCommon(e.common(), 2);
        e.orderId(0x8000_0000_0000_0001L).side(Side.SELL).quantity(300).attribution("GSCO");
        e.price().mantissa(1_234_500).exponent((byte)-4);
        final AddOrderDecoder d = new AddOrderDecoder();
        d.wrap(buffer, applyHeaderAndCheck(2, AddOrderEncoder.BLOCK_LENGTH), AddOrderDecoder.BLOCK_LENGTH,
            AddOrderDecoder.SCHEMA_VERSION);
        checkCommon(d.common(), 2);
        assertEquals(0x8000_0000_0000_0001L, d.orderId(), "uint64 order id keeps its top bit");
        assertEquals(Side.SELL, d.side());
        assertEquals(1_234_500, d.price().mantissa());
        assertEquals(-4, d.price().exponent());
        assertEquals(300, d.quantity());
        assertEquals("GSCO", d.attribution());
    }

    @Test
    void modifyOrder()
    {
        final ModifyOrderEncoder e = new ModifyOrderEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder);
        fillCommon(e.common(), 3);
        e.orderId(11).newOrderId(12).side(Side.BUY).quantity(50);
        e.price().mantissa(999).exponent((byte)-2);
        final ModifyOrderDecoder d = new ModifyOrderDecoder();
        d.wrap(buffer, applyHeaderAndCheck(3, ModifyOrderEncoder.BLOCK_LENGTH), ModifyOrderDecoder.BLOCK_LENGTH,
            ModifyOrderDecoder.SCHEMA_VERSION);
        checkCommon(d.common(), 3);
        assertEquals(11, d.orderId());
        assertEquals(12, d.newOrderId());
        assertEquals(Side.BUY, d.side());
        assertEquals(999, d.price().mantissa());
        assertEquals(-2, d.price().exponent());
        assertEquals(50, d.quantity());
    }

    @Test
    void cancelOrder()
    {
        final CancelOrderEncoder e = new CancelOrderEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder);
        fillCommon(e.common(), 4);
        e.orderId(77).cancelledQuantity(25).cancelType(CancelType.PARTIAL);
        final CancelOrderDecoder d = new CancelOrderDecoder();
        d.wrap(buffer, applyHeaderAndCheck(4, CancelOrderEncoder.BLOCK_LENGTH), CancelOrderDecoder.BLOCK_LENGTH,
            CancelOrderDecoder.SCHEMA_VERSION);
        checkCommon(d.common(), 4);
        assertEquals(77, d.orderId());
        assertEquals(25, d.cancelledQuantity());
        assertEquals(CancelType.PARTIAL, d.cancelType());
    }

    @Test
    void executeOrder()
    {
        final ExecuteOrderEncoder e = new ExecuteOrderEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder);
        fillCommon(e.common(), 5);
        e.orderId(88).executedQuantity(10).matchId(123456789L).printable((short)1);
        e.price().mantissa(Long.MIN_VALUE).exponent((byte)-4);
        final ExecuteOrderDecoder d = new ExecuteOrderDecoder();
        d.wrap(buffer, applyHeaderAndCheck(5, ExecuteOrderEncoder.BLOCK_LENGTH), ExecuteOrderDecoder.BLOCK_LENGTH,
            ExecuteOrderDecoder.SCHEMA_VERSION);
        checkCommon(d.common(), 5);
        assertEquals(88, d.orderId());
        assertEquals(10, d.executedQuantity());
        assertEquals(Long.MIN_VALUE, d.price().mantissa());
        assertEquals(123456789L, d.matchId());
        assertEquals(1, d.printable());
    }

    @Test
    void priceLevelUpdate()
    {
        final PriceLevelUpdateEncoder e = new PriceLevelUpdateEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder);
        fillCommon(e.common(), 6);
        e.side(Side.BUY).action(LevelAction.CHANGE).level((short)3).eventFlags((short)1).quantity(700).orderCount(-1);
        e.price().mantissa(451_2500).exponent((byte)-4);
        final PriceLevelUpdateDecoder d = new PriceLevelUpdateDecoder();
        d.wrap(buffer, applyHeaderAndCheck(6, PriceLevelUpdateEncoder.BLOCK_LENGTH),
            PriceLevelUpdateDecoder.BLOCK_LENGTH, PriceLevelUpdateDecoder.SCHEMA_VERSION);
        checkCommon(d.common(), 6);
        assertEquals(Side.BUY, d.side());
        assertEquals(LevelAction.CHANGE, d.action());
        assertEquals(3, d.level());
        assertEquals(1, d.eventFlags());
        assertEquals(451_2500, d.price().mantissa());
        assertEquals(700, d.quantity());
        assertEquals(-1, d.orderCount());
    }

    @Test
    void trade()
    {
        final TradeEncoder e = new TradeEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder);
        fillCommon(e.common(), 7);
        e.tradeId(4242).quantity(100).aggressorSide(Side.NONE).tradeType(TradeType.CROSS)
            .saleConditions((short)0x80).cumulativeVolume(1_000_000);
        e.price().mantissa(1_000_100).exponent((byte)-4);
        final TradeDecoder d = new TradeDecoder();
        d.wrap(buffer, applyHeaderAndCheck(7, TradeEncoder.BLOCK_LENGTH), TradeDecoder.BLOCK_LENGTH,
            TradeDecoder.SCHEMA_VERSION);
        checkCommon(d.common(), 7);
        assertEquals(4242, d.tradeId());
        assertEquals(1_000_100, d.price().mantissa());
        assertEquals(100, d.quantity());
        assertEquals(Side.NONE, d.aggressorSide());
        assertEquals(TradeType.CROSS, d.tradeType());
        assertEquals(0x80, d.saleConditions());
        assertEquals(1_000_000, d.cumulativeVolume());
    }

    @Test
    void topOfBook()
    {
        final TopOfBookEncoder e = new TopOfBookEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder);
        fillCommon(e.common(), 8);
        e.bidPrice().mantissa(100).exponent((byte)-2);
        e.askPrice().mantissa(101).exponent((byte)-2);
        e.bidQuantity(5).askQuantity(6);
        final TopOfBookDecoder d = new TopOfBookDecoder();
        d.wrap(buffer, applyHeaderAndCheck(8, TopOfBookEncoder.BLOCK_LENGTH), TopOfBookDecoder.BLOCK_LENGTH,
            TopOfBookDecoder.SCHEMA_VERSION);
        checkCommon(d.common(), 8);
        assertEquals(100, d.bidPrice().mantissa());
        assertEquals(-2, d.bidPrice().exponent());
        assertEquals(5, d.bidQuantity());
        assertEquals(101, d.askPrice().mantissa());
        assertEquals(6, d.askQuantity());
    }

    @Test
    void bookSnapshotWithLevels()
    {
        final int levels = 300;
        final ExpandableArrayBuffer big = new ExpandableArrayBuffer(64);
        final BookSnapshotEncoder e = new BookSnapshotEncoder().wrapAndApplyHeader(big, 0, headerEncoder);
        fillCommon(e.common(), 9);
        e.lastSourceSeq(999).priceExponent((byte)-4);
        final BookSnapshotEncoder.LevelsEncoder g = e.levelsCount(levels);
        for (int i = 0; i < levels; i++)
        {
            g.next().side(i % 2 == 0 ? Side.BUY : Side.SELL).price(10_000 + i).quantity(i * 10L).orderCount(i);
        }
        final int length = e.encodedLength() + MessageHeaderEncoder.ENCODED_LENGTH;

        final BookSnapshotDecoder d = new BookSnapshotDecoder();
        d.wrap(big, MessageHeaderDecoder.ENCODED_LENGTH, BookSnapshotDecoder.BLOCK_LENGTH,
            BookSnapshotDecoder.SCHEMA_VERSION);
        checkCommon(d.common(), 9);
        assertEquals(999, d.lastSourceSeq());
        assertEquals(-4, d.priceExponent());
        int i = 0;
        for (final BookSnapshotDecoder.LevelsDecoder level : d.levels())
        {
            assertEquals(i % 2 == 0 ? Side.BUY : Side.SELL, level.side());
            assertEquals(10_000 + i, level.price());
            assertEquals(i * 10L, level.quantity());
            assertEquals(i, level.orderCount());
            i++;
        }
        assertEquals(levels, i);
        assertEquals(length, d.encodedLength() + MessageHeaderDecoder.ENCODED_LENGTH);
    }

    @Test
    void tradingStatusHeartbeatGapEndOfSession()
    {
        final TradingStatusEncoder ts = new TradingStatusEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder);
        fillCommon(ts.common(), 10);
        ts.state(TradingState.HALTED).venueCode((byte)'H').reason("LUDP");
        final TradingStatusDecoder tsd = new TradingStatusDecoder();
        tsd.wrap(buffer, applyHeaderAndCheck(10, TradingStatusEncoder.BLOCK_LENGTH),
            TradingStatusDecoder.BLOCK_LENGTH, TradingStatusDecoder.SCHEMA_VERSION);
        checkCommon(tsd.common(), 10);
        assertEquals(TradingState.HALTED, tsd.state());
        assertEquals('H', tsd.venueCode());
        assertEquals("LUDP", tsd.reason());

        final HeartbeatEncoder hb = new HeartbeatEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder);
        fillCommon(hb.common(), 11);
        final HeartbeatDecoder hbd = new HeartbeatDecoder();
        hbd.wrap(buffer, applyHeaderAndCheck(11, HeartbeatEncoder.BLOCK_LENGTH), HeartbeatDecoder.BLOCK_LENGTH,
            HeartbeatDecoder.SCHEMA_VERSION);
        checkCommon(hbd.common(), 11);

        final GapNoticeEncoder gap = new GapNoticeEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder);
        fillCommon(gap.common(), 12);
        gap.fromSeq(10).toSeq(19).reason(GapReason.VENUE_GAP);
        final GapNoticeDecoder gapd = new GapNoticeDecoder();
        gapd.wrap(buffer, applyHeaderAndCheck(12, GapNoticeEncoder.BLOCK_LENGTH), GapNoticeDecoder.BLOCK_LENGTH,
            GapNoticeDecoder.SCHEMA_VERSION);
        checkCommon(gapd.common(), 12);
        assertEquals(10, gapd.fromSeq());
        assertEquals(19, gapd.toSeq());
        assertEquals(GapReason.VENUE_GAP, gapd.reason());

        final EndOfSessionEncoder eos = new EndOfSessionEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder);
        fillCommon(eos.common(), 13);
        eos.tradingDate(20180127).messageCount(123_456).endOfReplay((short)1);
        final EndOfSessionDecoder eosd = new EndOfSessionDecoder();
        eosd.wrap(buffer, applyHeaderAndCheck(13, EndOfSessionEncoder.BLOCK_LENGTH),
            EndOfSessionDecoder.BLOCK_LENGTH, EndOfSessionDecoder.SCHEMA_VERSION);
        checkCommon(eosd.common(), 13);
        assertEquals(20180127, eosd.tradingDate());
        assertEquals(123_456, eosd.messageCount());
        assertEquals(1, eosd.endOfReplay());
    }

    @Test
    void marketStatistic()
    {
        final MarketStatisticEncoder e =
            new MarketStatisticEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder);
        fillCommon(e.common(), 14);
        e.statType(StatType.SETTLEMENT).action(LevelAction.NEW).venueCode((byte)'6').qualifier((short)3)
            .quantity(0).tradingDate(20151030);
        e.price().mantissa(2_077_500_000_000L).exponent((byte)-7);
        final MarketStatisticDecoder d = new MarketStatisticDecoder();
        d.wrap(buffer, applyHeaderAndCheck(14, MarketStatisticEncoder.BLOCK_LENGTH),
            MarketStatisticDecoder.BLOCK_LENGTH, MarketStatisticDecoder.SCHEMA_VERSION);
        checkCommon(d.common(), 14);
        assertEquals(StatType.SETTLEMENT, d.statType());
        assertEquals(LevelAction.NEW, d.action());
        assertEquals('6', d.venueCode());
        assertEquals(3, d.qualifier());
        assertEquals(2_077_500_000_000L, d.price().mantissa());
        assertEquals(-7, d.price().exponent());
        assertEquals(20151030, d.tradingDate());
        assertEquals(0, MarketStatisticEncoder.commonEncodingOffset());
    }

    @Test
    void commonBlockSitsAtTheSameOffsetInEveryTemplate()
    {
        // Independent check of the "one flyweight reads every template" rule: the schema lists `common` first
        // in every message, so its first field must start right after the 8-byte message header.
        final int[] commonOffsets = {
            InstrumentDefinitionEncoder.commonEncodingOffset(), AddOrderEncoder.commonEncodingOffset(),
            ModifyOrderEncoder.commonEncodingOffset(), CancelOrderEncoder.commonEncodingOffset(),
            ExecuteOrderEncoder.commonEncodingOffset(), PriceLevelUpdateEncoder.commonEncodingOffset(),
            TradeEncoder.commonEncodingOffset(), TopOfBookEncoder.commonEncodingOffset(),
            BookSnapshotEncoder.commonEncodingOffset(), TradingStatusEncoder.commonEncodingOffset(),
            HeartbeatEncoder.commonEncodingOffset(), GapNoticeEncoder.commonEncodingOffset(),
            EndOfSessionEncoder.commonEncodingOffset()};
        for (final int offset : commonOffsets)
        {
            assertEquals(0, offset);
        }
        assertEquals(56, CommonEncoder.ENCODED_LENGTH);

        final TradeEncoder trade = new TradeEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder);
        fillCommon(trade.common(), 20);
        final CommonDecoder common = new CommonDecoder().wrap(buffer, OFFSET + MessageHeaderDecoder.ENCODED_LENGTH);
        checkCommon(common, 20);

        final HeartbeatEncoder hb = new HeartbeatEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder);
        fillCommon(hb.common(), 21);
        checkCommon(common.wrap(buffer, OFFSET + MessageHeaderDecoder.ENCODED_LENGTH), 21);

        // Little-endian on the wire, as the schema says: the global sequence's low byte comes first.
        assertEquals((byte)(1000 + 21), buffer.getByte(OFFSET + MessageHeaderDecoder.ENCODED_LENGTH));
    }
}
