package io.tickbus.client;

import org.agrona.concurrent.EpochNanoClock;

/**
 * An epoch nanosecond clock that returns the time it was last given: for a {@link BusPublisher} whose thread
 * updates it once per duty cycle (as Aeron's cached clocks are updated), so publishing a burst of messages reads
 * the system clock once instead of once per message.
 * <p>
 * The trade-off is precision for throughput: every message published between two updates carries the same
 * publish time, stale by up to one duty cycle. On the project's 2-vCPU virtual machine a clock read is about
 * 17 ns and a whole {@link BusPublisher#offer} of a 64-byte message about 31 ns, so with the clock cached the offer
 * costs about 14 ns (docs/tuning.md). Keep the default clock where publish times are used to measure latency per
 * message; cache it where the publisher sends bursts and the stamp only needs to be as fine as a duty cycle.
 * <p>
 * Threading: update and read on the publisher's thread (the field is plain, not volatile). Allocates nothing.
 */
public final class CachedEpochNanoClock implements EpochNanoClock
{
    private final EpochNanoClock source;
    private long nanos;

    /** A cached clock over the process clock ({@link ProcessEpochClock}), read once now. */
    public CachedEpochNanoClock()
    {
        this(ProcessEpochClock.get());
    }

    /**
     * @param source the clock {@link #update()} reads; read once now.
     */
    public CachedEpochNanoClock(final EpochNanoClock source)
    {
        this.source = source;
        this.nanos = source.nanoTime();
    }

    /**
     * Read the source clock once and return its time from {@link #nanoTime()} until the next update. Call once per
     * duty cycle, before publishing.
     *
     * @return the time read, epoch ns.
     */
    public long update()
    {
        final long now = source.nanoTime();
        nanos = now;
        return now;
    }

    /**
     * Set the time directly (when the duty cycle has read a clock already).
     *
     * @param epochNanos time to return from {@link #nanoTime()}, epoch ns.
     */
    public void update(final long epochNanos)
    {
        nanos = epochNanos;
    }

    /** @return the time of the last update, epoch ns. */
    public long nanoTime()
    {
        return nanos;
    }
}
