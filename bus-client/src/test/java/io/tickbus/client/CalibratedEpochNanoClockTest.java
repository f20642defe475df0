package io.tickbus.client;

import org.agrona.concurrent.HighResolutionClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The process clock agrees with the real-time clock it was calibrated against to well under the millisecond that a
 * {@code currentTimeMillis()} calibration can be off by, and two independent calibrations agree with each other
 * (what one-way hops between two processes on one host compare).
 */
class CalibratedEpochNanoClockTest
{
    private static final long AGREEMENT_NS = 50_000;

    @Test
    void agreesWithTheRealTimeClockToWellUnderAMillisecond()
    {
        final CalibratedEpochNanoClock clock = new CalibratedEpochNanoClock();
        assertTrue(clock.calibrationWindowNs() < AGREEMENT_NS, "window " + clock.calibrationWindowNs() + " ns");
        assertTrue(Math.abs(narrowestDifference(clock)) < AGREEMENT_NS,
            "differs from the real-time clock by " + narrowestDifference(clock) + " ns");
    }

    @Test
    void twoCalibrationsAgree()
    {
        final CalibratedEpochNanoClock first = new CalibratedEpochNanoClock();
        final CalibratedEpochNanoClock second = new CalibratedEpochNanoClock();
        long closest = Long.MAX_VALUE;
        for (int i = 0; i < 100; i++)
        {
            final long a = first.nanoTime();
            final long b = second.nanoTime();
            final long c = first.nanoTime();
            // b lies between a and c on one clock, whatever the offsets; away from that interval is disagreement
            final long outside = b < a ? a - b : (b > c ? b - c : 0);
            closest = Math.min(closest, outside);
        }
        assertTrue(closest < AGREEMENT_NS, "two calibrations disagree by " + closest + " ns");
    }

    @Test
    void theProcessClockIsCalibrated()
    {
        assertTrue(ProcessEpochClock.get() instanceof CalibratedEpochNanoClock);
        assertTrue(Math.abs(narrowestDifference(ProcessEpochClock.get())) < AGREEMENT_NS);
    }

    /** Clock minus real time, taken where the real-time read was bracketed most tightly. */
    private static long narrowestDifference(final org.agrona.concurrent.EpochNanoClock clock)
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
        return best;
    }
}
