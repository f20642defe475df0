package io.tickbus.tools;

import io.tickbus.client.CommonBlock;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;

/**
 * Counts gaps and duplicates in a stream of Tickbus messages, from the sequence numbers in their common block.
 * <p>
 * A sequenced message (global sequence &gt; 0) is checked against the last global sequence seen; a message not
 * yet sequenced is checked against the last source sequence seen for its feed id. A sequence above the next
 * expected one is a gap (one gap however many numbers it skips; {@link #missing()} counts the numbers); a
 * sequence at or below the last one seen is a duplicate and does not move the last one back. Messages without a
 * sequence of either kind (both zero) are counted in {@link #unsequenced()} only.
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
        final long next = check(last, sourceSeq);
        if (next != last)
        {
            lastSourceSeqByFeed.put(feedId, next);
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
