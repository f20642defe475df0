package io.tickbus.client;

/**
 * Which global sequences of a sequenced stream were delivered, over a sliding window of the last {@link #size()}
 * sequences below and including the highest one: a bitmap, so a message that arrives late on another image
 * (another sequencer member's publication, a replay) after its gap was reported is told apart from a repeat.
 * <p>
 * {@link #onSequence(long)} classifies a global sequence &gt; 0 and marks it delivered when it is to be delivered:
 * <ul>
 *     <li>{@link #NEXT}: the highest so far plus one (or the first sequence seen);</li>
 *     <li>{@link #AFTER_GAP}: above the highest plus one; {@link #gapFrom()} .. {@link #gapTo()} were skipped;</li>
 *     <li>{@link #LATE}: inside the window, below the highest and not yet delivered: late but real;</li>
 *     <li>{@link #REPEAT}: inside the window and already delivered;</li>
 *     <li>{@link #TOO_OLD}: at or below {@code highest - size()}: the window no longer knows whether it was
 *     delivered, and it is dropped (a too-old message cannot be told from a repeat).</li>
 * </ul>
 * <p>
 * Threading: one thread. Allocation: the bitmap once, in the constructor; none per sequence.
 */
public final class GlobalSequenceWindow
{
    /** Default window: the last 64Ki global sequences (8 KiB of bitmap). */
    public static final int DEFAULT_SIZE = 1 << 16;

    /** The next sequence after the highest, or the first one seen: deliver. */
    public static final int NEXT = 0;
    /** A jump forward over missing sequences: report the gap, then deliver. */
    public static final int AFTER_GAP = 1;
    /** Below the highest, inside the window, not delivered yet: deliver (late). */
    public static final int LATE = 2;
    /** Already delivered: drop. */
    public static final int REPEAT = 3;
    /** Below the window: drop. */
    public static final int TOO_OLD = 4;

    private final long[] words;
    private final int size;
    private final long mask;
    private long highest;
    private long gapFrom;
    private long gapTo;

    /** A window of {@link #DEFAULT_SIZE} sequences. */
    public GlobalSequenceWindow()
    {
        this(DEFAULT_SIZE);
    }

    /**
     * @param size sequences the window holds: a power of two, at least 64.
     */
    public GlobalSequenceWindow(final int size)
    {
        if (size < 64 || Integer.bitCount(size) != 1)
        {
            throw new IllegalArgumentException("window size must be a power of two >= 64: " + size);
        }
        this.size = size;
        this.mask = size - 1;
        this.words = new long[size >>> 6];
    }

    /**
     * Classify a global sequence and mark it delivered when the answer says deliver.
     *
     * @param seq a global sequence &gt; 0.
     * @return {@link #NEXT}, {@link #AFTER_GAP}, {@link #LATE}, {@link #REPEAT} or {@link #TOO_OLD}.
     */
    public int onSequence(final long seq)
    {
        if (seq > highest)
        {
            final long previous = highest;
            clear(previous + 1, seq);
            set(seq);
            highest = seq;
            if (0 != previous && seq > previous + 1)
            {
                gapFrom = previous + 1;
                gapTo = seq - 1;
                return AFTER_GAP;
            }
            return NEXT;
        }
        if (seq <= highest - size)
        {
            return TOO_OLD;
        }
        final int word = (int)((seq & mask) >>> 6);
        final long bit = 1L << (seq & 63);
        if (0 != (words[word] & bit))
        {
            return REPEAT;
        }
        words[word] |= bit;
        return LATE;
    }

    /**
     * Classify a global sequence without marking it: for a caller that delivers only after a step that may fail
     * (an offer), then calls {@link #markDelivered(long)}.
     *
     * @param seq a global sequence &gt; 0.
     * @return as {@link #onSequence(long)}.
     */
    public int classify(final long seq)
    {
        if (seq > highest)
        {
            return 0 != highest && seq > highest + 1 ? AFTER_GAP : NEXT;
        }
        if (seq <= highest - size)
        {
            return TOO_OLD;
        }
        return 0 != (words[(int)((seq & mask) >>> 6)] & (1L << (seq & 63))) ? REPEAT : LATE;
    }

    /**
     * Mark a global sequence delivered (after {@link #classify(long)} said deliver).
     *
     * @param seq a global sequence &gt; 0.
     */
    public void markDelivered(final long seq)
    {
        onSequence(seq);
    }

    /** @return the highest global sequence seen, 0 before the first. */
    public long highest()
    {
        return highest;
    }

    /** @return the first sequence skipped by the last {@link #AFTER_GAP}. */
    public long gapFrom()
    {
        return gapFrom;
    }

    /** @return the last sequence skipped by the last {@link #AFTER_GAP}, inclusive. */
    public long gapTo()
    {
        return gapTo;
    }

    /** @return sequences the window holds. */
    public int size()
    {
        return size;
    }

    /** Forget everything: the next sequence is the first. */
    public void reset()
    {
        java.util.Arrays.fill(words, 0);
        highest = 0;
        gapFrom = 0;
        gapTo = 0;
    }

    private void set(final long seq)
    {
        words[(int)((seq & mask) >>> 6)] |= 1L << (seq & 63);
    }

    /** Clear the bits of sequences {@code from .. to} inclusive (they enter the window undelivered). */
    private void clear(final long from, final long to)
    {
        if (to - from + 1 >= size)
        {
            java.util.Arrays.fill(words, 0);
            return;
        }
        long seq = from;
        while (seq <= to)
        {
            final int word = (int)((seq & mask) >>> 6);
            final int firstBit = (int)(seq & 63);
            final long left = to - seq + 1;
            final int bits = (int)Math.min(64 - firstBit, left);
            final long span = bits == 64 ? -1L : ((1L << bits) - 1) << firstBit;
            words[word] &= ~span;
            seq += bits;
        }
    }
}
