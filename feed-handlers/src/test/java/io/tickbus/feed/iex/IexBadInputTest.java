package io.tickbus.feed.iex;

import io.tickbus.feed.DerivedSequence;
import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.Venues;
import io.tickbus.sbe.GapNoticeDecoder;
import io.tickbus.sbe.GapReason;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bytes cut or corrupted from three consecutive real TOPS segments: the bad one is counted and skipped (or, for a
 * segment cut short, its complete messages kept), the segments before and after are published in full.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IexBadInputTest
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private ParseSummary summary = new ParseSummary();
    private final RecordingSink sink = new RecordingSink();
    private List<byte[]> payloads;
    private byte[] p1;
    private byte[] p2;
    private byte[] p2Original;
    private byte[] p3;

    @BeforeEach
    void pickSegments() throws Exception
    {
        payloads = IexCaptures.payloads(IexCaptures.iex(IexCaptures.TOPS_DAY));
        for (int i = 1000; i < payloads.size() - 2; i++)
        {
            if (count(payloads.get(i)) >= 3 && count(payloads.get(i + 1)) >= 3 && count(payloads.get(i + 2)) >= 3)
            {
                p1 = payloads.get(i);
                p2Original = payloads.get(i + 1);
                p2 = p2Original.clone();
                p3 = payloads.get(i + 2);
                return;
            }
        }
        throw new IllegalStateException("no three consecutive segments of 3+ messages");
    }

    private static int count(final byte[] p)
    {
        return new UnsafeBuffer(p).getShort(14, LE) & 0xFFFF;
    }

    private static long firstSeq(final byte[] p)
    {
        return new UnsafeBuffer(p).getLong(24, LE);
    }

    /** Offset of message i's 2-byte length prefix. */
    private static int prefixOffset(final byte[] p, final int i)
    {
        final UnsafeBuffer b = new UnsafeBuffer(p);
        int pos = 40;
        for (int k = 0; k < i; k++)
        {
            pos += 2 + (b.getShort(pos, LE) & 0xFFFF);
        }
        return pos;
    }

    private void play(final byte[]... packets)
    {
        final IexTpDecoder decoder = (IexTpDecoder)Venues.newDecoder(
            Venues.IEX_TOPS, new DecoderContext().sink(sink).stats(summary));
        long n = 1;
        for (final byte[] p : packets)
        {
            decoder.onPacket(new UnsafeBuffer(p), 0, p.length, 0, n++, -1);
        }
    }

    /** Published messages other than definitions derived from venue sequence numbers [from, from + count). */
    private long publishedFrom(final long from, final int count)
    {
        long n = 0;
        for (int i = 0; i < sink.count(); i++)
        {
            if (1 == sink.templateId(i) || 12 == sink.templateId(i))
            {
                continue;
            }
            final long[] seq = new long[1];
            sink.dispatch(i, new io.tickbus.client.MarketDataListener()
            {
                public void onMessage(
                    final org.agrona.DirectBuffer buffer,
                    final int offset,
                    final int length,
                    final int templateId,
                    final long position)
                {
                    seq[0] = DerivedSequence.venueSeq(io.tickbus.client.CommonBlock.sourceSeq(buffer, offset));
                }
            });
            if (seq[0] >= from && seq[0] < from + count)
            {
                n++;
            }
        }
        return n;
    }

    private long[] baseline()
    {
        play(p1, p2Original, p3);
        final long[] counts = {
            publishedFrom(firstSeq(p1), count(p1)),
            publishedFrom(firstSeq(p2), count(p2)),
            publishedFrom(firstSeq(p3), count(p3)),
            summary.messages() };
        sink.clear();
        return counts;
    }

    private void assertNeighboursIntact(final long[] baseline)
    {
        assertEquals(baseline[0], publishedFrom(firstSeq(p1), count(p1)), "segment before");
        assertEquals(baseline[2], publishedFrom(firstSeq(p3), count(p3)), "segment after");
    }

    @Test
    void segmentCutShortKeepsItsCompleteMessages()
    {
        final long[] baseline = baseline();
        final int cut = prefixOffset(p2, 1) + 2 + 3;
        final byte[] truncated = Arrays.copyOf(p2, cut);
        summaryReset();
        play(p1, truncated, p3);

        assertEquals(1, summary.malformed());
        assertEquals(count(p1) + 1 + count(p3), summary.messages());
        assertNeighboursIntact(baseline);
        assertEquals(0, publishedFrom(firstSeq(p2) + 1, count(p2) - 1), "nothing after the cut");
    }

    @Test
    void lengthThatLiesLongerDropsTheSegment()
    {
        final long[] baseline = baseline();
        new UnsafeBuffer(p2).putShort(prefixOffset(p2, 1), (short)0x7FFF, LE);
        summaryReset();
        play(p1, p2, p3);

        assertEquals(1, summary.malformed());
        assertEquals(count(p1) + count(p3), summary.messages());
        assertEquals(0, publishedFrom(firstSeq(p2), count(p2)));
        assertNeighboursIntact(baseline);
        assertEquals(0, summary.gaps());
    }

    @Test
    void lengthThatLiesShorterDropsTheSegment()
    {
        final long[] baseline = baseline();
        final int at = prefixOffset(p2, 1);
        final UnsafeBuffer b = new UnsafeBuffer(p2);
        b.putShort(at, (short)((b.getShort(at, LE) & 0xFFFF) - 4), LE);
        summaryReset();
        play(p1, p2, p3);

        assertEquals(1, summary.malformed());
        assertEquals(0, publishedFrom(firstSeq(p2), count(p2)));
        assertNeighboursIntact(baseline);
    }

    @Test
    void unknownTypeSkipsOnlyThatMessage()
    {
        final long[] baseline = baseline();
        p2[prefixOffset(p2, 1) + 2] = 'Z';
        summaryReset();
        play(p1, p2, p3);

        assertEquals(1, summary.malformed());
        assertEquals(baseline[3] - 1, summary.messages());
        assertEquals(0, publishedFrom(firstSeq(p2) + 1, 1));
        assertEquals(publishedFromBaselineOf(0), publishedFrom(firstSeq(p2), 1));
        assertNeighboursIntact(baseline);
    }

    private long publishedFromBaselineOf(final int message)
    {
        final byte type = p2[prefixOffset(p2, message) + 2];
        return "HOSQTBX".indexOf(type) >= 0 ? 1 : 0;
    }

    @Test
    void messageShorterThanItsTypeSkipsOnlyThatMessage()
    {
        final long[] baseline = baseline();
        // Rebuild the segment with message 1 cut to 9 bytes, framing and payload length kept consistent.
        final int at = prefixOffset(p2, 1);
        final int oldLength = new UnsafeBuffer(p2).getShort(at, LE) & 0xFFFF;
        final byte[] rebuilt = new byte[p2.length - oldLength + 9];
        System.arraycopy(p2, 0, rebuilt, 0, at + 2 + 9);
        System.arraycopy(p2, at + 2 + oldLength, rebuilt, at + 2 + 9, p2.length - (at + 2 + oldLength));
        final UnsafeBuffer b = new UnsafeBuffer(rebuilt);
        b.putShort(at, (short)9, LE);
        b.putShort(12, (short)(rebuilt.length - 40), LE);
        summaryReset();
        play(p1, rebuilt, p3);

        assertEquals(1, summary.malformed());
        assertEquals(baseline[3] - 1, summary.messages());
        assertEquals(0, publishedFrom(firstSeq(p2) + 1, 1));
        assertNeighboursIntact(baseline);
    }

    @Test
    void corruptHeaderIsSkippedAndTheNextSegmentRevealsTheGap()
    {
        final long[] baseline = baseline();
        p2[0] = 2;
        summaryReset();
        play(p1, p2, p3);

        assertEquals(1, summary.malformed());
        assertEquals(1, summary.gaps());
        assertEquals(count(p2), summary.missingSequences());
        assertNeighboursIntact(baseline);
        final IexTpDecoderTest.Tally tally = new IexTpDecoderTest.Tally();
        sink.dispatchAll(tally);
        assertEquals(1, tally.gaps.size());
        final GapNoticeDecoder gap = tally.gaps.get(0);
        assertEquals(firstSeq(p2), gap.fromSeq());
        assertEquals(firstSeq(p3) - 1, gap.toSeq());
        assertEquals(GapReason.VENUE_GAP, gap.reason());
    }

    @Test
    void packetShorterThanTheHeaderIsMalformed()
    {
        final long[] baseline = baseline();
        summaryReset();
        play(p1, Arrays.copyOf(p2, 20), p3);

        assertEquals(1, summary.malformed());
        assertEquals(count(p1) + count(p3), summary.messages());
        assertNeighboursIntact(baseline);
    }

    @Test
    void randomCorruptionNeverThrowsAndNeverPublishesAnUnreadableMessage()
    {
        final Random random = new Random(42);
        final IexTpDecoder decoder = (IexTpDecoder)Venues.newDecoder(
            Venues.IEX_TOPS, new DecoderContext().sink(sink).stats(summary));
        for (int i = 0; i < 3000; i++)
        {
            final byte[] p = payloads.get(random.nextInt(payloads.size())).clone();
            final int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++)
            {
                p[random.nextInt(p.length)] = (byte)random.nextInt(256);
            }
            final int length = random.nextInt(8) == 0 ? random.nextInt(p.length + 1) : p.length;
            decoder.onPacket(new UnsafeBuffer(p), 0, length, 0, i + 1, -1);
        }
        assertEquals(0, sink.dispatchAll(new io.tickbus.client.MarketDataListener()
        {
        }));
        assertTrue(summary.malformed() > 0);
        assertTrue(sink.count() > 0);
    }

    private void summaryReset()
    {
        summary = new ParseSummary();
    }
}
