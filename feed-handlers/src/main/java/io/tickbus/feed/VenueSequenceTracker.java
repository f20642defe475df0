package io.tickbus.feed;

/**
 * The venue's own sequence numbers, one expectation per venue session, shared by every venue decoder (MoldUDP64
 * message sequence, IEX-TP first message sequence, MDP3 packet sequence) and by the A/B line arbiter.
 * {@link #onPacket(long, int)} classifies a packet that carries {@code count} sequence numbers from
 * {@code firstSeq}:
 * <ul>
 *     <li>{@link #IN_ORDER}: new numbers; {@link #duplicates()} leading ones were seen already (a partial
 *     overlap) and are to be skipped;</li>
 *     <li>{@link #DUPLICATE}: every number seen already (the other line's copy, a retransmission);</li>
 *     <li>{@link #GAP}: new numbers after {@link #gapCount()} missing ones from {@link #gapFrom()};</li>
 *     <li>{@link #OUT_OF_BOUNDS}: not trusted and not applied, see below.</li>
 * </ul>
 * Bounded trust: a forward jump of more than {@link #maxJump()} numbers is taken for corrupt input and leaves the
 * expectation where it was, so one bad packet cannot make every later real one look like a duplicate. A venue that
 * really jumps that far is believed once {@link #RESYNC_PACKETS} packets in a row continue each other past the
 * bound (a repeated copy of the last of them, as from the other line, neither extends nor breaks the run): the
 * last of them is then a {@link #GAP} from the old expectation. A number that does not fit the derived
 * source sequence space ({@link DerivedSequence#MAX_VENUE_SEQ}) or is negative is always out of bounds.
 * <p>
 * Nothing is seen yet, in every venue alike, when {@link #expected()} is {@link #NONE}: the first packet sets the
 * expectation. {@link #reset()} returns there (a new session, a sequence reset).
 * <p>
 * Threading: one thread. Allocation: none.
 */
public final class VenueSequenceTracker
{
    /** {@link #expected()} before the first packet. */
    public static final long NONE = -1;
    /** New sequence numbers, in order (possibly after a partial overlap, see {@link #duplicates()}). */
    public static final int IN_ORDER = 0;
    /** Every sequence number of the packet was seen already. */
    public static final int DUPLICATE = 1;
    /** New sequence numbers after missing ones ({@link #gapFrom()}, {@link #gapCount()}). */
    public static final int GAP = 2;
    /** A jump beyond the bound, or a number outside the derived space: not applied. */
    public static final int OUT_OF_BOUNDS = 3;
    /** Out-of-bounds packets in a row, each continuing the previous one, after which the venue is believed. */
    public static final int RESYNC_PACKETS = 4;

    private final long maxJump;
    private long expected = NONE;
    private long gapFrom;
    private long gapCount;
    private long duplicates;
    private long candidateNext = NONE;
    private int candidateRun;
    private long outOfBounds;

    /**
     * @param maxJump largest forward jump (missing sequence numbers) believed from a single packet, &ge; 1.
     */
    public VenueSequenceTracker(final long maxJump)
    {
        if (maxJump < 1)
        {
            throw new IllegalArgumentException("max sequence jump must be >= 1: " + maxJump);
        }
        this.maxJump = maxJump;
    }

    /**
     * Classify one packet and, unless it is out of bounds, move the expectation past it.
     *
     * @param firstSeq the venue sequence number of the packet's first message (or of the packet itself).
     * @param count sequence numbers the packet takes (0 for a heartbeat, which only tells the next number).
     * @return {@link #IN_ORDER}, {@link #DUPLICATE}, {@link #GAP} or {@link #OUT_OF_BOUNDS}.
     */
    public int onPacket(final long firstSeq, final int count)
    {
        duplicates = 0;
        gapCount = 0;
        if (!fitsDerivedSpace(firstSeq, count))
        {
            outOfBounds++;
            return OUT_OF_BOUNDS;
        }
        final long end = firstSeq + count;
        if (NONE == expected || firstSeq == expected)
        {
            return inOrder(end);
        }
        if (firstSeq < expected)
        {
            if (end <= expected)
            {
                duplicates = count;
                candidateRun = 0;
                return DUPLICATE;
            }
            duplicates = expected - firstSeq;
            return inOrder(end);
        }
        final long jump = firstSeq - expected;
        if (jump > maxJump)
        {
            if (end == candidateNext && candidateRun > 0)
            {
                outOfBounds++; // another copy (the other line's) of the last one: neither extends nor breaks the run
                return OUT_OF_BOUNDS;
            }
            candidateRun = firstSeq == candidateNext ? candidateRun + 1 : 1;
            candidateNext = end;
            if (candidateRun < RESYNC_PACKETS)
            {
                outOfBounds++;
                return OUT_OF_BOUNDS;
            }
        }
        gapFrom = expected;
        gapCount = jump;
        expected = end;
        candidateRun = 0;
        return GAP;
    }

    /**
     * Take an expectation from outside before the first packet: a restarted handler resumes after what the
     * sequencer last took for its feed, so the outage it missed is a gap (recovered or announced), not silence.
     * Ignored once packets were seen.
     *
     * @param nextSeq the venue sequence number expected next, &ge; 0.
     * @return true when it was taken.
     */
    public boolean resume(final long nextSeq)
    {
        if (NONE != expected || nextSeq < 0 || !fitsDerivedSpace(nextSeq, 0))
        {
            return false;
        }
        expected = nextSeq;
        return true;
    }

    /**
     * Forget the expectation (a new session or a sequence reset): the next packet starts it again.
     */
    public void reset()
    {
        expected = NONE;
        candidateRun = 0;
        candidateNext = NONE;
    }

    /**
     * @param firstSeq first sequence number of a packet.
     * @param count sequence numbers it takes.
     * @return true when every number of the packet is &ge; 0 and fits {@link DerivedSequence#MAX_VENUE_SEQ}.
     */
    public static boolean fitsDerivedSpace(final long firstSeq, final int count)
    {
        return firstSeq >= 0 && count >= 0 && firstSeq <= DerivedSequence.MAX_VENUE_SEQ - count;
    }

    /**
     * A one-line reason for an {@link #OUT_OF_BOUNDS} packet (allocates: the bad-input path only).
     *
     * @param venue framing name for the message, e.g. "MoldUDP64".
     * @param firstSeq the packet's first sequence number.
     * @param count its sequence numbers.
     * @return e.g. "MoldUDP64 sequence 4611686018427387904 jumps 4611686018427387893 past the expected 11 (bound
     * 1000000): packet ignored as corrupt".
     */
    public String describeOutOfBounds(final String venue, final long firstSeq, final int count)
    {
        if (!fitsDerivedSpace(firstSeq, count))
        {
            return venue + " sequence " + firstSeq + " (+" + count + ") does not fit the source sequence space " +
                "(0.." + DerivedSequence.MAX_VENUE_SEQ + "): packet refused";
        }
        return venue + " sequence " + firstSeq + " jumps " + (firstSeq - expected) + " past the expected " +
            expected + " (bound " + maxJump + "): packet ignored as corrupt";
    }

    private int inOrder(final long end)
    {
        expected = Math.max(expected, end);
        candidateRun = 0;
        return IN_ORDER;
    }

    /** @return the next sequence number expected, {@link #NONE} before the first packet. */
    public long expected()
    {
        return expected;
    }

    /** @return first missing sequence number after a {@link #GAP}. */
    public long gapFrom()
    {
        return gapFrom;
    }

    /** @return missing sequence numbers after a {@link #GAP}, 0 otherwise. */
    public long gapCount()
    {
        return gapCount;
    }

    /** @return leading sequence numbers of the last packet that were seen already (all of them for a duplicate). */
    public long duplicates()
    {
        return duplicates;
    }

    /** @return packets classified {@link #OUT_OF_BOUNDS} so far. */
    public long outOfBoundsCount()
    {
        return outOfBounds;
    }

    /** @return the bound on a forward jump. */
    public long maxJump()
    {
        return maxJump;
    }
}
