package io.tickbus.client;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.HighResolutionClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The process clock agrees with the real-time clock it was calibrated against as closely as its own calibration
 * window says, and two independent calibrations agree with each other within their two windows (what one-way hops
 * between two processes on one host compare).
 * <p>
 * No bound here is a fixed number of microseconds: on a loaded 2-core box a window can widen, and the property that
 * matters is that the clock is as good as the window it reports, and far better than the millisecond a
 * {@code currentTimeMillis()} calibration can be off by.
 */
class CalibratedEpochNanoClockTest
{
    /** What a {@code currentTimeMillis()} calibration can be off by: the reason this clock exists. */
    private static final long MILLISECOND_NS = 1_000_000;
    /** Reading the real-time clock rounds (microseconds on some kernels) and NTP may slew during the test. */
    private static final long SLACK_NS = 2_000;

    @Test
    void agreesWithTheRealTimeClockWithinItsOwnWindow()
    {
        final CalibratedEpochNanoClock clock = new CalibratedEpochNanoClock();
        assertTrue(clock.calibrationWindowNs() < MILLISECOND_NS, "window " + clock.calibrationWindowNs() + " ns");
        final Measurement m = measure(clock);
        final long bound = clock.calibrationWindowNs() / 2 + m.windowNs / 2 + SLACK_NS;
        assertTrue(Math.abs(m.differenceNs) <= bound,
            "differs from the real-time clock by " + m.differenceNs + " ns, bound " + bound + " ns");
    }

    @Test
    void twoCalibrationsAgreeWithinTheirWindows()
    {
        final CalibratedEpochNanoClock first = new CalibratedEpochNanoClock();
        final CalibratedEpochNanoClock second = new CalibratedEpochNanoClock();
        long closest = Long.MAX_VALUE;
        for (int i = 0; i < 1_000; i++)
        {
            final long a = first.nanoTime();
            final long b = second.nanoTime();
            final long c = first.nanoTime();
            // b lies between a and c on one clock, whatever the offsets; away from that interval is disagreement
            final long outside = b < a ? a - b : (b > c ? b - c : 0);
            closest = Math.min(closest, outside);
        }
        final long bound = first.calibrationWindowNs() / 2 + second.calibrationWindowNs() / 2 + SLACK_NS;
        assertTrue(closest <= bound, "two calibrations disagree by " + closest + " ns, bound " + bound + " ns");
    }

    @Test
    void theProcessClockIsCalibrated()
    {
        assertTrue(ProcessEpochClock.get() instanceof CalibratedEpochNanoClock);
        final CalibratedEpochNanoClock clock = (CalibratedEpochNanoClock)ProcessEpochClock.get();
        final Measurement m = measure(clock);
        assertTrue(Math.abs(m.differenceNs) <= clock.calibrationWindowNs() / 2 + m.windowNs / 2 + SLACK_NS,
            "the process clock differs from real time by " + m.differenceNs + " ns");
    }

    private record Measurement(long differenceNs, long windowNs)
    {
    }

    /** Clock minus real time, taken where the real-time read was bracketed most tightly, and that bracket. */
    private static Measurement measure(final EpochNanoClock clock)
    {
        long bestWindow = Long.MAX_VALUE;
        long best = 0;
        for (int i = 0; i < 1_000; i++)
        {
            final long before = clock.nanoTime();
            final long real = HighResolutionClock.epochNanos();
            final long after = clock.nanoTime();
            if (after - before < bestWindow)
            {
                bestWindow = after - before;
                best = (before + ((after - before) >> 1)) - real;
            }
        }
        return new Measurement(best, bestWindow);
    }
}
