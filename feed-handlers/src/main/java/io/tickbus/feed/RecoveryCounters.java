package io.tickbus.feed;

import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * {@link RecoveryStats} as Aeron counters, one set per feed handler with a re-request endpoint, so that
 * {@code tickbus stat} and AeronStat show them: re-requests sent, messages recovered, request timeouts, gaps given
 * up (all reasons: equals the feed's gaps), of those given up on a full hold, packets deferred from a full hold to
 * the re-request, malformed answers.
 * <p>
 * Threading: written by the handler thread, read by any process. Allocation: none per event.
 */
public final class RecoveryCounters implements RecoveryStats, AutoCloseable
{
    /** Counter type id: re-requests sent. */
    public static final int REQUESTS_TYPE_ID = LineCounters.LINE_DOWN_TYPE_ID + 1;
    /** Counter type id: messages recovered by re-requests. */
    public static final int RECOVERED_TYPE_ID = LineCounters.LINE_DOWN_TYPE_ID + 2;
    /** Counter type id: re-requests that got no answer in time. */
    public static final int TIMEOUTS_TYPE_ID = LineCounters.LINE_DOWN_TYPE_ID + 3;
    /** Counter type id: gaps given up (each a GapNotice). */
    public static final int GIVEN_UP_TYPE_ID = LineCounters.LINE_DOWN_TYPE_ID + 4;
    /** Counter type id: malformed or foreign re-request answers dropped. */
    public static final int MALFORMED_TYPE_ID = LineCounters.LINE_DOWN_TYPE_ID + 5;
    /** Counter type id: of the gaps given up, those given up because the hold was full. */
    public static final int GIVEN_UP_HOLD_FULL_TYPE_ID = LineCounters.LINE_DOWN_TYPE_ID + 6;
    /** Counter type id: packets that arrived while the hold was full, left to the re-request. */
    public static final int DEFERRED_TYPE_ID = LineCounters.LINE_DOWN_TYPE_ID + 7;

    private final AtomicCounter requests;
    private final AtomicCounter recovered;
    private final AtomicCounter timeouts;
    private final AtomicCounter givenUp;
    private final AtomicCounter malformed;
    private final AtomicCounter givenUpHoldFull;
    private final AtomicCounter deferred;

    /**
     * @param aeron client that allocates the counters.
     * @param name handler name used in the labels, e.g. "itch5 feed 1".
     */
    public RecoveryCounters(final Aeron aeron, final String name)
    {
        final String suffix = ": " + name;
        requests = aeron.addCounter(REQUESTS_TYPE_ID, "tickbus-feed rerequests" + suffix);
        recovered = aeron.addCounter(RECOVERED_TYPE_ID, "tickbus-feed recovered messages" + suffix);
        timeouts = aeron.addCounter(TIMEOUTS_TYPE_ID, "tickbus-feed rerequest timeouts" + suffix);
        givenUp = aeron.addCounter(GIVEN_UP_TYPE_ID, "tickbus-feed gaps given up" + suffix);
        malformed = aeron.addCounter(MALFORMED_TYPE_ID, "tickbus-feed malformed rerequest answers" + suffix);
        givenUpHoldFull = aeron.addCounter(GIVEN_UP_HOLD_FULL_TYPE_ID, "tickbus-feed gaps given up on a full hold" +
            suffix);
        deferred = aeron.addCounter(DEFERRED_TYPE_ID, "tickbus-feed packets deferred from a full hold" + suffix);
    }

    /** {@inheritDoc} */
    public void onRequest()
    {
        requests.incrementRelease();
    }

    /** {@inheritDoc} */
    public void onRecovered(final int messages)
    {
        recovered.getAndAddRelease(messages);
    }

    /** {@inheritDoc} */
    public void onTimeout()
    {
        timeouts.incrementRelease();
    }

    /** {@inheritDoc} */
    public void onGivenUp()
    {
        givenUp.incrementRelease();
    }

    /** {@inheritDoc} */
    public void onGivenUpHoldFull()
    {
        givenUpHoldFull.incrementRelease();
    }

    /** {@inheritDoc} */
    public void onDeferred()
    {
        deferred.incrementRelease();
    }

    /** {@inheritDoc} */
    public void onMalformed()
    {
        malformed.incrementRelease();
    }

    /** Free the counters. */
    public void close()
    {
        CloseHelper.closeAll(requests, recovered, timeouts, givenUp, malformed, givenUpHoldFull, deferred);
    }
}
