package io.tickbus.feed;

/**
 * What a gap recovery client (the MoldUDP64 re-request client) reports: requests sent, messages recovered, request
 * timeouts, gaps given up (each then becomes a {@code GapNotice}; whatever the reason, so that gaps given up equal
 * the gaps announced), of those the ones given up because the hold was full, packets left to the recovery because
 * the hold was full, and malformed answers. {@link RecoveryCounters}
 * keeps them as Aeron counters.
 * <p>
 * Threading: called on the feed handler's thread only. Allocation: none.
 */
public interface RecoveryStats
{
    /** A request was sent. */
    void onRequest();

    /** @param messages messages an answer filled that no line had delivered. */
    void onRecovered(int messages);

    /** A request got no answer within the timeout. */
    void onTimeout();

    /** A gap was given up (after its retries, on a full hold, at a session end): it is declared. */
    void onGivenUp();

    /** Of the gaps given up, one given up because the hold was full and the recovery could not take more. */
    void onGivenUpHoldFull();

    /** A packet arrived while the hold was full and was left to the recovery to fetch with a later gap. */
    void onDeferred();

    /** An answer was malformed or not of the current session, and was dropped. */
    void onMalformed();

    /** Counts nothing. */
    RecoveryStats NONE = new RecoveryStats()
    {
        public void onRequest()
        {
        }

        public void onRecovered(final int messages)
        {
        }

        public void onTimeout()
        {
        }

        public void onGivenUp()
        {
        }

        public void onGivenUpHoldFull()
        {
        }

        public void onDeferred()
        {
        }

        public void onMalformed()
        {
        }
    };
}
