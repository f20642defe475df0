package io.tickbus.feed.iex;

import io.tickbus.feed.DerivedSequence;
import io.tickbus.client.MarketDataListener;
import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.Venues;
import io.tickbus.feed.pcap.CaptureReader;
import io.tickbus.sbe.EndOfSessionDecoder;
import io.tickbus.sbe.GapNoticeDecoder;
import io.tickbus.sbe.HeartbeatDecoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.PriceLevelUpdateDecoder;
import io.tickbus.sbe.SecurityType;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TopOfBookDecoder;
import io.tickbus.sbe.TradeDecoder;
import io.tickbus.sbe.TradeType;
import io.tickbus.sbe.TradingStatusDecoder;
import io.tickbus.sbe.Venue;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteOrder;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.tickbus.feed.iex.IexCaptures.DEEP_EXCERPT;
import static io.tickbus.feed.iex.IexCaptures.TOPS_DAY;
import static io.tickbus.feed.iex.IexCaptures.TOPS_PCAPNG_TRUNCATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IexTpDecoderTest
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final ParseSummary summary = new ParseSummary();
    private final RecordingSink sink = new RecordingSink();

    private IexTpDecoder decoder(final String venue)
    {
        final DecoderContext ctx = new DecoderContext().sink(sink).stats(summary).feedId(7)
            .tradingDate(LocalDate.of(2000, 1, 1));
        return (IexTpDecoder)Venues.newDecoder(venue, ctx);
    }

    @Test
    void topsDayCountsPerTypeMatchAnIndependentWalkAndTheKnownFile() throws Exception
    {
        final var file = IexCaptures.iex(TOPS_DAY);
        final IexCaptures.Walk walk = IexCaptures.walk(IexCaptures.payloads(file));
        IexCaptures.play(file, decoder(Venues.IEX_TOPS));

        // Figures of the whole file, counted once with a separate script straight from the pcap bytes.
        assertEquals(57719, summary.packets());
        assertEquals(7955, summary.heartbeats());
        assertEquals(99871, summary.messages());
        assertEquals(0, summary.malformed());
        assertEquals(0, summary.gaps());
        assertEquals(6020, summary.count("A"));
        assertEquals(3, summary.count("D"));
        assertEquals(12509, summary.count("H"));
        assertEquals(8566, summary.count("O"));
        assertEquals(9130, summary.count("P"));
        assertEquals(41959, summary.count("Q"));
        assertEquals(6, summary.count("S"));
        assertEquals(21672, summary.count("T"));
        assertEquals(6, summary.count("X"));
        assertEquals(1517058016623564338L, summary.firstTimestamp());
        assertEquals(1517074546832877252L, summary.lastTimestamp());

        assertEquals(walk.packets, summary.packets());
        assertEquals(walk.heartbeats, summary.heartbeats());
        assertEquals(walk.messages.size(), summary.messages());
        for (final Map.Entry<Character, Long> e : walk.byType.entrySet())
        {
            assertEquals(e.getValue(), summary.count(String.valueOf(e.getKey())), "type " + e.getKey());
        }
        assertEquals(walk.messages.get(0).timestamp(), summary.firstTimestamp());
        assertEquals(walk.messages.get(walk.messages.size() - 1).timestamp(), summary.lastTimestamp());
        assertTrue(summary.toJson().contains("\"byType\":{\"A\":6020,\"D\":3,\"H\":12509,"), summary.toJson());
    }

    @Test
    void topsDayPublishesWhatTheMappingTableSaysWithDefinitionsFirst() throws Exception
    {
        final var file = IexCaptures.iex(TOPS_DAY);
        final IexCaptures.Walk walk = IexCaptures.walk(IexCaptures.payloads(file));
        IexCaptures.play(file, decoder(Venues.IEX_TOPS));

        final Tally tally = new Tally();
        assertEquals(0, sink.dispatchAll(tally));
        assertEquals(0, tally.usedBeforeDefinition);
        assertEquals(0, tally.sourceSeqNotIncreasing);
        assertEquals(walk.count('Q'), tally.byTemplate("TopOfBook"));
        assertEquals(walk.count('T') + walk.count('B') + walk.count('X'), tally.byTemplate("Trade"));
        assertEquals(walk.expectedTradingStatus, tally.byTemplate("TradingStatus"));
        assertEquals(walk.expectedEndOfSession, tally.byTemplate("EndOfSession"));
        assertEquals(walk.expectedDefinitions, tally.byTemplate("InstrumentDefinition"));
        assertEquals(walk.heartbeats, tally.byTemplate("Heartbeat"));
        assertEquals(0, tally.byTemplate("GapNotice"));
        assertEquals(0, tally.byTemplate("PriceLevelUpdate"));

        // Every quote and trade, hand-decoded from the spec offsets, summed; against the published values.
        long bidSum = 0;
        long askSizeSum = 0;
        long tradePxSum = 0;
        long tradeIdSum = 0;
        for (final IexCaptures.Message m : walk.messages)
        {
            if ('Q' == m.type())
            {
                bidSum += m.bytes().getLong(22, LE);
                askSizeSum += m.bytes().getInt(38, LE) & 0xFFFF_FFFFL;
            }
            else if ('T' == m.type())
            {
                tradePxSum += m.bytes().getLong(22, LE);
                tradeIdSum += m.bytes().getLong(30, LE);
            }
        }
        assertEquals(bidSum, tally.bidMantissaSum);
        assertEquals(askSizeSum, tally.askQuantitySum);
        assertEquals(tradePxSum, tally.regularTradeMantissaSum);
        assertEquals(tradeIdSum, tally.regularTradeIdSum);
    }

    @Test
    void topsSampleFieldsHandDecoded() throws Exception
    {
        final var file = IexCaptures.iex(TOPS_DAY);
        IexCaptures.play(file, decoder(Venues.IEX_TOPS));
        final Tally tally = new Tally();
        sink.dispatchAll(tally);

        // First trade of the day, seq 34345, bytes 54c0d84e0c03e7ad0d15 5a58494554202020 64000000
        // 14410f0000000000 13c20e0000000000: ZXIET 100 @ 99.9700 id 967187, flags 0xc0.
        final TradeDecoder trade = tally.tradeAt(34345);
        assertEquals(999700L, trade.price().mantissa());
        assertEquals(-4, trade.price().exponent());
        assertEquals(100L, trade.quantity());
        assertEquals(967187L, trade.tradeId());
        assertEquals(0xC0, trade.saleConditions());
        assertEquals(TradeType.REGULAR, trade.tradeType());
        assertEquals(Side.NONE, trade.aggressorSide());
        assertEquals(0x15_0d_ad_e7_03_0c_4e_d8L, trade.common().exchangeTime());
        assertEquals(Venue.IEX, trade.common().venue());
        assertEquals(7, trade.common().feedId());
        assertEquals("ZXIET", tally.symbols.get(trade.common().instrumentId()));

        // Security directory ZEXIT: flags 0x80 (test), round lot 100, adjusted POC 100000 ($10.0000), tier 1.
        final InstrumentDefinitionDecoder def = tally.definitionOf("ZEXIT");
        assertEquals(SecurityType.TEST, def.securityType());
        assertEquals(100, def.lotSize());
        assertEquals(-4, def.priceExponent());
        assertEquals(100, def.tickSize());
        assertEquals(20180127, def.tradingDate());

        // Official price of ZEXIT, seq 35582: price type 'Q' (opening), 99900 = $9.9900.
        final TradeDecoder official = tally.tradeAt(35582);
        assertEquals(TradeType.OFFICIAL_PRICE, official.tradeType());
        assertEquals(99900L, official.price().mantissa());
        assertEquals('Q', official.saleConditions());
    }

    @Test
    void deepExcerptCountsAndPriceLevels() throws Exception
    {
        final var file = IexCaptures.iex(DEEP_EXCERPT);
        final IexCaptures.Walk walk = IexCaptures.walk(IexCaptures.payloads(file));
        IexCaptures.play(file, decoder(Venues.IEX_DEEP));

        assertEquals(5000, summary.packets());
        assertEquals(1264, summary.heartbeats());
        assertEquals(48325, summary.messages());
        assertEquals(0, summary.malformed());
        assertEquals(0, summary.gaps());
        assertEquals(1226, summary.count("5"));
        assertEquals(1526, summary.count("8"));
        assertEquals(3, summary.count("D"));
        assertEquals(11311, summary.count("H"));
        assertEquals(11309, summary.count("I"));
        assertEquals(11317, summary.count("O"));
        assertEquals(11594, summary.count("P"));
        assertEquals(2, summary.count("S"));
        assertEquals(37, summary.count("T"));

        final Tally tally = new Tally();
        assertEquals(0, sink.dispatchAll(tally));
        assertEquals(0, tally.usedBeforeDefinition);
        assertEquals(walk.count('8') + walk.count('5'), tally.byTemplate("PriceLevelUpdate"));
        assertEquals(walk.count('T'), tally.byTemplate("Trade"));
        assertEquals(walk.expectedDefinitions, tally.byTemplate("InstrumentDefinition"));

        long levelPxSum = 0;
        long levelSizeSum = 0;
        for (final IexCaptures.Message m : walk.messages)
        {
            if ('8' == m.type() || '5' == m.type())
            {
                levelSizeSum += m.bytes().getInt(18, LE) & 0xFFFF_FFFFL;
                levelPxSum += m.bytes().getLong(22, LE);
            }
        }
        assertEquals(levelPxSum, tally.levelMantissaSum);
        assertEquals(levelSizeSum, tally.levelQuantitySum);

        // seq 45537: 38 01 d613e4ad91488a17 "TBF     " a60b0000 60d8030000000000 -> buy 2982 @ 25.2000, event done.
        final PriceLevelUpdateDecoder buy = tally.levelAt(45537);
        assertEquals(Side.BUY, buy.side());
        assertEquals(LevelAction.OVERLAY, buy.action());
        assertEquals(1, buy.eventFlags());
        assertEquals(252000L, buy.price().mantissa());
        assertEquals(2982L, buy.quantity());
        assertEquals("TBF", tally.symbols.get(buy.common().instrumentId()));
        final PriceLevelUpdateDecoder sell = tally.levelAt(45538);
        assertEquals(Side.SELL, sell.side());
        assertEquals(254000L, sell.price().mantissa());

        // seq 46005: TSLA 10 @ 250.6400, trade id 1477663, sale condition flags 0x60.
        final TradeDecoder trade = tally.tradeAt(46005);
        assertEquals(2506400L, trade.price().mantissa());
        assertEquals(10L, trade.quantity());
        assertEquals(1477663L, trade.tradeId());
        assertEquals(0x60, trade.saleConditions());
        assertEquals("TSLA", tally.symbols.get(trade.common().instrumentId()));
    }

    @Test
    void truncatedPcapngDecodesTheCompletePackets() throws Exception
    {
        final var file = IexCaptures.iex(TOPS_PCAPNG_TRUNCATED);
        final CaptureReader reader = IexCaptures.play(file, decoder(Venues.IEX_TOPS));

        assertEquals(1, reader.truncated());
        assertEquals(2, summary.packets());
        assertEquals(1, summary.heartbeats());
        assertEquals(53, summary.messages());
        assertEquals(0, summary.malformed());
        assertEquals(13, summary.count("H"));
        assertEquals(13, summary.count("O"));
        assertEquals(13, summary.count("P"));
        assertEquals(13, summary.count("Q"));
        assertEquals(1, summary.count("S"));
    }

    @Test
    void deepSegmentIsMalformedForTheTopsDecoder() throws Exception
    {
        final var payloads = IexCaptures.payloads(IexCaptures.iex(DEEP_EXCERPT));
        final IexTpDecoder decoder = decoder(Venues.IEX_TOPS);
        final byte[] p = payloads.get(1);
        decoder.onPacket(new org.agrona.concurrent.UnsafeBuffer(p), 0, p.length, 1, 1, 0);
        assertEquals(1, summary.malformed());
        assertEquals(0, summary.messages());
        assertEquals(0, sink.count());
    }

    /** Counts and keeps what the bus client's dispatcher decodes from the published messages. */
    static final class Tally implements MarketDataListener
    {
        final TreeMap<String, Long> templates = new TreeMap<>();
        final Int2ObjectHashMap<String> symbols = new Int2ObjectHashMap<>();
        final Map<String, InstrumentDefinitionDecoder> definitions = new TreeMap<>();
        final Map<Long, TradeDecoder> trades = new TreeMap<>();
        final Map<Long, PriceLevelUpdateDecoder> levels = new TreeMap<>();
        long usedBeforeDefinition;
        long sourceSeqNotIncreasing;
        long lastSourceSeq = -1;
        long bidMantissaSum;
        long askQuantitySum;
        long regularTradeMantissaSum;
        long regularTradeIdSum;
        long levelMantissaSum;
        long levelQuantitySum;
        final java.util.List<GapNoticeDecoder> gaps = new java.util.ArrayList<>();

        long byTemplate(final String name)
        {
            return templates.getOrDefault(name, 0L);
        }

        TradeDecoder tradeAt(final long venueSeq)
        {
            final TradeDecoder t = trades.get(venueSeq);
            if (null == t)
            {
                fail("no trade from venue sequence " + venueSeq);
            }
            return t;
        }

        PriceLevelUpdateDecoder levelAt(final long venueSeq)
        {
            final PriceLevelUpdateDecoder l = levels.get(venueSeq);
            if (null == l)
            {
                fail("no level update from venue sequence " + venueSeq);
            }
            return l;
        }

        InstrumentDefinitionDecoder definitionOf(final String symbol)
        {
            final InstrumentDefinitionDecoder d = definitions.get(symbol);
            if (null == d)
            {
                fail("no definition of " + symbol);
            }
            return d;
        }

        private static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            return bytes;
        }

        private void use(final String template, final int instrumentId, final long sourceSeq)
        {
            templates.merge(template, 1L, Long::sum);
            if (0 != instrumentId && !symbols.containsKey(instrumentId))
            {
                usedBeforeDefinition++;
            }
            // Heartbeats of one quiet stretch announce the same next sequence, so they share its number.
            if (sourceSeq < lastSourceSeq || (sourceSeq == lastSourceSeq && !"Heartbeat".equals(template)))
            {
                sourceSeqNotIncreasing++;
            }
            lastSourceSeq = sourceSeq;
        }

        public void onInstrumentDefinition(final InstrumentDefinitionDecoder msg)
        {
            final String symbol = msg.symbol().trim();
            symbols.put(msg.common().instrumentId(), symbol);
            use("InstrumentDefinition", msg.common().instrumentId(), msg.common().sourceSeq());
            final InstrumentDefinitionDecoder copy = new InstrumentDefinitionDecoder();
            final byte[] b = copy(msg.buffer(), msg.offset(), msg.encodedLength());
            copy.wrap(new org.agrona.concurrent.UnsafeBuffer(b), 0, msg.sbeBlockLength(), msg.sbeSchemaVersion());
            if (SecurityType.UNKNOWN != msg.securityType() || !definitions.containsKey(symbol))
            {
                definitions.put(symbol, copy);
            }
        }

        public void onTrade(final TradeDecoder msg)
        {
            use("Trade", msg.common().instrumentId(), msg.common().sourceSeq());
            if (TradeType.REGULAR == msg.tradeType())
            {
                regularTradeMantissaSum += msg.price().mantissa();
                regularTradeIdSum += msg.tradeId();
            }
            final TradeDecoder copy = new TradeDecoder();
            copy.wrap(new org.agrona.concurrent.UnsafeBuffer(copy(msg.buffer(), msg.offset(), msg.encodedLength())),
                0, msg.sbeBlockLength(), msg.sbeSchemaVersion());
            trades.put(DerivedSequence.venueSeq(msg.common().sourceSeq()), copy);
        }

        public void onTopOfBook(final TopOfBookDecoder msg)
        {
            use("TopOfBook", msg.common().instrumentId(), msg.common().sourceSeq());
            bidMantissaSum += msg.bidPrice().mantissa();
            askQuantitySum += msg.askQuantity();
            assertEquals(-4, msg.bidPrice().exponent());
        }

        public void onPriceLevelUpdate(final PriceLevelUpdateDecoder msg)
        {
            use("PriceLevelUpdate", msg.common().instrumentId(), msg.common().sourceSeq());
            levelMantissaSum += msg.price().mantissa();
            levelQuantitySum += msg.quantity();
            final PriceLevelUpdateDecoder copy = new PriceLevelUpdateDecoder();
            copy.wrap(new org.agrona.concurrent.UnsafeBuffer(copy(msg.buffer(), msg.offset(), msg.encodedLength())),
                0, msg.sbeBlockLength(), msg.sbeSchemaVersion());
            levels.put(DerivedSequence.venueSeq(msg.common().sourceSeq()), copy);
        }

        public void onTradingStatus(final TradingStatusDecoder msg)
        {
            use("TradingStatus", msg.common().instrumentId(), msg.common().sourceSeq());
        }

        public void onHeartbeat(final HeartbeatDecoder msg)
        {
            use("Heartbeat", 0, msg.common().sourceSeq());
        }

        public void onGapNotice(final GapNoticeDecoder msg)
        {
            use("GapNotice", 0, msg.common().sourceSeq());
            final GapNoticeDecoder copy = new GapNoticeDecoder();
            copy.wrap(new org.agrona.concurrent.UnsafeBuffer(copy(msg.buffer(), msg.offset(), msg.encodedLength())),
                0, msg.sbeBlockLength(), msg.sbeSchemaVersion());
            gaps.add(copy);
        }

        public void onEndOfSession(final EndOfSessionDecoder msg)
        {
            use("EndOfSession", 0, msg.common().sourceSeq());
        }
    }
}
