package io.tickbus.sequencer;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.tickbus.sbe.HeartbeatEncoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test helpers: encode feed messages, and collect the sequenced stream reading the bytes by hand (offsets of the
 * common block taken from the schema: header 8 bytes, then globalSeq, sequencerTime, sourceSeq ... feedId at 52).
 */
final class SequencerTestSupport
{
    static final int HEADER = 8;

    private SequencerTestSupport()
    {
    }

    static int encode(final MutableDirectBuffer buffer, final int feedId, final long sourceSeq)
    {
        final HeartbeatEncoder encoder = new HeartbeatEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        encoder.common().globalSeq(0).sequencerTime(0).sourceSeq(sourceSeq).exchangeTime(sourceSeq * 1000)
            .receiveTime(0).publishTime(0).instrumentId(7).feedId(feedId);
        encoder.epoch(0);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /** Everything received on the sequenced stream, in arrival order, duplicates included. */
    static final class Collector implements AutoCloseable
    {
        final Subscription subscription;
        final LongArrayList globalSeqs = new LongArrayList();
        final LongArrayList feedIds = new LongArrayList();
        final LongArrayList sourceSeqs = new LongArrayList();
        final LongArrayList sequencerTimes = new LongArrayList();
        final LongArrayList templateIds = new LongArrayList();
        /** For each GapNotice received (repeats included): its fromSeq and toSeq. */
        final LongArrayList gapFrom = new LongArrayList();
        final LongArrayList gapTo = new LongArrayList();
        private final io.tickbus.sbe.GapNoticeDecoder gapNotice = new io.tickbus.sbe.GapNoticeDecoder();
        private final io.tickbus.sbe.MessageHeaderDecoder messageHeader = new io.tickbus.sbe.MessageHeaderDecoder();
        private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);

        Collector(final Aeron aeron, final String channel, final int streamId)
        {
            subscription = aeron.addSubscription(channel, streamId);
        }

        private void onFragment(final DirectBuffer buffer, final int offset, final int length,
            final io.aeron.logbuffer.Header header)
        {
            globalSeqs.addLong(buffer.getLong(offset + HEADER, ByteOrder.LITTLE_ENDIAN));
            sequencerTimes.addLong(buffer.getLong(offset + HEADER + 8, ByteOrder.LITTLE_ENDIAN));
            sourceSeqs.addLong(buffer.getLong(offset + HEADER + 16, ByteOrder.LITTLE_ENDIAN));
            feedIds.addLong(buffer.getShort(offset + HEADER + 52, ByteOrder.LITTLE_ENDIAN) & 0xFFFF);
            final int templateId = buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            templateIds.addLong(templateId);
            if (io.tickbus.sbe.GapNoticeDecoder.TEMPLATE_ID == templateId)
            {
                gapNotice.wrapAndApplyHeader(buffer, offset, messageHeader);
                gapFrom.addLong(gapNotice.fromSeq());
                gapTo.addLong(gapNotice.toSeq());
            }
        }

        int poll()
        {
            return subscription.poll(assembler, 256);
        }

        /** Distinct global sequences seen. */
        long distinct()
        {
            return globalSeqs.longStream().distinct().count();
        }

        /**
         * Check exactly once: after dropping repeats of a global sequence, the sequences are 1..total in order,
         * each feed's source sequences are 1..perFeed[feed] in order, and repeats carry identical content.
         */
        void verify(final long total, final long... perFeed)
        {
            final long[] feedOf = new long[(int)total + 1];
            final long[] sourceOf = new long[(int)total + 1];
            final long[] nextSource = new long[perFeed.length + 1];
            long expected = 1;
            for (int i = 0; i < globalSeqs.size(); i++)
            {
                final long g = globalSeqs.getLong(i);
                assertTrue(g >= 1 && g <= total, "global seq out of range: " + g);
                if (g < expected)
                {
                    assertEquals(feedOf[(int)g], feedIds.getLong(i), "repeat of " + g + " has another feed");
                    assertEquals(sourceOf[(int)g], sourceSeqs.getLong(i), "repeat of " + g + " has another seq");
                    continue;
                }
                assertEquals(expected, g, "gap before global seq " + g);
                final int feed = (int)feedIds.getLong(i);
                feedOf[(int)g] = feed;
                sourceOf[(int)g] = sourceSeqs.getLong(i);
                assertEquals(++nextSource[feed], sourceSeqs.getLong(i), "feed " + feed + " out of order at " + g);
                assertTrue(sequencerTimes.getLong(i) > 0, "sequencer time stamped");
                expected++;
            }
            assertEquals(total + 1, expected, "all global seqs seen");
            for (int f = 1; f < perFeed.length + 1; f++)
            {
                assertEquals(perFeed[f - 1], nextSource[f], "messages of feed " + f);
            }
        }

        public void close()
        {
            CloseHelper.close(subscription);
        }
    }
}
