package io.tickbus.feed.iex;

import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.PacketDecoder;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.Venues;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The common block's packet and event flags of the normalized IEX output, against the real captures walked here
 * by hand (IEX-TP header: message count u16 @14; DEEP price level update: type @0, event flags @1).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IexFidelityTest
{
    private static final int LAST_IN_PACKET = 4;
    private static final int END_OF_EVENT = 16;

    @Test
    void theLastMessageOfEverySegmentAndOnlyItCarriesTheLastInPacketFlag() throws Exception
    {
        for (final String[] capture : new String[][]{
            { Venues.IEX_DEEP, IexCaptures.DEEP_EXCERPT }, { Venues.IEX_TOPS, IexCaptures.TOPS_DAY } })
        {
            final RecordingSink sink = new RecordingSink();
            final ParseSummary summary = new ParseSummary();
            final PacketDecoder decoder = Venues.newDecoder(capture[0], new DecoderContext().sink(sink).stats(summary));
            final List<byte[]> payloads = IexCaptures.payloads(IexCaptures.iex(capture[1]));
            long segmentsWithOutput = 0;
            long packetNumber = 1;
            for (final byte[] p : payloads)
            {
                sink.clear();
                decoder.onPacket(new UnsafeBuffer(p), 0, p.length, 0, packetNumber++, -1);
                for (int i = 0; i < sink.count(); i++)
                {
                    assertEquals(i == sink.count() - 1, 0 != (sink.flags(i) & LAST_IN_PACKET),
                        capture[1] + " packet " + packetNumber + " message " + i);
                }
                segmentsWithOutput += sink.count() > 0 ? 1 : 0;
            }
            assertEquals(0, summary.malformed(), capture[1]);
            // Segments of only unpublished types (P, I, A) publish nothing and so carry no flag.
            assertTrue(segmentsWithOutput > payloads.size() / 2, capture[1] + ": " + segmentsWithOutput);
        }
    }

    @Test
    void aPriceLevelUpdateThatCompletesAnEventCarriesTheEndOfEventFlag() throws Exception
    {
        final RecordingSink sink = new RecordingSink();
        final PacketDecoder decoder = Venues.newDecoder(Venues.IEX_DEEP, new DecoderContext().sink(sink));
        long byHand = 0;
        long packetNumber = 1;
        for (final byte[] p : IexCaptures.payloads(IexCaptures.iex(IexCaptures.DEEP_EXCERPT)))
        {
            final UnsafeBuffer b = new UnsafeBuffer(p);
            final int count = b.getShort(14, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            for (int i = 0, pos = 40; i < count; i++)
            {
                final int length = b.getShort(pos, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                final byte type = b.getByte(pos + 2);
                if (('8' == type || '5' == type) && 0 != (b.getByte(pos + 3) & 1))
                {
                    byHand++;
                }
                pos += 2 + length;
            }
            decoder.onPacket(b, 0, p.length, 0, packetNumber++, -1);
        }
        assertTrue(byHand > 0);
        long marked = 0;
        for (int i = 0; i < sink.count(); i++)
        {
            if (0 != (sink.flags(i) & END_OF_EVENT))
            {
                assertEquals(6, sink.templateId(i), "message " + i);
                assertEquals(1, sink.eventFlags(i) & 1, "message " + i);
                marked++;
            }
            else if (6 == sink.templateId(i))
            {
                assertEquals(0, sink.eventFlags(i) & 1, "message " + i);
            }
        }
        assertEquals(byHand, marked);
    }
}
