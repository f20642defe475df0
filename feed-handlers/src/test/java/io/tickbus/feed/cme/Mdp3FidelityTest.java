package io.tickbus.feed.cme;

import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.PacketDecoder;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.Venues;
import io.tickbus.feed.pcap.CaptureReader;
import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.CancelOrderDecoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.MarketStatisticDecoder;
import io.tickbus.sbe.ModifyOrderDecoder;
import io.tickbus.sbe.StatType;
import io.tickbus.sbe.CancelType;
import io.tickbus.sbe.ExecuteOrderDecoder;
import io.tickbus.sbe.PriceLevelUpdateDecoder;
import io.tickbus.sbe.TradeDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Field-by-field checks of the normalized CME output against the captures decoded here by hand, at the offsets of
 * CME's schema (version 9), independently of the generated decoders: the fields issue 15 found wrong.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Mdp3FidelityTest
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Int32NULL of CME's schema. */
    private static final int INT32_NULL = Integer.MAX_VALUE;

    private final ParseSummary summary = new ParseSummary();
    private final Mdp3DecoderTest.Recorder recorder = new Mdp3DecoderTest.Recorder();
    private final PacketDecoder decoder = Venues.newDecoder(
        Venues.CME_MDP3, new DecoderContext().sink(recorder).stats(summary).feedId(3));

    /** One MDP3 message of a packet, found by walking the sizes. */
    record Msg(int templateId, int version, int root, int blockLength, int size, int matchEventIndicator)
    {
        int groupStart()
        {
            return root + blockLength;
        }
    }

    static byte[] packet(final String name) throws Exception
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

    static List<Msg> walk(final byte[] p)
    {
        final UnsafeBuffer b = new UnsafeBuffer(p);
        final List<Msg> out = new ArrayList<>();
        for (int pos = 12; pos < p.length; pos += b.getShort(pos, LE) & 0xFFFF)
        {
            final int templateId = b.getShort(pos + 4, LE) & 0xFFFF;
            final int blockLength = b.getShort(pos + 2, LE) & 0xFFFF;
            final int root = pos + 10;
            out.add(new Msg(templateId, b.getShort(pos + 8, LE), root, blockLength, b.getShort(pos, LE) & 0xFFFF,
                blockLength > 8 ? b.getByte(root + 8) & 0xFF : 0));
        }
        return out;
    }

    private void play(final byte[] p)
    {
        decoder.onPacket(new UnsafeBuffer(p), 0, p.length, 0, 1, -1);
        assertEquals(0, summary.malformed(), summary.malformedReasons().toString());
    }

    @Test
    void nullNumberOfOrdersIsPublishedAsUnknown() throws Exception
    {
        // Message 6 of this packet (template 46) is one implied offer entry (type E) whose NumberOfOrders is null.
        final byte[] p = packet("Mdp3.Sbe.v1.9_MdIncrementalRefreshTradeSummary.pcap");
        final UnsafeBuffer b = new UnsafeBuffer(p);
        final List<Integer> byHand = new ArrayList<>();
        for (final Msg m : walk(p))
        {
            if (46 == m.templateId())
            {
                final int entryLength = b.getShort(m.groupStart(), LE);
                final int count = b.getByte(m.groupStart() + 2) & 0xFF;
                for (int i = 0; i < count; i++)
                {
                    byHand.add(b.getInt(m.groupStart() + 3 + i * entryLength + 20, LE));
                }
            }
        }
        assertEquals(List.of(2, INT32_NULL), byHand);

        play(p);
        final List<PriceLevelUpdateDecoder> levels = recorder.levels();
        assertEquals(2, levels.size());
        assertEquals(2, levels.get(0).orderCount());
        assertEquals(-1, levels.get(1).orderCount(), "NumberOfOrders null is -1 (unknown), as documented");
        assertEquals(5893, levels.get(1).common().instrumentId());
    }

    @Test
    void cancelOrderCarriesTheDisplayedQuantityCmeSends() throws Exception
    {
        // MBO in the MBP message: order entries (8-byte group header) of order id @0, display qty @16, action @21.
        final byte[] book = packet("Mdp3.Sbe.v1.9_MdIncrementalRefreshBook.pcap");
        final UnsafeBuffer b = new UnsafeBuffer(book);
        final Msg first = walk(book).get(0);
        final int entryLength = b.getShort(first.groupStart(), LE);
        final int count = b.getByte(first.groupStart() + 2) & 0xFF;
        final int orders = first.groupStart() + 3 + count * entryLength;
        final int orderLength = b.getShort(orders, LE);
        final List<long[]> deletes = new ArrayList<>();
        for (int i = 0, n = b.getByte(orders + 7) & 0xFF; i < n; i++)
        {
            final int o = orders + 8 + i * orderLength;
            if (2 == b.getByte(o + 21))
            {
                deletes.add(new long[]{ b.getLong(o, LE), b.getInt(o + 16, LE) });
            }
        }
        assertEquals(8, deletes.size());

        play(book);
        final List<CancelOrderDecoder> cancels = recorder.cancels();
        assertEquals(deletes.size(), cancels.size());
        for (int i = 0; i < deletes.size(); i++)
        {
            assertEquals(deletes.get(i)[0], cancels.get(i).orderId());
            assertEquals(deletes.get(i)[1], cancels.get(i).cancelledQuantity(), "order " + deletes.get(i)[0]);
            assertEquals(CancelType.FULL, cancels.get(i).cancelType());
        }
        assertEquals(19, cancels.get(0).cancelledQuantity());
    }

    @Test
    void orderBookDeleteCarriesTheDisplayedQuantity() throws Exception
    {
        // Template 47 of this packet: order 88463939692 deleted (MDUpdateAction 2) with MDDisplayQty 1 (@24).
        final byte[] p = packet("Mdp3.Sbe.v1.9_MdIncrementalRefreshTradeSummary.pcap");
        final UnsafeBuffer b = new UnsafeBuffer(p);
        final Msg mbo = walk(p).stream().filter(m -> 47 == m.templateId()).findFirst().orElseThrow();
        final int entry = mbo.groupStart() + 3;
        assertEquals(2, b.getByte(entry + 32));
        assertEquals(88463939692L, b.getLong(entry, LE));
        final int displayQty = b.getInt(entry + 24, LE);
        assertEquals(1, displayQty);

        play(p);
        final List<CancelOrderDecoder> cancels = recorder.cancels();
        assertEquals(1, cancels.size());
        assertEquals(88463939692L, cancels.get(0).orderId());
        assertEquals(displayQty, cancels.get(0).cancelledQuantity());
    }

    @Test
    void tradeVolumePrintsOnceWhateverThePrintableFlag() throws Exception
    {
        // CME prints a match once, as the trade summary's MD entry (Trade). Its order entries are every fill of that
        // match, the aggressor's first (CME: "the first Order Detail ... represents that aggressor order"), so they
        // add up to twice the traded quantity: printing them too would count the volume three times.
        for (final String name : new String[]{
            "Mdp3.Sbe.v1.5_MdIncrementalRefreshTradeSummary.pcap",
            "Mdp3.Sbe.v1.9_MdIncrementalRefreshTradeSummary.pcap",
            "Mdp3.Sbe.v1.9_MdIncrementalRefreshVolume.pcap" })
        {
            final Mdp3DecoderTest.Recorder recorder = new Mdp3DecoderTest.Recorder();
            final ParseSummary stats = new ParseSummary();
            final PacketDecoder fresh =
                Venues.newDecoder(Venues.CME_MDP3, new DecoderContext().sink(recorder).stats(stats));
            final byte[] p = packet(name);
            final UnsafeBuffer b = new UnsafeBuffer(p);
            long tradedByHand = 0;
            long filledByHand = 0;
            for (final Msg m : walk(p))
            {
                if (42 == m.templateId() || 48 == m.templateId())
                {
                    final int entryLength = b.getShort(m.groupStart(), LE);
                    final int count = b.getByte(m.groupStart() + 2) & 0xFF;
                    for (int i = 0; i < count; i++)
                    {
                        tradedByHand += b.getInt(m.groupStart() + 3 + i * entryLength + 8, LE);
                    }
                    final int orders = m.groupStart() + 3 + count * entryLength;
                    for (int i = 0, n = b.getByte(orders + 7) & 0xFF; i < n; i++)
                    {
                        filledByHand += b.getInt(orders + 8 + i * b.getShort(orders, LE) + 8, LE);
                    }
                }
            }
            assertEquals(2 * tradedByHand, filledByHand, name);

            fresh.onPacket(new UnsafeBuffer(p), 0, p.length, 0, 1, -1);
            assertEquals(0, stats.malformed(), name);
            long printed = 0;
            for (final TradeDecoder t : recorder.trades())
            {
                printed += t.quantity();
            }
            long executed = 0;
            for (final ExecuteOrderDecoder e : recorder.executions())
            {
                printed += 0 != e.printable() ? e.executedQuantity() : 0;
                executed += e.executedQuantity();
            }
            assertEquals(tradedByHand, printed, name + ": the tape (trades + printable executions)");
            assertEquals(filledByHand, executed, name);
        }
    }

    private static final int LAST_IN_PACKET = 4;
    private static final int END_OF_EVENT = 16;
    private static final String[] ALL = {
        "Mdp3.Sbe.v1.5_MdIncrementalRefreshBook.pcap",
        "Mdp3.Sbe.v1.5_MdIncrementalRefreshSessionStatistics.pcap",
        "Mdp3.Sbe.v1.5_MdIncrementalRefreshTradeSummary.pcap",
        "Mdp3.Sbe.v1.5_MdIncrementalRefreshVolume.pcap",
        "Mdp3.Sbe.v1.5_MdInstrumentDefinitionSpread.pcap",
        "Mdp3.Sbe.v1.8_MdIncrementalRefreshTradeSummary.pcap",
        "Mdp3.Sbe.v1.9_MdIncrementalRefreshBook.pcap",
        "Mdp3.Sbe.v1.9_MdIncrementalRefreshOrderBook.pcap",
        "Mdp3.Sbe.v1.9_MdIncrementalRefreshTradeSummary.pcap",
        "Mdp3.Sbe.v1.9_MdIncrementalRefreshVolume.pcap",
    };

    @Test
    void theLastMessageOfEveryPacketAndOnlyItCarriesTheLastInPacketFlag() throws Exception
    {
        for (final String name : ALL)
        {
            final Mdp3DecoderTest.Recorder out = new Mdp3DecoderTest.Recorder();
            final PacketDecoder fresh = Venues.newDecoder(Venues.CME_MDP3, new DecoderContext().sink(out));
            final byte[] p = packet(name);
            fresh.onPacket(new UnsafeBuffer(p), 0, p.length, 0, 1, -1);
            assertTrue(out.count() > 0, name);
            for (int i = 0; i < out.count(); i++)
            {
                assertEquals(i == out.count() - 1, 0 != (out.flags(i) & LAST_IN_PACKET), name + " message " + i);
            }
        }
    }

    @Test
    void anEventEndingWithAnEmptyBookMessageMarksTheEventsLastMessage() throws Exception
    {
        // Message 2 of this packet is template 46 with no MD entry, no order entry and MatchEventIndicator 0x80
        // (EndOfEvent only); message 1 (0x04) ends with order entry 16, a delete of order 563189412340.
        final byte[] p = packet("Mdp3.Sbe.v1.9_MdIncrementalRefreshBook.pcap");
        final UnsafeBuffer b = new UnsafeBuffer(p);
        final List<Msg> msgs = walk(p);
        assertEquals(2, msgs.size());
        assertEquals(0x04, msgs.get(0).matchEventIndicator());
        final Msg empty = msgs.get(1);
        assertEquals(0x80, empty.matchEventIndicator());
        assertEquals(0, b.getByte(empty.groupStart() + 2));
        assertEquals(0, b.getByte(empty.groupStart() + 3 + 7));
        assertEquals(10 + 11 + 3 + 8, empty.size());

        play(p);
        final int last = recorder.count() - 1;
        assertEquals(4, recorder.templateId(last), "a CancelOrder");
        assertEquals(563189412340L, recorder.cancels().get(recorder.cancels().size() - 1).orderId());
        assertEquals(END_OF_EVENT | LAST_IN_PACKET, recorder.flags(last));
        for (int i = 0; i < last; i++)
        {
            assertEquals(0, recorder.flags(i) & END_OF_EVENT, "message " + i);
        }
    }

    @Test
    void eachEventEndMarksTheLastMessageBeforeIt() throws Exception
    {
        // Volume 37 (0x02), book 46 + MBO (0x04), empty 46 (0x80), trade 48 (0x01), volume, book 46 + MBO, empty 46.
        final byte[] p = packet("Mdp3.Sbe.v1.9_MdIncrementalRefreshVolume.pcap");
        final List<Msg> msgs = walk(p);
        assertEquals(List.of(0x02, 0x04, 0x80, 0x01, 0x02, 0x04, 0x80),
            msgs.stream().map(Msg::matchEventIndicator).toList());
        play(p);
        final List<Integer> marked = new ArrayList<>();
        for (int i = 0; i < recorder.count(); i++)
        {
            if (0 != (recorder.flags(i) & END_OF_EVENT))
            {
                marked.add(recorder.templateId(i));
            }
        }
        // The first event ends on the ModifyOrder of order 88463941759, the second on its CancelOrder.
        assertEquals(List.of(3, 4), marked);
        assertEquals(LAST_IN_PACKET | END_OF_EVENT, recorder.flags(recorder.count() - 1));
    }

    @Test
    void anEndOfEventOnABookEntryMarksThatPriceLevelUpdate() throws Exception
    {
        // The last message of this packet: template 46, MatchEventIndicator 0x90 (EndOfEvent, LastImpliedMsg).
        final byte[] p = packet("Mdp3.Sbe.v1.9_MdIncrementalRefreshTradeSummary.pcap");
        final List<Msg> msgs = walk(p);
        assertEquals(0x90, msgs.get(msgs.size() - 1).matchEventIndicator());
        play(p);
        final List<PriceLevelUpdateDecoder> levels = recorder.levels();
        assertEquals(1, levels.get(1).eventFlags() & 1);
        assertEquals(0, levels.get(0).eventFlags() & 1);
        assertEquals(END_OF_EVENT | LAST_IN_PACKET, levels.get(1).common().flags());
    }

    @Test
    void anEmptyEndOfEventAloneInItsPacketPublishesAHeartbeatCarryingTheEnd() throws Exception
    {
        // The real packet cut in two at its message boundary: the event's entries, then the EndOfEvent message.
        final byte[] p = packet("Mdp3.Sbe.v1.9_MdIncrementalRefreshBook.pcap");
        final Msg empty = walk(p).get(1);
        final int split = empty.root() - 10;
        final byte[] first = java.util.Arrays.copyOf(p, split);
        final byte[] second = new byte[12 + p.length - split];
        System.arraycopy(p, 0, second, 0, 12);
        System.arraycopy(p, split, second, 12, p.length - split);
        new UnsafeBuffer(second).putInt(0, new UnsafeBuffer(p).getInt(0, LE) + 1, LE);

        decoder.onPacket(new UnsafeBuffer(first), 0, first.length, 0, 1, -1);
        final int afterFirst = recorder.count();
        assertEquals(LAST_IN_PACKET, recorder.flags(afterFirst - 1), "the event is not over yet");
        decoder.onPacket(new UnsafeBuffer(second), 0, second.length, 0, 2, -1);
        assertEquals(0, summary.malformed(), summary.malformedReasons().toString());
        assertEquals(afterFirst + 1, recorder.count());
        assertEquals(11, recorder.templateId(afterFirst), "a Heartbeat");
        assertEquals(END_OF_EVENT | LAST_IN_PACKET, recorder.flags(afterFirst));
    }

    @Test
    void volumeEntriesArePublishedAsVolumeStatistics() throws Exception
    {
        // Template 37 entries by hand: MDEntrySize (cumulative volume) @0, SecurityID @4, MDUpdateAction @12.
        final String[] names = {
            "Mdp3.Sbe.v1.5_MdIncrementalRefreshSessionStatistics.pcap",
            "Mdp3.Sbe.v1.5_MdIncrementalRefreshVolume.pcap",
            "Mdp3.Sbe.v1.8_MdIncrementalRefreshTradeSummary.pcap",
            "Mdp3.Sbe.v1.9_MdIncrementalRefreshTradeSummary.pcap",
            "Mdp3.Sbe.v1.9_MdIncrementalRefreshVolume.pcap" };
        final List<String> byHand = new ArrayList<>();
        final List<String> published = new ArrayList<>();
        for (final String name : names)
        {
            final byte[] p = packet(name);
            final UnsafeBuffer b = new UnsafeBuffer(p);
            for (final Msg m : walk(p))
            {
                if (37 == m.templateId())
                {
                    final int entryLength = b.getShort(m.groupStart(), LE);
                    for (int i = 0, n = b.getByte(m.groupStart() + 2); i < n; i++)
                    {
                        final int e = m.groupStart() + 3 + i * entryLength;
                        byHand.add(b.getInt(e + 4, LE) + ":" + b.getInt(e, LE) + "@" + b.getLong(m.root(), LE));
                    }
                }
            }
            final Mdp3DecoderTest.Recorder out = new Mdp3DecoderTest.Recorder();
            Venues.newDecoder(Venues.CME_MDP3, new DecoderContext().sink(out))
                .onPacket(b, 0, p.length, 0, 1, -1);
            for (final MarketStatisticDecoder s : out.statistics())
            {
                if (StatType.VOLUME == s.statType())
                {
                    assertEquals(LevelAction.NEW, s.action());
                    assertEquals('e', s.venueCode());
                    assertEquals(Long.MIN_VALUE, s.price().mantissa(), "volume has no price");
                    published.add(s.common().instrumentId() + ":" + s.quantity() + "@" + s.common().exchangeTime());
                }
            }
        }
        assertEquals(6, byHand.size());
        assertEquals("13950:1340718", byHand.get(1).substring(0, byHand.get(1).indexOf('@')));
        assertEquals(byHand, published);
    }

    @Test
    void sessionStatisticsArePublishedWithTheirTypeAndPrice() throws Exception
    {
        // Template 35 entries: MDEntryPx @0 (PRICE, -7), SecurityID @8, OpenCloseSettlFlag @16, MDUpdateAction @17,
        // MDEntryType @18 (a version-5 message: no MDEntrySize).
        final byte[] p = packet("Mdp3.Sbe.v1.5_MdIncrementalRefreshSessionStatistics.pcap");
        final UnsafeBuffer b = new UnsafeBuffer(p);
        final Msg stats = walk(p).stream().filter(m -> 35 == m.templateId()).findFirst().orElseThrow();
        final int entryLength = b.getShort(stats.groupStart(), LE);
        final List<String> byHand = new ArrayList<>();
        for (int i = 0, n = b.getByte(stats.groupStart() + 2); i < n; i++)
        {
            final int e = stats.groupStart() + 3 + i * entryLength;
            byHand.add((char)b.getByte(e + 18) + " " + (b.getByte(e + 16) & 0xFF) + " " + b.getLong(e, LE) + " " +
                b.getInt(e + 8, LE) + " " + b.getByte(e + 17));
        }
        assertEquals(List.of("7 255 2050000000000 2928 0", "8 255 2050000000000 2928 0", "4 0 2050000000000 2928 0"),
            byHand);

        play(p);
        final List<MarketStatisticDecoder> published = recorder.statistics().stream()
            .filter(s -> StatType.VOLUME != s.statType()).toList();
        assertEquals(List.of(StatType.HIGH, StatType.LOW, StatType.OPEN),
            published.stream().map(MarketStatisticDecoder::statType).toList());
        for (int i = 0; i < published.size(); i++)
        {
            final MarketStatisticDecoder s = published.get(i);
            assertEquals(byHand.get(i).charAt(0), s.venueCode());
            assertEquals(2050000000000L, s.price().mantissa());
            assertEquals(-7, s.price().exponent());
            assertEquals(2928, s.common().instrumentId());
            assertEquals(LevelAction.NEW, s.action());
            assertEquals(0, s.quantity(), "no indicative quantity before version 8");
            assertEquals(b.getLong(stats.root(), LE), s.common().exchangeTime());
        }
        // The statistics message ends its event (MatchEventIndicator 0x88): the open carries the end flag.
        assertEquals(0x88, stats.matchEventIndicator());
        assertEquals(END_OF_EVENT, published.get(2).common().flags() & END_OF_EVENT);
    }

    @Test
    void orderPriorityIsCarriedOnAddsAndModifies() throws Exception
    {
        // Template 47: MDOrderPriority @8 of its one entry; template 46 order entries: MDOrderPriority @8.
        final byte[] mbo = packet("Mdp3.Sbe.v1.9_MdIncrementalRefreshOrderBook.pcap");
        final UnsafeBuffer b = new UnsafeBuffer(mbo);
        final long priority = b.getLong(walk(mbo).get(0).groupStart() + 3 + 8, LE);
        assertEquals(641463012L, priority);
        play(mbo);
        final List<AddOrderDecoder> adds = recorder.adds();
        assertEquals(1, adds.size());
        assertEquals(priority, adds.get(0).priority());

        final byte[] book = packet("Mdp3.Sbe.v1.9_MdIncrementalRefreshBook.pcap");
        final UnsafeBuffer bb = new UnsafeBuffer(book);
        final Msg first = walk(book).get(0);
        final int orders = first.groupStart() + 3 + (bb.getByte(first.groupStart() + 2) & 0xFF) *
            bb.getShort(first.groupStart(), LE);
        final List<Long> byHand = new ArrayList<>();
        for (int i = 0, n = bb.getByte(orders + 7) & 0xFF; i < n; i++)
        {
            final int o = orders + 8 + i * bb.getShort(orders, LE);
            if (2 != bb.getByte(o + 21))
            {
                byHand.add(bb.getLong(o + 8, LE));
            }
        }
        final Mdp3DecoderTest.Recorder out = new Mdp3DecoderTest.Recorder();
        Venues.newDecoder(Venues.CME_MDP3, new DecoderContext().sink(out)).onPacket(bb, 0, book.length, 0, 1, -1);
        final List<Long> published = new ArrayList<>();
        final List<ModifyOrderDecoder> modifies = out.modifies();
        final List<AddOrderDecoder> bookAdds = out.adds();
        assertEquals(7, modifies.size());
        assertEquals(1, bookAdds.size());
        modifies.forEach(m -> published.add(m.priority()));
        // The one add (order entry 12) comes after the first 12 entries' modifies and deletes.
        published.add(5, bookAdds.get(0).priority());
        assertEquals(byHand, published);
        assertEquals(10623363050L, bookAdds.get(0).priority());
    }

    @Test
    void pricesAreCmesOwnAndTheDefinitionCarriesTheDisplayFactor() throws Exception
    {
        // The ESZ5 definition (security 13950, template 27 v5): DisplayFactor (FLOAT, -7) @99 = 100000 = 0.01.
        final byte[] defs = packet("Mdp3.Sbe.v1.5_MdInstrumentDefinitionSpread.pcap");
        final UnsafeBuffer d = new UnsafeBuffer(defs);
        final Msg esz5 = walk(defs).get(4);
        assertEquals(27, esz5.templateId());
        assertEquals(13950, d.getInt(esz5.root() + 55, LE));
        assertEquals(100000L, d.getLong(esz5.root() + 99, LE));

        // The ESZ5 book: 2077750000000 at -7 (CME's price, 207775.0), displayed as 2077.75.
        final byte[] book = packet("Mdp3.Sbe.v1.5_MdIncrementalRefreshBook.pcap");
        decoder.onPacket(d, 0, defs.length, 0, 1, -1);
        decoder.onPacket(new UnsafeBuffer(book), 0, book.length, 0, 2, -1);
        final InstrumentDefinitionDecoder definition = recorder.definitions().stream()
            .filter(x -> 13950 == x.common().instrumentId()).findFirst().orElseThrow();
        assertEquals(100000L, definition.displayFactorMantissa());
        assertEquals(-7, definition.displayFactorExponent());
        final PriceLevelUpdateDecoder level = recorder.levels().get(0);
        assertEquals(13950, level.common().instrumentId());
        assertEquals(2077750000000L, level.price().mantissa(), "the price on the wire is CME's, unscaled");
        assertEquals(-7, level.price().exponent());
        final BigDecimal conventional = BigDecimal.valueOf(level.price().mantissa(), -level.price().exponent())
            .multiply(BigDecimal.valueOf(definition.displayFactorMantissa(), -definition.displayFactorExponent()));
        assertEquals(0, new BigDecimal("2077.75").compareTo(conventional), conventional.toPlainString());

        // A minimal definition (no CME definition seen) says the display factor is unknown.
        final Mdp3DecoderTest.Recorder out = new Mdp3DecoderTest.Recorder();
        Venues.newDecoder(Venues.CME_MDP3, new DecoderContext().sink(out))
            .onPacket(new UnsafeBuffer(book), 0, book.length, 0, 1, -1);
        assertEquals(InstrumentDefinitionDecoder.displayFactorMantissaNullValue(),
            out.definitions().get(0).displayFactorMantissa());
    }

    @Test
    void dailyStatisticsFromCmesGeneratedEncoderSettlementAndOpenInterest()
    {
        // No capture holds template 33: built with CME's own generated encoder, as a packet of one message.
        final org.agrona.ExpandableArrayBuffer out = new org.agrona.ExpandableArrayBuffer(256);
        out.putInt(0, 77, LE);
        out.putLong(4, 1_446_130_830_000_000_000L, LE);
        final io.tickbus.feed.cme.mdp3.MDIncrementalRefreshDailyStatistics33Encoder daily =
            new io.tickbus.feed.cme.mdp3.MDIncrementalRefreshDailyStatistics33Encoder();
        daily.wrapAndApplyHeader(out, 14, new io.tickbus.feed.cme.mdp3.MessageHeaderEncoder())
            .transactTime(1_446_130_830_000_000_001L);
        daily.matchEventIndicator().clear().endOfEvent(true);
        final var entries = daily.noMDEntriesCount(2);
        entries.next().mDEntrySize(Integer.MAX_VALUE).securityID(13950).rptSeq(1).tradingReferenceDate(16738)
            .mDUpdateAction(io.tickbus.feed.cme.mdp3.MDUpdateAction.New)
            .mDEntryType(io.tickbus.feed.cme.mdp3.MDEntryTypeDailyStatistics.SettlementPrice)
            .mDEntryPx().mantissa(2_077_500_000_000L);
        entries.settlPriceType().clear().finalDaily(true).actual(true);
        entries.next().mDEntrySize(2_800_000).securityID(13950).rptSeq(2).tradingReferenceDate(16738)
            .mDUpdateAction(io.tickbus.feed.cme.mdp3.MDUpdateAction.New)
            .mDEntryType(io.tickbus.feed.cme.mdp3.MDEntryTypeDailyStatistics.OpenInterest)
            .mDEntryPx().mantissa(Long.MAX_VALUE);
        entries.settlPriceType().clear();
        final int size = 2 + 8 + daily.encodedLength();
        out.putShort(12, (short)size, LE);

        decoder.onPacket(out, 0, 12 + size, 0, 1, -1);
        assertEquals(0, summary.malformed(), summary.malformedReasons().toString());
        final List<MarketStatisticDecoder> stats = recorder.statistics();
        assertEquals(2, stats.size());
        final MarketStatisticDecoder settlement = stats.get(0);
        assertEquals(StatType.SETTLEMENT, settlement.statType());
        assertEquals(2_077_500_000_000L, settlement.price().mantissa());
        assertEquals(-7, settlement.price().exponent());
        assertEquals(0, settlement.quantity(), "MDEntrySize null");
        assertEquals(3, settlement.qualifier(), "SettlPriceType FinalDaily | Actual, as sent");
        assertEquals(20151030, settlement.tradingDate(), "LocalMktDate 16738");
        final MarketStatisticDecoder openInterest = stats.get(1);
        assertEquals(StatType.OPEN_INTEREST, openInterest.statType());
        assertEquals(Long.MIN_VALUE, openInterest.price().mantissa(), "PRICENULL null: no price");
        assertEquals(2_800_000, openInterest.quantity());
        assertEquals(END_OF_EVENT | LAST_IN_PACKET, openInterest.common().flags());
    }
}
