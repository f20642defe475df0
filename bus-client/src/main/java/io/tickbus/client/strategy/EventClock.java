package io.tickbus.client.strategy;

import org.agrona.concurrent.EpochNanoClock;

/**
 * A clock that only moves when told: the exchange time of the message being processed, or a timer's deadline.
 * Never goes backwards (an earlier time is ignored), starts at 0 until the first message.
 * <p>
 * Threading: one thread. Allocation: none.
 */
public final class EventClock implements EpochNanoClock
{
    private long timeNs;

    /** {@inheritDoc} */
    public long nanoTime()
    {
        return timeNs;
    }

    /**
     * Move the clock forward.
     *
     * @param epochNs the new time; ignored when earlier than the current one.
     * @return true when the clock moved.
     */
    public boolean advanceTo(final long epochNs)
    {
        if (epochNs > timeNs)
        {
            timeNs = epochNs;
            return true;
        }
        return false;
    }
}
