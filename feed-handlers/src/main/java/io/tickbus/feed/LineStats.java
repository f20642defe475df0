package io.tickbus.feed;

/**
 * What the A/B {@link LineArbiter} reports per line (0 = A, 1 = B, ...): every packet received, the copies it used
 * (won), the copies it dropped as already seen, and a line going down (silent while another has traffic) or coming
 * back. {@link LineCounters} keeps them as Aeron counters.
 * <p>
 * Threading: called on the feed handler's thread only. Allocation: none.
 */
public interface LineStats
{
    /** @param line a packet arrived on this line. */
    void onPacket(int line);

    /** @param line this line's copy of a packet was the first and was used. */
    void onWon(int line);

    /** @param line this line's copy had been seen already (on another line) and was dropped. */
    void onDuplicate(int line);

    /**
     * @param line the line went down (true) or came back (false).
     * @param down its new state.
     */
    void onLineState(int line, boolean down);

    /** Counts nothing. */
    LineStats NONE = new LineStats()
    {
        public void onPacket(final int line)
        {
        }

        public void onWon(final int line)
        {
        }

        public void onDuplicate(final int line)
        {
        }

        public void onLineState(final int line, final boolean down)
        {
        }
    };
}
