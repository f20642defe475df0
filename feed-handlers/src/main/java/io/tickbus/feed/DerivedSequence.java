package io.tickbus.feed;

/**
 * Source sequence numbers for normalized messages when one venue sequence number yields several Tickbus
 * messages (an IEX message preceded by the instrument definition it needs, an MDP3 packet of many entries):
 * {@code sourceSeq = venueSeq << SHIFT | n}, n = 0, 1, 2, ... in publication order. The result is strictly
 * increasing per feed, which the sequencer's (feed id, source sequence) de-duplication needs, and the venue's own
 * number is {@code sourceSeq >>> SHIFT} (see docs/feed-handlers-iex-cme.md).
 * <p>
 * Threading: one thread. Allocation: none.
 */
public final class DerivedSequence
{
    /** Bits kept for the index of a message within one venue sequence number. */
    public static final int SHIFT = 16;
    /** Largest index within one venue sequence number. */
    public static final int MAX_INDEX = (1 << SHIFT) - 1;
    /** Largest venue sequence number that fits: {@code MAX_VENUE_SEQ << SHIFT | MAX_INDEX} is Long.MAX_VALUE. */
    public static final long MAX_VENUE_SEQ = Long.MAX_VALUE >>> SHIFT;

    private long venueSeq = -1;
    private long base;
    private int index;
    private long overflows;

    /**
     * Start the messages derived from one venue sequence number; calling it again with the same number continues
     * its numbering.
     *
     * @param venueSeq the venue's sequence number (IEX-TP message sequence, MDP3 packet sequence),
     * 0..{@link #MAX_VENUE_SEQ}.
     * @throws IllegalArgumentException when the number does not fit (it is never wrapped); decoders refuse such a
     * packet first ({@link VenueSequenceTracker#fitsDerivedSpace(long, int)}), so this is a programming error.
     */
    public void begin(final long venueSeq)
    {
        if (venueSeq < 0 || venueSeq > MAX_VENUE_SEQ)
        {
            throw new IllegalArgumentException("venue sequence " + venueSeq + " does not fit the source sequence " +
                "space 0.." + MAX_VENUE_SEQ + " (venueSeq << " + SHIFT + " would overflow)");
        }
        if (venueSeq != this.venueSeq)
        {
            this.venueSeq = venueSeq;
            base = venueSeq << SHIFT;
            index = 0;
        }
    }

    /**
     * @return the source sequence for the next message derived from the current venue sequence number.
     */
    public long next()
    {
        if (index > MAX_INDEX)
        {
            overflows++;
            return base | MAX_INDEX;
        }
        return base | index++;
    }

    /**
     * @return messages that could not get a distinct number (more than {@link #MAX_INDEX} + 1 per venue number).
     */
    public long overflows()
    {
        return overflows;
    }

    /**
     * @param sourceSeq a number produced by {@link #next()}.
     * @return the venue sequence number it was derived from.
     */
    public static long venueSeq(final long sourceSeq)
    {
        return sourceSeq >>> SHIFT;
    }
}
