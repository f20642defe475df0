package io.tickbus.feed;

/**
 * Source sequence numbers for normalized messages, taken from the venue message alone, so that every handler of a
 * feed (hot-hot pairs, a handler started mid-stream, a restarted one reading an overlap) gives the same venue message
 * the same number, and the sequencer's (feed id, source sequence) de-duplication takes it once.
 * <pre>
 *   sourceSeq = venueSeq &lt;&lt; 16 | position &lt;&lt; 3 | role
 * </pre>
 * <ul>
 *   <li>{@code venueSeq}: the venue's number (ITCH message sequence, IEX-TP message sequence, MDP3 packet
 *   sequence); {@code sourceSeq >>> 16} gives it back.</li>
 *   <li>{@code position} (13 bits): where in the venue unit the message comes from: 0 for ITCH and IEX (one venue
 *   number, one venue message), the byte offset in the packet of the message or entry for MDP3
 *   ({@link #element(int)}).</li>
 *   <li>{@code role} (3 bits): 0 a gap or reset notice, 1 a definition the handler inserts before first use, 2
 *   another message the handler makes up, 3..7 the first to fifth message the venue element maps to
 *   ({@link #next()}).</li>
 * </ul>
 * Handler-made messages (roles 0-2) never take a venue message's number, and each comes before the venue messages
 * of its element, so the numbers a handler publishes strictly increase. A heartbeat announcing the next expected
 * venue number V is numbered after everything of V - 1 ({@link #heartbeat(long)}); repeats of it share the number.
 * <p>
 * Threading: one thread. Allocation: none.
 */
public final class DerivedSequence
{
    /** Bits below the venue number. */
    public static final int SHIFT = 16;
    /** Bits of the role within one position. */
    public static final int ROLE_BITS = 3;
    /** Largest position (byte offset in a venue packet) that fits. */
    public static final int MAX_POSITION = (1 << (SHIFT - ROLE_BITS)) - 1;
    /** Largest venue sequence number that fits: {@code MAX_VENUE_SEQ << SHIFT | 0xFFFF} is Long.MAX_VALUE. */
    public static final long MAX_VENUE_SEQ = Long.MAX_VALUE >>> SHIFT;
    /** Role of a gap or reset notice. */
    public static final int ROLE_GAP_NOTICE = 0;
    /** Role of a definition the handler publishes before an instrument's first use. */
    public static final int ROLE_DEFINITION = 1;
    /** Role of another handler-made message (a heartbeat). */
    public static final int ROLE_SYNTHETIC = 2;
    /** Role of the first message a venue element maps to. */
    public static final int ROLE_FIRST_OUTPUT = 3;
    /** Role of the last distinct message a venue element may map to. */
    public static final int ROLE_LAST_OUTPUT = (1 << ROLE_BITS) - 1;

    private long venueSeq = -1;
    private long base;
    private int position;
    private int role = ROLE_FIRST_OUTPUT;
    private long overflows;

    /**
     * Start the messages of one venue number, at position 0; calling it again with the same number continues where
     * its numbering stands.
     *
     * @param venueSeq the venue's sequence number, 0..{@link #MAX_VENUE_SEQ}.
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
            position = 0;
            role = ROLE_FIRST_OUTPUT;
        }
    }

    /**
     * Move to the venue element at a position of the current venue unit; positions must not decrease within one
     * venue number.
     *
     * @param position the element's byte offset in its venue packet, 0..{@link #MAX_POSITION}.
     * @throws IllegalArgumentException when it does not fit; decoders refuse longer packets first.
     */
    public void element(final int position)
    {
        if (position < 0 || position > MAX_POSITION)
        {
            throw new IllegalArgumentException("position " + position + " is beyond 0.." + MAX_POSITION);
        }
        if (position != this.position)
        {
            this.position = position;
            role = ROLE_FIRST_OUTPUT;
        }
    }

    /**
     * @return the number of the next message the current venue element maps to (saturating at the fifth, counted
     * in {@link #overflows()}).
     */
    public long next()
    {
        if (role > ROLE_LAST_OUTPUT)
        {
            overflows++;
            return slot(ROLE_LAST_OUTPUT);
        }
        return slot(role++);
    }

    /**
     * @return the number of a gap or reset notice announced before the current venue element.
     */
    public long gapNotice()
    {
        return slot(ROLE_GAP_NOTICE);
    }

    /**
     * @return the number of a definition inserted before the current venue element's first use of an instrument.
     */
    public long definition()
    {
        return slot(ROLE_DEFINITION);
    }

    /**
     * @return the number of another handler-made message before the current venue element.
     */
    public long synthetic()
    {
        return slot(ROLE_SYNTHETIC);
    }

    /**
     * @return messages that could not get a distinct number (more than five from one venue element).
     */
    public long overflows()
    {
        return overflows;
    }

    /**
     * The number of a heartbeat that announces the venue number expected next: after everything of the number
     * before it, before anything of the expected one.
     *
     * @param nextVenueSeq the venue number expected next, 1..{@link #MAX_VENUE_SEQ}.
     * @return its source sequence.
     */
    public static long heartbeat(final long nextVenueSeq)
    {
        if (nextVenueSeq < 1 || nextVenueSeq > MAX_VENUE_SEQ)
        {
            throw new IllegalArgumentException("venue sequence " + nextVenueSeq + " is beyond 1.." + MAX_VENUE_SEQ);
        }
        return (nextVenueSeq - 1) << SHIFT | (long)MAX_POSITION << ROLE_BITS | ROLE_SYNTHETIC;
    }

    /**
     * @param sourceSeq a number produced here.
     * @return the venue sequence number it was derived from.
     */
    public static long venueSeq(final long sourceSeq)
    {
        return sourceSeq >>> SHIFT;
    }

    /**
     * @param sourceSeq a number produced here.
     * @return true when it numbers a message a venue element maps to, false for a handler-made one.
     */
    public static boolean isVenueOutput(final long sourceSeq)
    {
        return (sourceSeq & ROLE_LAST_OUTPUT) >= ROLE_FIRST_OUTPUT;
    }

    private long slot(final int role)
    {
        return base | (long)position << ROLE_BITS | role;
    }
}
