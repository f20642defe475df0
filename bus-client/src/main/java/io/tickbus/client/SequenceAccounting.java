package io.tickbus.client;

import io.tickbus.sbe.GapNoticeDecoder;
import io.tickbus.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;

/**
 * Counts gaps and duplicates in a stream of Tickbus messages, from the sequence numbers in their common block.
 * <p>
 * A sequenced message (global sequence &gt; 0) is checked against the last global sequence seen: global sequences
 * are contiguous, so a jump forward is a gap (one gap however many numbers it skips; {@link #missing()} counts the
 * numbers) and a sequence at or below the last one is a duplicate.
 * <p>
 * A message not yet sequenced is checked against the last source sequence seen for its feed id. Source sequences
 * are derived from the venue's own sequence numbers ({@code venueSeq << 16 | n}, see docs/wire-format.md) so that
 * a resend of the same venue message is recognisably the same message; they are strictly increasing per feed but
 * not contiguous. On such a stream a sequence at or below the last one is a duplicate, and gaps are the ones the
 * feed handler announces: each {@code GapNotice} counts as a gap and its range as missing venue sequence numbers.
 * Messages without a sequence of either kind (both zero) are counted in {@link #unsequenced()} only.
 * <p>
 * Threading: one thread. Allocation: none per message once every feed id has been seen (one map entry per feed).
 */
public final class SequenceAccounting
{
    private static final long NONE = -1;

    private final Long2LongHashMap lastSourceSeqByFeed = new Long2LongHashMap(NONE);
    private long messages;
    private long firstGlobalSeq;
    private long lastGlobalSeq;
    private long gaps;
    private long missing;
    private long duplicates;
    private long unsequenced;

    /**
     * Account for one message.
     *
     * @param buffer holding the message.
     * @param offset of its SBE message header.
     */
    public void onMessage(final DirectBuffer buffer, final int offset)
    {
        final long globalSeq = CommonBlock.globalSeq(buffer, offset);
        if (globalSeq > 0)
        {
            onGlobalSeq(globalSeq);
        }
        else
        {
            if (CommonBlock.templateId(buffer, offset) == GapNoticeDecoder.TEMPLATE_ID)
            {
                final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
                onGapNotice(
                    buffer.getLong(body + GapNoticeDecoder.fromSeqEncodingOffset(), GapNoticeDecoder.BYTE_ORDER),
                    buffer.getLong(body + GapNoticeDecoder.toSeqEncodingOffset(), GapNoticeDecoder.BYTE_ORDER));
            }
            onSourceSeq(CommonBlock.feedId(buffer, offset), CommonBlock.sourceSeq(buffer, offset));
        }
    }

    /**
     * Account for a sequenced message.
     *
     * @param globalSeq its global sequence, &gt; 0.
     */
    public void onGlobalSeq(final long globalSeq)
    {
        messages++;
        if (0 == firstGlobalSeq)
        {
            firstGlobalSeq = globalSeq;
            lastGlobalSeq = globalSeq;
            return;
        }
        lastGlobalSeq = check(lastGlobalSeq, globalSeq);
    }

    /**
     * Account for a message not sequenced, by its feed's source sequence.
     *
     * @param feedId its feed id.
     * @param sourceSeq its source sequence; 0 or less when it has none.
     */
    public void onSourceSeq(final int feedId, final long sourceSeq)
    {
        messages++;
        if (sourceSeq <= 0)
        {
            unsequenced++;
            return;
        }
        final long last = lastSourceSeqByFeed.get(feedId);
        if (NONE == last)
        {
            lastSourceSeqByFeed.put(feedId, sourceSeq);
            return;
        }
        if (sourceSeq <= last)
        {
            duplicates++;
        }
        else
        {
            lastSourceSeqByFeed.put(feedId, sourceSeq);
        }
    }

    /**
     * Account for a gap a feed handler announced on an unsequenced stream.
     *
     * @param fromSeq first missing venue sequence.
     * @param toSeq last missing venue sequence, inclusive.
     */
    public void onGapNotice(final long fromSeq, final long toSeq)
    {
        gaps++;
        if (toSeq >= fromSeq)
        {
            missing += toSeq - fromSeq + 1;
        }
    }

    private long check(final long last, final long seq)
    {
        if (seq <= last)
        {
            duplicates++;
            return last;
        }
        if (seq > last + 1)
        {
            gaps++;
            missing += seq - last - 1;
        }
        return seq;
    }

    /** Forget everything seen. */
    public void reset()
    {
        lastSourceSeqByFeed.clear();
        messages = 0;
        firstGlobalSeq = 0;
        lastGlobalSeq = 0;
        gaps = 0;
        missing = 0;
        duplicates = 0;
        unsequenced = 0;
    }

    /** @return messages accounted for. */
    public long messages()
    {
        return messages;
    }

    /** @return the first global sequence seen, 0 when no message was sequenced. */
    public long firstGlobalSeq()
    {
        return firstGlobalSeq;
    }

    /** @return the highest global sequence seen, 0 when no message was sequenced. */
    public long lastGlobalSeq()
    {
        return lastGlobalSeq;
    }

    /** @return jumps forward over missing sequence numbers. */
    public long gaps()
    {
        return gaps;
    }

    /** @return sequence numbers skipped by the gaps. */
    public long missing()
    {
        return missing;
    }

    /** @return messages at or below the last sequence seen. */
    public long duplicates()
    {
        return duplicates;
    }

    /** @return messages with neither a global nor a source sequence. */
    public long unsequenced()
    {
        return unsequenced;
    }

    /** @return the last source sequence seen for the feed, or -1 when none. */
    public long lastSourceSeq(final int feedId)
    {
        return lastSourceSeqByFeed.get(feedId);
    }
}
