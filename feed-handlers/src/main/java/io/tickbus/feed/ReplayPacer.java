package io.tickbus.feed;

import org.agrona.concurrent.NanoClock;

/**
 * Paces the packets of a recorded source by their source timestamps divided by a speed factor: the first timed
 * packet is due at once and sets the reference, each later one is due when as much time (divided by the speed) has
 * passed on the clock as between its timestamp and the first. A packet without a timestamp (0) is always due.
 * Shared by {@link FeedHandlerAgent} (files into a decoder) and {@link io.tickbus.feed.sim.CapturePlayer}.
 * <p>
 * Threading: one thread (the agent's). Allocation: none.
 */
public final class ReplayPacer
{
    private final NanoClock clock;
    private final double speed;
    private long firstSourceTimeNs;
    private long startNs;

    /**
     * @param clock monotonic clock the pacing runs on.
     * @param speed timing factor, &gt; 0 (1 is the original timing); 0 means unpaced, see {@link #isPaced()}.
     */
    public ReplayPacer(final NanoClock clock, final double speed)
    {
        this.clock = clock;
        this.speed = speed;
    }

    /** @return true when packets are paced (speed &gt; 0), false when they go as fast as possible. */
    public boolean isPaced()
    {
        return speed > 0;
    }

    /**
     * @param sourceTimeNs the packet's source (capture or venue) timestamp, epoch ns, 0 when it has none.
     * @return true when the packet is due now.
     */
    public boolean isDue(final long sourceTimeNs)
    {
        if (0 == sourceTimeNs)
        {
            return true;
        }
        final long nowNs = clock.nanoTime();
        if (0 == firstSourceTimeNs)
        {
            firstSourceTimeNs = sourceTimeNs;
            startNs = nowNs;
            return true;
        }
        final long dueNs = startNs + (long)((sourceTimeNs - firstSourceTimeNs) / speed);
        return nowNs - dueNs >= 0;
    }
}
