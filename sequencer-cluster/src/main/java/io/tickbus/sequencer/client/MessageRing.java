package io.tickbus.sequencer.client;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A first-in first-out window of whole messages kept in one preallocated buffer, each tagged with an increasing
 * key. The sequencer service keeps its recently sequenced messages in one (key = global sequence) and publishes
 * from it with a cursor that a refused offer keeps; the {@link SequencerClient} keeps its unacknowledged messages
 * in one (key = source sequence) so that it can resend them after a leader change.
 * <p>
 * Entries are addressed by an absolute index that grows by one per append and is never reused:
 * {@link #firstIndex()} (oldest retained) up to {@link #nextIndex()} (exclusive).
 * <p>
 * Threading: one thread. Allocation: only in the constructor.
 */
public final class MessageRing
{
    private final UnsafeBuffer buffer;
    private final int capacityBytes;
    private final int maxMessages;
    private final long[] keys;
    private final int[] offsets;
    private final int[] lengths;
    private long firstIndex;
    private long nextIndex;
    private int writeOffset;

    /**
     * @param capacityBytes bytes of message data held at most.
     * @param maxMessages messages held at most.
     */
    public MessageRing(final int capacityBytes, final int maxMessages)
    {
        if (capacityBytes < 64 || maxMessages < 1)
        {
            throw new IllegalArgumentException(
                "ring needs at least 64 bytes and 1 message: bytes=" + capacityBytes + " messages=" + maxMessages);
        }
        this.capacityBytes = BitUtil.align(capacityBytes, 8);
        this.maxMessages = maxMessages;
        this.buffer = new UnsafeBuffer(new byte[this.capacityBytes]);
        this.keys = new long[maxMessages];
        this.offsets = new int[maxMessages];
        this.lengths = new int[maxMessages];
    }

    /**
     * Append a copy of a message if it fits without evicting anything.
     *
     * @param src holding the message.
     * @param srcOffset of the message.
     * @param length of the message.
     * @param key greater than the key of every retained entry.
     * @return the absolute index of the new entry, or -1 when the window is full.
     */
    public long tryAppend(final DirectBuffer src, final int srcOffset, final int length, final long key)
    {
        final int at = placement(length);
        if (at < 0)
        {
            return -1;
        }
        return store(src, srcOffset, length, key, at);
    }

    /**
     * Append a copy of a message, evicting the oldest entries until it fits.
     *
     * @param src holding the message.
     * @param srcOffset of the message.
     * @param length of the message, at most {@link #capacityBytes()}.
     * @param key greater than the key of every retained entry.
     * @return the absolute index of the new entry.
     * @throws IllegalArgumentException when the message is longer than the whole ring.
     */
    public long appendEvicting(final DirectBuffer src, final int srcOffset, final int length, final long key)
    {
        if (length > capacityBytes)
        {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds ring of " + capacityBytes);
        }
        int at;
        while ((at = placement(length)) < 0)
        {
            removeFirst();
        }
        return store(src, srcOffset, length, key, at);
    }

    /**
     * Drop entries from the front while their key is at most this one.
     *
     * @param key inclusive upper bound.
     * @return entries removed.
     */
    public int removeUpTo(final long key)
    {
        int removed = 0;
        while (firstIndex < nextIndex && keys[slot(firstIndex)] <= key)
        {
            removeFirst();
            removed++;
        }
        return removed;
    }

    /** Drop the oldest entry, if any. */
    public void removeFirst()
    {
        if (firstIndex < nextIndex)
        {
            firstIndex++;
            if (firstIndex == nextIndex)
            {
                writeOffset = 0;
            }
        }
    }

    /** Drop everything; indices keep growing from where they were. */
    public void clear()
    {
        firstIndex = nextIndex;
        writeOffset = 0;
    }

    /** @return absolute index of the oldest retained entry (equal to {@link #nextIndex()} when empty). */
    public long firstIndex()
    {
        return firstIndex;
    }

    /** @return absolute index the next append gets. */
    public long nextIndex()
    {
        return nextIndex;
    }

    /** @return entries retained. */
    public int size()
    {
        return (int)(nextIndex - firstIndex);
    }

    /** @return true when nothing is retained. */
    public boolean isEmpty()
    {
        return firstIndex == nextIndex;
    }

    /** @return the buffer holding the entries; read an entry at {@link #offset(long)}. */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @param index absolute index between {@link #firstIndex()} and {@link #nextIndex()}.
     * @return offset of the entry in {@link #buffer()}.
     */
    public int offset(final long index)
    {
        return offsets[slot(index)];
    }

    /**
     * @param index absolute index of a retained entry.
     * @return length of the entry.
     */
    public int length(final long index)
    {
        return lengths[slot(index)];
    }

    /**
     * @param index absolute index of a retained entry.
     * @return key of the entry.
     */
    public long key(final long index)
    {
        return keys[slot(index)];
    }

    /** @return bytes of message data the ring holds at most. */
    public int capacityBytes()
    {
        return capacityBytes;
    }

    /** @return messages the ring holds at most. */
    public int maxMessages()
    {
        return maxMessages;
    }

    private int slot(final long index)
    {
        return (int)(index % maxMessages);
    }

    private long store(final DirectBuffer src, final int srcOffset, final int length, final long key, final int at)
    {
        buffer.putBytes(at, src, srcOffset, length);
        final long index = nextIndex++;
        final int slot = slot(index);
        keys[slot] = key;
        offsets[slot] = at;
        lengths[slot] = length;
        writeOffset = BitUtil.align(at + length, 8);
        return index;
    }

    /**
     * Where a message of this length goes, or -1 when it does not fit now. Live bytes run from the oldest entry's
     * offset to {@link #writeOffset}, possibly wrapped past the end of the buffer.
     */
    private int placement(final int length)
    {
        if (length <= 0 || length > capacityBytes)
        {
            return -1;
        }
        if (firstIndex == nextIndex)
        {
            return 0;
        }
        if (nextIndex - firstIndex >= maxMessages)
        {
            return -1;
        }
        final int head = offsets[slot(firstIndex)];
        if (writeOffset > head)
        {
            if (writeOffset + length <= capacityBytes)
            {
                return writeOffset;
            }
            return length <= head ? 0 : -1;
        }
        return writeOffset + length <= head ? writeOffset : -1;
    }
}
