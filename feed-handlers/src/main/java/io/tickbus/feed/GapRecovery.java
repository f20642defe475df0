package io.tickbus.feed;

/**
 * The seam where a venue gap that no line filled in time goes before it becomes a {@code GapNotice}: a MoldUDP64
 * re-request client (not built yet) would send its request here and ask the {@link LineArbiter} to keep holding
 * the later packets; {@link #NONE} declares the gap at once, and the decoder publishes the notice.
 * <p>
 * Threading: called on the feed handler's thread. Allocation: implementations should allocate nothing.
 */
@FunctionalInterface
public interface GapRecovery
{
    /**
     * A hold expired with sequence numbers still missing.
     *
     * @param fromSeq first missing venue sequence number.
     * @param count missing sequence numbers.
     * @param attempt 1 for the first expiry of this gap, then 2, 3, ...
     * @param nowNs the arbiter's clock, ns.
     * @return true to keep holding for another hold period (recovery asked for), false to declare the gap.
     */
    boolean onGap(long fromSeq, long count, int attempt, long nowNs);

    /** No recovery: every gap is declared when its hold expires. */
    GapRecovery NONE = (fromSeq, count, attempt, nowNs) -> false;
}
