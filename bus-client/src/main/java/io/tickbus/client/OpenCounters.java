package io.tickbus.client;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * Writes to Aeron counters only while their client is open. When the media driver dies the Aeron client closes and
 * unmaps its counters file; a component that goes on reporting outcomes (a publisher refused with CLOSED, a full
 * resend window) must not write into unmapped memory, which would crash the JVM instead of letting it report the
 * error.
 * <p>
 * Threading: any. Allocation: none.
 */
public final class OpenCounters
{
    private OpenCounters()
    {
    }

    /**
     * @param counter an Aeron counter (Aeron marks it closed when its client closes).
     */
    public static void increment(final AtomicCounter counter)
    {
        if (!counter.isClosed())
        {
            counter.incrementRelease();
        }
    }
}
