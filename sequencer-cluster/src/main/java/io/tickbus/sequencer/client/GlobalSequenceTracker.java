package io.tickbus.sequencer.client;

import io.tickbus.client.CommonBlock;
import org.agrona.DirectBuffer;

/**
 * A subscriber's view of the sequenced stream: accepts each global sequence once, in order, and counts what it
 * had to drop (duplicates, e.g. the tail a new leader republishes) and what it never saw (gaps).
 * <p>
 * Use it in front of the application: {@code if (tracker.onMessage(buffer, offset)) handle(...)}.
 * <p>
 * Threading: one thread. Allocation: none.
 */
public final class GlobalSequenceTracker
{
    private long first;
    private long last;
    private long accepted;
    private long duplicates;
    private long gaps;
    private long missing;
    private long unsequenced;

    /**
     * @param buffer holding a message of the sequenced stream.
     * @param offset of its message header.
     * @return true when the message is new and should be handled; false for a duplicate or an unsequenced message.
     */
    public boolean onMessage(final DirectBuffer buffer, final int offset)
    {
        return onGlobalSeq(CommonBlock.globalSeq(buffer, offset));
    }

    /**
     * @param globalSeq the message's global sequence.
     * @return true when it is new.
     */
    public boolean onGlobalSeq(final long globalSeq)
    {
        if (globalSeq <= 0)
        {
            unsequenced++;
            return false;
        }
        if (globalSeq <= last)
        {
            duplicates++;
            return false;
        }
        if (0 == first)
        {
            first = globalSeq;
        }
        else if (globalSeq != last + 1)
        {
            gaps++;
            missing += globalSeq - last - 1;
        }
        last = globalSeq;
        accepted++;
        return true;
    }

    /** @return first global sequence accepted, 0 before any. */
    public long first()
    {
        return first;
    }

    /** @return last global sequence accepted, 0 before any. */
    public long last()
    {
        return last;
    }

    /** @return messages accepted. */
    public long accepted()
    {
        return accepted;
    }

    /** @return messages dropped because their global sequence was already seen. */
    public long duplicates()
    {
        return duplicates;
    }

    /** @return jumps in the global sequence. */
    public long gaps()
    {
        return gaps;
    }

    /** @return global sequences never seen inside the accepted range. */
    public long missing()
    {
        return missing;
    }

    /** @return messages without a global sequence. */
    public long unsequenced()
    {
        return unsequenced;
    }

    /** @return the counts, for logs. */
    public String toString()
    {
        return "GlobalSequenceTracker{first=" + first + ", last=" + last + ", accepted=" + accepted +
            ", duplicates=" + duplicates + ", gaps=" + gaps + ", missing=" + missing + "}";
    }
}
