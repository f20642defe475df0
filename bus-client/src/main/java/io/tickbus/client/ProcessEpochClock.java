package io.tickbus.client;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;

/**
 * The one epoch-nanosecond clock of this process, the default for every timestamp Tickbus takes (receive, publish,
 * subscriber time, strategy wall clock). An {@link OffsetEpochNanoClock} pairs {@code System.nanoTime()} with an
 * offset sampled once; two separately calibrated instances in one process can disagree by hundreds of
 * microseconds, which would show up as latency (or negative latency) between hops. One shared instance makes every
 * in-process hop exact; hops between processes still compare two calibrations (see docs/operations.md).
 * <p>
 * Threading: any thread (the instance is only read after construction). Allocation: none.
 */
public final class ProcessEpochClock
{
    private static final EpochNanoClock INSTANCE = new OffsetEpochNanoClock();

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
