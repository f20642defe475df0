package io.tickbus.client;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.HighResolutionClock;

/**
 * Epoch nanoseconds as {@code System.nanoTime()} plus an offset to the system's real-time clock, calibrated against
 * that clock at its full resolution ({@link HighResolutionClock#epochNanos()}, nanoseconds on Linux): the narrowest
 * of many {@code nanoTime / epochNanos / nanoTime} windows gives the offset, so two processes calibrated on one host
 * agree to within a microsecond or so (the windows' width), and hops between them can be measured one-way.
 * <p>
 * Agrona's {@link org.agrona.concurrent.OffsetEpochNanoClock} calibrates against {@code System.currentTimeMillis()},
 * which puts each calibration anywhere inside a millisecond: two processes (or two instances) disagreed by up to a
 * millisecond here, which showed up as latency or negative latency between hops. After calibration the clock follows
 * the monotonic clock, not the real-time one: an NTP/PTP step or slew afterwards is seen only at the next
 * {@link #calibrate()}.
 * <p>
 * Threading: {@link #nanoTime()} from any thread; {@link #calibrate()} publishes a new offset with a volatile write.
 * Allocation: {@link #calibrate()} allocates (an {@code Instant} per sample); {@link #nanoTime()} does not.
 */
public final class CalibratedEpochNanoClock implements EpochNanoClock
{
    /** Calibration samples taken; the narrowest window wins. */
    public static final int SAMPLES = 1_000;

    private volatile long offsetNs;
    private volatile long windowNs;

    /** Calibrate now. */
    public CalibratedEpochNanoClock()
    {
        calibrate();
    }

    /**
     * Sample the real-time clock again and take the offset of the narrowest window.
     *
     * @return the width of that window, ns: the calibration's uncertainty.
     */
    public long calibrate()
    {
        long bestWindow = Long.MAX_VALUE;
        long bestOffset = 0;
        for (int i = 0; i < SAMPLES; i++)
        {
            final long before = System.nanoTime();
            final long epochNs = HighResolutionClock.epochNanos();
            final long after = System.nanoTime();
            final long window = after - before;
            if (window < bestWindow)
            {
                bestWindow = window;
                bestOffset = epochNs - (before + (window >> 1));
            }
        }
        offsetNs = bestOffset;
        windowNs = bestWindow;
        return bestWindow;
    }

    /** @return the width of the last calibration's narrowest window, ns. */
    public long calibrationWindowNs()
    {
        return windowNs;
    }

    /** {@inheritDoc} */
    public long nanoTime()
    {
        return System.nanoTime() + offsetNs;
    }
}
