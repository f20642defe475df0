package io.tickbus.feed;

/**
 * The seam where a venue gap that no line filled in time goes before it becomes a {@code GapNotice}: the MoldUDP64
 * re-request client sends its request here and asks the {@link LineArbiter} to keep holding the later packets;
 * {@link #NONE} declares the gap at once, and the decoder publishes the notice.
 * <p>
 * Every gap the arbiter declares is reported to {@link #onDeclared(long, long, int)} with its reason, whichever
 * path declared it, so that a recovery's "given up" count equals the gaps announced.
 * <p>
 * Threading: called on the feed handler's thread. Allocation: implementations should allocate nothing.
 */
@FunctionalInterface
public interface GapRecovery
{
    /** Reason: the hold expired and recovery gave up (or there is none). */
    int EXPIRED = 0;
    /** Reason: the hold was full and recovery could not take the packets that did not fit. */
    int HOLD_FULL = 1;
    /** Reason: a new session or a sequence reset released the hold with the gap still open. */
    int SESSION_END = 2;
    /** Reason: the venue was believed after a jump beyond the trust bound; too far to recover. */
    int TRUST_BOUND = 3;

    /**
     * A hold expired with sequence numbers still missing.
     *
     * @param fromSeq first missing venue sequence number.
     * @param count missing sequence numbers.
     * @param attempt 1 for the first expiry of this gap, then 2, 3, ...
     * @param nowNs the arbiter's clock, ns.
     * @return true to keep holding (recovery asked for; asked again after a hold period, or after 100 us if
     *         the hold is longer), false to declare the gap.
     */
    boolean onGap(long fromSeq, long count, int attempt, long nowNs);

    /**
     * The hold is full (packets or bytes) while this gap is still open, and one more packet after it arrived.
     *
     * @param fromSeq first missing venue sequence number.
     * @param count missing sequence numbers before the first held packet.
     * @param nowNs the arbiter's clock, ns.
     * @return true when recovery will fetch the packet that does not fit as well (the arbiter drops it, counted
     *         {@link LineArbiter#deferred()}, and it becomes part of a later gap, offered to recovery in its turn);
     *         false to declare the gap now (reason {@link #HOLD_FULL}).
     */
    default boolean onHoldFull(final long fromSeq, final long count, final long nowNs)
    {
        return false;
    }

    /**
     * A gap was declared: the decoder publishes its {@code GapNotice} next.
     *
     * @param fromSeq first missing venue sequence number.
     * @param count missing sequence numbers.
     * @param reason {@link #EXPIRED}, {@link #HOLD_FULL}, {@link #SESSION_END} or {@link #TRUST_BOUND}.
     */
    default void onDeclared(final long fromSeq, final long count, final int reason)
    {
    }

    /** No recovery: every gap is declared when its hold expires (or the hold is full). */
    GapRecovery NONE = (fromSeq, count, attempt, nowNs) -> false;
}
