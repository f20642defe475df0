package io.tickbus.client.book;

import io.tickbus.client.TickbusCounters;
import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Operator-visible counts of a set of order books, shared by every {@link OrderBook} of one {@link OrderBooks}:
 * references to unknown orders or levels, books becoming crossed or locked, and invalid updates (bad side,
 * quantity, unscalable price, duplicate order id). Each may be absent (null) for offline use; the books keep their
 * own exact counts in any case.
 * <p>
 * Threading: incremented by the books' thread, read by anyone (Aeron counters). Allocation: none per update.
 */
public final class BookCounters implements AutoCloseable
{
    /** Counter type id: updates naming an unknown order or price level. Range 7101_80 .. 7101_89. */
    public static final int UNKNOWN_REFERENCES_TYPE_ID = TickbusCounters.BOOK_AND_STRATEGY_BASE;
    /** Counter type id: times a book became crossed or locked. */
    public static final int CROSSED_OR_LOCKED_TYPE_ID = TickbusCounters.BOOK_AND_STRATEGY_BASE + 1;
    /** Counter type id: updates skipped as invalid. */
    public static final int INVALID_TYPE_ID = TickbusCounters.BOOK_AND_STRATEGY_BASE + 2;

    /** No counters: offline use. */
    public static final BookCounters NONE = new BookCounters(null, null, null);

    private final AtomicCounter unknownReferences;
    private final AtomicCounter crossedOrLocked;
    private final AtomicCounter invalid;

    /**
     * @param unknownReferences counter, or null.
     * @param crossedOrLocked counter, or null.
     * @param invalid counter, or null.
     */
    public BookCounters(
        final AtomicCounter unknownReferences, final AtomicCounter crossedOrLocked, final AtomicCounter invalid)
    {
        this.unknownReferences = unknownReferences;
        this.crossedOrLocked = crossedOrLocked;
        this.invalid = invalid;
    }

    /**
     * Allocate the three counters in an Aeron client (cold path).
     *
     * @param aeron client.
     * @param label suffix naming the owner, e.g. the strategy and stream.
     * @return the counters; close them with the owner.
     */
    public static BookCounters allocate(final Aeron aeron, final String label)
    {
        return new BookCounters(
            aeron.addCounter(UNKNOWN_REFERENCES_TYPE_ID, "tickbus-book unknown refs: " + label),
            aeron.addCounter(CROSSED_OR_LOCKED_TYPE_ID, "tickbus-book crossed/locked: " + label),
            aeron.addCounter(INVALID_TYPE_ID, "tickbus-book invalid: " + label));
    }

    void onUnknownReference()
    {
        if (null != unknownReferences)
        {
            unknownReferences.incrementRelease();
        }
    }

    void onCrossedOrLocked()
    {
        if (null != crossedOrLocked)
        {
            crossedOrLocked.incrementRelease();
        }
    }

    void onInvalid()
    {
        if (null != invalid)
        {
            invalid.incrementRelease();
        }
    }

    /** Close the counters. */
    public void close()
    {
        CloseHelper.closeAll(unknownReferences, crossedOrLocked, invalid);
    }
}
