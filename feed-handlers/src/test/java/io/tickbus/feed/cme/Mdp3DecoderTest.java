package io.tickbus.feed.cme;

import io.tickbus.client.MarketDataListener;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.MessageSink;
import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.PacketDecoder;
import io.tickbus.feed.Venues;
import io.tickbus.feed.pcap.CaptureReader;
import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.BookSnapshotDecoder;
import io.tickbus.sbe.CancelOrderDecoder;
import io.tickbus.sbe.ExecuteOrderDecoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.ModifyOrderDecoder;
import io.tickbus.sbe.PriceLevelUpdateDecoder;
import io.tickbus.sbe.SecurityType;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TradeDecoder;
import io.tickbus.sbe.TradingState;
import io.tickbus.sbe.TradingStatusDecoder;
import io.tickbus.feed.cme.mdp3.MessageHeaderEncoder;
import io.tickbus.feed.cme.mdp3.SecurityStatus30Encoder;
import io.tickbus.feed.cme.mdp3.SnapshotFullRefresh52Encoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Mdp3DecoderTest
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int ROOT = 12 + 2 + 8;

    private final ParseSummary summary = new ParseSummary();
    private final Recorder recorder = new Recorder();
    private final PacketDecoder decoder = Venues.newDecoder(
        Venues.CME_MDP3, new DecoderContext().sink(recorder).stats(summary).feedId(3));

    private static byte[] packet(final String name) throws Exception
    {
        final Path path = io.tickbus.feed.TestSupport.capture("cme-mdp3", name);
        try (CaptureReader reader = CaptureReader.open(path))
        {
            assertTrue(reader.next(), name);
            final byte[] bytes = new byte[reader.payloadLength()];
            reader.buffer().getBytes(reader.payloadOffset(), bytes);
            return bytes;
        }
    }

    private void play(final byte[]... packets)
    {
        long n = 1;
        for (final byte[] p : packets)
        {
            decoder.onPacket(new UnsafeBuffer(p), 0, p.length, 0, n++, -1);
        }
    }

    /** Template ids in a packet, by walking message sizes (which count themselves) straight from the bytes. */
    private static Map<String, Long> templatesByHand(final byte[] p)
    {
        final UnsafeBuffer b = new UnsafeBuffer(p);
        final Map<String, Long> counts = new TreeMap<>();
        int pos = 12;
        while (pos < p.length)
        {
            counts.merge(Integer.toString(b.getShort(pos + 4, LE) & 0xFFFF), 1L, Long::sum);
            pos += b.getShort(pos, LE) & 0xFFFF;
        }
        return counts;
    }

    @Test
    void everyPacketDecodesWithItsTemplateIdsAndVersions() throws Exception
    {
        final Object[][] expected = {
            { "Mdp3.Sbe.v1.5_MdIncrementalRefreshBook.pcap", Map.of("32", 1L) },
            { "Mdp3.Sbe.v1.5_MdIncrementalRefreshSessionStatistics.pcap", Map.of("37", 1L, "32", 4L, "35", 1L) },
            { "Mdp3.Sbe.v1.5_MdIncrementalRefreshTradeSummary.pcap", Map.of("42", 1L) },
            { "Mdp3.Sbe.v1.5_MdIncrementalRefreshVolume.pcap", Map.of("37", 1L, "32", 1L) },
            { "Mdp3.Sbe.v1.5_MdInstrumentDefinitionSpread.pcap", Map.of("29", 3L, "27", 2L) },
            { "Mdp3.Sbe.v1.8_MdIncrementalRefreshTradeSummary.pcap", Map.of("42", 1L, "37", 1L, "32", 1L) },
            { "Mdp3.Sbe.v1.9_MdIncrementalRefreshBook.pcap", Map.of("46", 2L) },
            { "Mdp3.Sbe.v1.9_MdIncrementalRefreshOrderBook.pcap", Map.of("47", 1L) },
            { "Mdp3.Sbe.v1.9_MdIncrementalRefreshTradeSummary.pcap", Map.of("48", 1L, "37", 1L, "47", 1L, "46", 2L) },
            { "Mdp3.Sbe.v1.9_MdIncrementalRefreshVolume.pcap", Map.of("37", 2L, "46", 4L, "48", 1L) },
        };
        for (final Object[] row : expected)
        {
            final String name = (String)row[0];
            final byte[] p = packet(name);
            final int schemaVersion = Integer.parseInt(name.substring("Mdp3.Sbe.v1.".length(), name.indexOf('_')));
            for (int pos = 12; pos < p.length; pos += new UnsafeBuffer(p).getShort(pos, LE) & 0xFFFF)
            {
                assertEquals(schemaVersion, new UnsafeBuffer(p).getShort(pos + 8, LE), name + " header version");
            }

            final ParseSummary one = new ParseSummary();
            final PacketDecoder fresh = Venues.newDecoder(Venues.CME_MDP3, new DecoderContext().stats(one));
            fresh.onPacket(new UnsafeBuffer(p), 0, p.length, 0, 1, 0);
            assertEquals(0, one.malformed(), name + " " + one.malformedReasons());
            assertEquals(1, one.packets(), name);
            @SuppressWarnings("unchecked") final Map<String, Long> counts = (Map<String, Long>)row[1];
            assertEquals(templatesByHand(p), new TreeMap<>(counts), name);
            long total = 0;
            for (final Map.Entry<String, Long> e : counts.entrySet())
            {
                assertEquals(e.getValue(), one.count(e.getKey()), name + " template " + e.getKey());
                total += e.getValue();
            }
            assertEquals(total, one.messages(), name);
        }
    }

    @Test
    void incrementalBookV9EntriesHandDecoded() throws Exception
    {
        final byte[] p = packet("Mdp3.Sbe.v1.9_MdIncrementalRefreshBook.pcap");
        play(p);
        final UnsafeBuffer b = new UnsafeBuffer(p);
        final long transactTime = b.getLong(ROOT, LE);
        final int blockLength = b.getShort(ROOT + 11, LE);
        final int count = b.getByte(ROOT + 13) & 0xFF;
        assertEquals(23, count);

        final List<PriceLevelUpdateDecoder> levels = recorder.levels();
        // Message 1 has 23 entries and message 2 (template 46, no entries but its order group) adds none.
        assertEquals(count, levels.size());
        for (int i = 0; i < count; i++)
        {
            final int e = ROOT + 11 + 3 + i * blockLength;
            final PriceLevelUpdateDecoder level = levels.get(i);
            assertEquals(b.getLong(e, LE), level.price().mantissa(), "entry " + i);
            assertEquals(-9, level.price().exponent());
            assertEquals(b.getInt(e + 8, LE), level.quantity());
            assertEquals(b.getInt(e + 12, LE), level.common().instrumentId());
            assertEquals(b.getInt(e + 20, LE), level.orderCount());
            assertEquals(b.getByte(e + 24), level.level());
            assertEquals(transactTime, level.common().exchangeTime());
            final byte type = b.getByte(e + 26);
            assertEquals('0' == type || 'E' == type ? Side.BUY : Side.SELL, level.side());
            final int action = b.getByte(e + 25);
            assertEquals(0 == action ? LevelAction.NEW : 1 == action ? LevelAction.CHANGE : LevelAction.DELETE,
                level.action());
        }
        // Entry 0 by hand: 15230000000000 (1523.00 at -9), size 1, security 157660, level 1, delete, offer.
        assertEquals(15230000000000L, levels.get(0).price().mantissa());
        assertEquals(157660, levels.get(0).common().instrumentId());
        assertEquals(LevelAction.DELETE, levels.get(0).action());
        assertEquals(Side.SELL, levels.get(0).side());
        // Match event indicator of message 1 is 0x04 (no end of event): no entry marks the event complete.
        assertEquals(0, levels.stream().filter(l -> 0 != (l.eventFlags() & 1)).count());

        // The order entries after the MD entries (8-byte dimension: block length at 0, count at 7; entries of
        // order id 0, priority 8, display qty 16, reference id 20, update action 21) become MBO events, with
        // the price and security of the MD entry they refer to.
        final int orders = ROOT + 11 + 3 + count * blockLength;
        final int orderBlock = b.getShort(orders, LE);
        final int orderCount = b.getByte(orders + 7) & 0xFF;
        final List<AddOrderDecoder> adds = recorder.adds();
        final List<ModifyOrderDecoder> modifies = recorder.modifies();
        final List<CancelOrderDecoder> cancels = recorder.cancels();
        assertEquals(orderCount, adds.size() + modifies.size() + cancels.size());
        int add = 0;
        int modify = 0;
        int cancel = 0;
        for (int i = 0; i < orderCount; i++)
        {
            final int o = orders + 8 + i * orderBlock;
            final long orderId = b.getLong(o, LE);
            final int ref = (b.getByte(o + 20) & 0xFF) - 1;
            final int refEntry = ROOT + 11 + 3 + ref * blockLength;
            switch (b.getByte(o + 21))
            {
                case 0 ->
                {
                    final AddOrderDecoder a = adds.get(add++);
                    assertEquals(orderId, a.orderId());
                    assertEquals(b.getInt(o + 16, LE), a.quantity());
                    assertEquals(b.getLong(refEntry, LE), a.price().mantissa());
                    assertEquals(b.getInt(refEntry + 12, LE), a.common().instrumentId());
                }
                case 1 -> assertEquals(orderId, modifies.get(modify++).orderId());
                default -> assertEquals(orderId, cancels.get(cancel++).orderId());
            }
        }
    }

    @Test
    void orderBookV9MapsToMarketByOrder() throws Exception
    {
        final byte[] p = packet("Mdp3.Sbe.v1.9_MdIncrementalRefreshOrderBook.pcap");
        play(p);
        // One entry: order 76662054355, priority 641463012, 12068000000000, qty 4, security 532259, new, offer.
        final List<AddOrderDecoder> adds = recorder.adds();
        assertEquals(1, adds.size());
        final AddOrderDecoder add = adds.get(0);
        final UnsafeBuffer b = new UnsafeBuffer(p);
        final int e = ROOT + 11 + 3;
        assertEquals(b.getLong(e, LE), add.orderId());
        assertEquals(76662054355L, add.orderId());
        assertEquals(b.getLong(e + 16, LE), add.price().mantissa());
        assertEquals(-9, add.price().exponent());
        assertEquals(4, add.quantity());
        assertEquals(532259, add.common().instrumentId());
        assertEquals(Side.SELL, add.side());
        assertEquals(io.tickbus.sbe.Venue.CME, add.common().venue());
        assertEquals(3, add.common().feedId());
    }

    @Test
    void tradeSummaryV9TradesAndOrderExecutions() throws Exception
    {
        final byte[] p = packet("Mdp3.Sbe.v1.9_MdIncrementalRefreshTradeSummary.pcap");
        play(p);
        final List<TradeDecoder> trades = recorder.trades();
        assertEquals(1, trades.size());
        final TradeDecoder trade = trades.get(0);
        // 12952000000000 x 2, security 170506, aggressor 2 (sell), trade entry id 341412 (bytes 26..29).
        assertEquals(12952000000000L, trade.price().mantissa());
        assertEquals(-9, trade.price().exponent());
        assertEquals(2, trade.quantity());
        assertEquals(170506, trade.common().instrumentId());
        assertEquals(Side.SELL, trade.aggressorSide());
        assertEquals(341412L, trade.tradeId());
        assertEquals(new UnsafeBuffer(p).getInt(ROOT + 11 + 3 + 26, LE), (int)trade.tradeId());

        final List<ExecuteOrderDecoder> executions = recorder.executions();
        assertEquals(3, executions.size());
        assertEquals(88463941745L, executions.get(0).orderId());
        assertEquals(2, executions.get(0).executedQuantity());
        assertEquals(88463939692L, executions.get(1).orderId());
        assertEquals(341412L, executions.get(2).matchId());
        assertEquals(12952000000000L, executions.get(2).price().mantissa());
    }

    @Test
    void version5TradeSummaryDecodesWithActingVersionRules() throws Exception
    {
        final byte[] p = packet("Mdp3.Sbe.v1.5_MdIncrementalRefreshTradeSummary.pcap");
        // MDTradeEntryID (offset 26 of an entry) exists since version 7: in a version 5 message those bytes are
        // padding and must read as absent even when not zero.
        final byte[] dirty = p.clone();
        new UnsafeBuffer(dirty).putInt(ROOT + 11 + 3 + 26, 123456, LE);
        play(dirty);
        final List<TradeDecoder> trades = recorder.trades();
        assertEquals(1, trades.size());
        final TradeDecoder trade = trades.get(0);
        assertEquals(0L, trade.tradeId());
        // 2078000000000 at -7 (PRICE of the old templates): 207.8000000, 11 lots, security 13950, buy aggressor.
        assertEquals(2078000000000L, trade.price().mantissa());
        assertEquals(-7, trade.price().exponent());
        assertEquals(11, trade.quantity());
        assertEquals(13950, trade.common().instrumentId());
        assertEquals(Side.BUY, trade.aggressorSide());
        assertEquals(6, recorder.executions().size());
        assertEquals(0, summary.malformed());
    }

    @Test
    void instrumentDefinitionsVersion5() throws Exception
    {
        final byte[] p = packet("Mdp3.Sbe.v1.5_MdInstrumentDefinitionSpread.pcap");
        play(p);
        final List<InstrumentDefinitionDecoder> defs = recorder.definitions();
        assertEquals(5, defs.size());
        final InstrumentDefinitionDecoder first = defs.get(0);
        final UnsafeBuffer b = new UnsafeBuffer(p);
        assertEquals(b.getStringWithoutLengthAscii(ROOT + 35, 9), first.symbol().trim());
        assertEquals("ESM6-ESU6", first.symbol().trim());
        assertEquals(b.getInt(ROOT + 55, LE), first.common().instrumentId());
        assertEquals(10123, first.common().instrumentId());
        assertEquals(SecurityType.SPREAD, first.securityType());
        assertEquals(-7, first.priceExponent());
        assertEquals(50000000L, first.tickSize());
        assertEquals(1, first.lotSize());
        assertEquals(SecurityType.FUTURE, defs.get(2).securityType());
    }

    @Test
    void securityStatusAndSnapshotFromGeneratedEncoders()
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(512);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        int pos = 12;
        out.putInt(0, 500, LE);
        out.putLong(4, 1_536_760_535_000_000_000L, LE);

        final SecurityStatus30Encoder status = new SecurityStatus30Encoder();
        status.wrapAndApplyHeader(out, pos + 2, header)
            .transactTime(1_536_760_535_000_000_001L)
            .securityGroup("ES")
            .asset("ES")
            .securityID(157660)
            .tradeDate(17786)
            .securityTradingStatus(io.tickbus.feed.cme.mdp3.SecurityTradingStatus.ReadyToTrade)
            .haltReason(io.tickbus.feed.cme.mdp3.HaltReason.GroupSchedule)
            .securityTradingEvent(io.tickbus.feed.cme.mdp3.SecurityTradingEvent.NoEvent);
        final int statusSize = 2 + MessageHeaderEncoder.ENCODED_LENGTH + status.encodedLength();
        out.putShort(pos, (short)statusSize, LE);
        pos += statusSize;

        final SnapshotFullRefresh52Encoder snapshot = new SnapshotFullRefresh52Encoder();
        snapshot.wrapAndApplyHeader(out, pos + 2, header)
            .lastMsgSeqNumProcessed(499)
            .totNumReports(1)
            .securityID(157660)
            .rptSeq(10)
            .transactTime(1_536_760_535_000_000_002L)
            .lastUpdateTime(1_536_760_535_000_000_002L)
            .tradeDate(17786)
            .mDSecurityTradingStatus(io.tickbus.feed.cme.mdp3.SecurityTradingStatus.ReadyToTrade);
        snapshot.highLimitPrice().mantissa(Long.MAX_VALUE);
        snapshot.lowLimitPrice().mantissa(Long.MAX_VALUE);
        snapshot.maxPriceVariation().mantissa(Long.MAX_VALUE);
        final SnapshotFullRefresh52Encoder.NoMDEntriesEncoder entries = snapshot.noMDEntriesCount(3);
        entries.next().mDEntrySize(5).numberOfOrders(2).mDPriceLevel((byte)1).tradingReferenceDate(17786)
            .mDEntryType(io.tickbus.feed.cme.mdp3.MDEntryType.Bid).mDEntryPx().mantissa(2_900_000_000_000L);
        entries.next().mDEntrySize(7).numberOfOrders(3).mDPriceLevel((byte)1).tradingReferenceDate(17786)
            .mDEntryType(io.tickbus.feed.cme.mdp3.MDEntryType.Offer).mDEntryPx().mantissa(2_900_250_000_000L);
        entries.next().mDEntrySize(100).numberOfOrders(0).mDPriceLevel((byte)0).tradingReferenceDate(17786)
            .mDEntryType(io.tickbus.feed.cme.mdp3.MDEntryType.Trade).mDEntryPx().mantissa(2_900_000_000_000L);
        final int snapshotSize = 2 + MessageHeaderEncoder.ENCODED_LENGTH + snapshot.encodedLength();
        out.putShort(pos, (short)snapshotSize, LE);
        pos += snapshotSize;

        decoder.onPacket(out, 0, pos, 0, 1, -1);
        assertEquals(0, summary.malformed(), summary.malformedReasons().toString());
        assertEquals(1, summary.count("30"));
        assertEquals(1, summary.count("52"));

        final List<TradingStatusDecoder> statuses = recorder.statuses();
        assertEquals(1, statuses.size());
        assertEquals(TradingState.TRADING, statuses.get(0).state());
        assertEquals(157660, statuses.get(0).common().instrumentId());
        final List<BookSnapshotDecoder> snapshots = recorder.snapshots();
        assertEquals(1, snapshots.size());
        final BookSnapshotDecoder book = snapshots.get(0);
        assertEquals(499, book.lastSourceSeq());
        assertEquals(-9, book.priceExponent());
        final BookSnapshotDecoder.LevelsDecoder levels = book.levels();
        assertEquals(2, levels.count());
        levels.next();
        assertEquals(Side.BUY, levels.side());
        assertEquals(2_900_000_000_000L, levels.price());
        assertEquals(5, levels.quantity());
        levels.next();
        assertEquals(Side.SELL, levels.side());
        assertEquals(7, levels.quantity());
        assertEquals(3, levels.orderCount());
    }

    @Test
    void badInputIsCountedAndSkippedWithTheNeighboursPublished() throws Exception
    {
        final byte[] before = withSeq(packet("Mdp3.Sbe.v1.9_MdIncrementalRefreshOrderBook.pcap"), 100);
        final byte[] good = withSeq(packet("Mdp3.Sbe.v1.9_MdIncrementalRefreshTradeSummary.pcap"), 101);
        final byte[] after = withSeq(packet("Mdp3.Sbe.v1.9_MdIncrementalRefreshVolume.pcap"), 102);

        // Baseline: published messages per packet.
        play(before, good, after);
        final int all = recorder.count();
        assertEquals(0, summary.malformed());
        recorder.clear();

        // 1. Packet cut short: sizes no longer frame it; dropped whole.
        final ParseSummary s1 = new ParseSummary();
        final int publishedWithoutMiddle = publishedFor(s1, before, java.util.Arrays.copyOf(good, good.length - 7),
            after);
        assertEquals(1, s1.malformed());
        assertEquals(1 + 7, s1.messages());

        // 2. A size that lies (first message claims 2000 bytes).
        final byte[] lying = good.clone();
        new UnsafeBuffer(lying).putShort(12, (short)2000, LE);
        final ParseSummary s2 = new ParseSummary();
        assertEquals(publishedWithoutMiddle, publishedFor(s2, before, lying, after));
        assertEquals(1, s2.malformed());

        // 3. An unknown template id in the second message: that message only is skipped.
        final byte[] unknown = good.clone();
        final UnsafeBuffer u = new UnsafeBuffer(unknown);
        final int second = 12 + (u.getShort(12, LE) & 0xFFFF);
        assertEquals(37, u.getShort(second + 4, LE));
        u.putShort(second + 4, (short)99, LE);
        final ParseSummary s3 = new ParseSummary();
        final int publishedUnknown = publishedFor(s3, before, unknown, after);
        assertEquals(1, s3.malformed());
        assertEquals(all - 1, publishedUnknown, "the one volume entry of 37 is the only message lost");
        assertEquals(1 + 4 + 7, s3.messages());

        // 4. A group count that lies (first message, 255 entries): that message only is skipped.
        final byte[] count = good.clone();
        new UnsafeBuffer(count).putByte(ROOT + 11 + 2, (byte)255);
        final ParseSummary s4 = new ParseSummary();
        final int publishedCount = publishedFor(s4, before, count, after);
        assertEquals(1, s4.malformed());
        assertEquals("MDP3 groups run past the end of the message (packet 2, offset -1)",
            s4.malformedReasons().get(0));
        assertTrue(publishedCount < all && publishedCount > publishedWithoutMiddle);

        // 5. Shorter than the packet header.
        final ParseSummary s5 = new ParseSummary();
        assertEquals(publishedWithoutMiddle, publishedFor(s5, before, new byte[5], after));
        assertEquals(1, s5.malformed());
    }

    private static byte[] withSeq(final byte[] p, final int seq)
    {
        new UnsafeBuffer(p).putInt(0, seq, LE);
        return p;
    }

    /** Fresh decoder; published messages other than gap notices (sequence numbers jump in these scenarios). */
    private static int publishedFor(final ParseSummary stats, final byte[]... packets)
    {
        final Recorder sink = new Recorder();
        final PacketDecoder d = Venues.newDecoder(Venues.CME_MDP3, new DecoderContext().sink(sink).stats(stats));
        long n = 1;
        for (final byte[] p : packets)
        {
            d.onPacket(new UnsafeBuffer(p), 0, p.length, 0, n++, -1);
        }
        int published = 0;
        for (int i = 0; i < sink.count(); i++)
        {
            published += 12 == sink.templateId(i) ? 0 : 1;
        }
        return published;
    }

    /** Keeps copies of the published messages and decodes them with the bus client's dispatcher. */
    static final class Recorder implements MessageSink
    {
        private final List<byte[]> messages = new ArrayList<>();

        public long publish(final MutableDirectBuffer buffer, final int offset, final int length)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            messages.add(copy);
            return messages.size();
        }

        int count()
        {
            return messages.size();
        }

        int templateId(final int i)
        {
            return new UnsafeBuffer(messages.get(i)).getShort(2, LE);
        }

        void clear()
        {
            messages.clear();
        }

        /** @return the common block's flags of message i. */
        int flags(final int i)
        {
            return messages.get(i)[8 + 55] & 0xFF;
        }

        private <T> List<T> collect(final int templateId, final java.util.function.Supplier<T> factory,
            final Wrapper<T> wrapper)
        {
            final List<T> out = new ArrayList<>();
            for (final byte[] m : messages)
            {
                final UnsafeBuffer b = new UnsafeBuffer(m);
                if ((b.getShort(2, LE) & 0xFFFF) == templateId)
                {
                    final T decoder = factory.get();
                    wrapper.wrap(decoder, b, 8, b.getShort(0, LE), b.getShort(6, LE));
                    out.add(decoder);
                }
            }
            assertEquals(0, dispatchAllMalformed());
            return out;
        }

        private long dispatchAllMalformed()
        {
            final MessageDispatcher dispatcher = new MessageDispatcher(new MarketDataListener()
            {
            });
            for (final byte[] m : messages)
            {
                dispatcher.dispatch(new UnsafeBuffer(m), 0, m.length, 0);
            }
            return dispatcher.malformedCount();
        }

        interface Wrapper<T>
        {
            void wrap(T decoder, DirectBuffer buffer, int offset, int blockLength, int version);
        }

        List<PriceLevelUpdateDecoder> levels()
        {
            return collect(6, PriceLevelUpdateDecoder::new, PriceLevelUpdateDecoder::wrap);
        }

        List<AddOrderDecoder> adds()
        {
            return collect(2, AddOrderDecoder::new, AddOrderDecoder::wrap);
        }

        List<ModifyOrderDecoder> modifies()
        {
            return collect(3, ModifyOrderDecoder::new, ModifyOrderDecoder::wrap);
        }

        List<CancelOrderDecoder> cancels()
        {
            return collect(4, CancelOrderDecoder::new, CancelOrderDecoder::wrap);
        }

        List<ExecuteOrderDecoder> executions()
        {
            return collect(5, ExecuteOrderDecoder::new, ExecuteOrderDecoder::wrap);
        }

        List<TradeDecoder> trades()
        {
            return collect(7, TradeDecoder::new, TradeDecoder::wrap);
        }

        List<InstrumentDefinitionDecoder> definitions()
        {
            return collect(1, InstrumentDefinitionDecoder::new, InstrumentDefinitionDecoder::wrap);
        }

        List<TradingStatusDecoder> statuses()
        {
            return collect(10, TradingStatusDecoder::new, TradingStatusDecoder::wrap);
        }

        List<BookSnapshotDecoder> snapshots()
        {
            return collect(9, BookSnapshotDecoder::new, BookSnapshotDecoder::wrap);
        }

        List<io.tickbus.sbe.MarketStatisticDecoder> statistics()
        {
            return collect(14, io.tickbus.sbe.MarketStatisticDecoder::new, io.tickbus.sbe.MarketStatisticDecoder::wrap);
        }
    }
}
