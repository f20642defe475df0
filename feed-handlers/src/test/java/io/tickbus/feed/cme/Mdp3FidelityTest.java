package io.tickbus.feed.cme;

import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.PacketDecoder;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.Venues;
import io.tickbus.feed.pcap.CaptureReader;
import io.tickbus.sbe.CancelOrderDecoder;
import io.tickbus.sbe.CancelType;
import io.tickbus.sbe.ExecuteOrderDecoder;
import io.tickbus.sbe.PriceLevelUpdateDecoder;
import io.tickbus.sbe.TradeDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
}
