package io.tickbus.client;

import org.agrona.concurrent.EpochNanoClock;

/**
 * The one epoch-nanosecond clock of this process, the default for every timestamp Tickbus takes (receive, publish,
 * subscriber time, strategy wall clock): a {@link CalibratedEpochNanoClock}, {@code System.nanoTime()} plus an
 * offset sampled once against the real-time clock at nanosecond resolution. One shared instance makes every
 * in-process hop exact; hops between processes on one host compare two calibrations, which agree to about a
 * microsecond; across hosts, as well as the hosts' clocks are synchronised (see docs/operations.md).
 * <p>
 * Threading: any thread (the instance is only read after construction). Allocation: none.
 */
public final class ProcessEpochClock
{
    private static final EpochNanoClock INSTANCE = new CalibratedEpochNanoClock();

    private ProcessEpochClock()
    {
    }

    /**
     * @return the process's shared epoch-nanosecond clock.
     */
    public static EpochNanoClock get()
    {
        return INSTANCE;
    }
}
