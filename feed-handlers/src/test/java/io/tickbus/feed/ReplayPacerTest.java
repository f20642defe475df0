package io.tickbus.feed;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pacing arithmetic on a clock the test moves by hand (no real time involved). */
@Timeout(10)
class ReplayPacerTest
{
    private static final long MS = 1_000_000L;
    private static final long DAY_NS = 1_700_000_000_000_000_000L;

    @Test
    void firstTimedPacketIsDueAtOnceAndLaterOnesAfterTheirGapDividedBySpeed()
    {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(500 * MS);
        final ReplayPacer pacer = new ReplayPacer(clock, 2.0);
        assertTrue(pacer.isPaced());

        assertTrue(pacer.isDue(DAY_NS));

        // 10 ms of source time at speed 2 is due 5 ms after the first packet was released.
        assertFalse(pacer.isDue(DAY_NS + 10 * MS));
        clock.update(504 * MS);
        assertFalse(pacer.isDue(DAY_NS + 10 * MS));
        clock.update(505 * MS);
        assertTrue(pacer.isDue(DAY_NS + 10 * MS));
        assertFalse(pacer.isDue(DAY_NS + 12 * MS));
    }

    @Test
    void packetWithoutTimestampIsAlwaysDueAndDoesNotSetTheReference()
    {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(100 * MS);
        final ReplayPacer pacer = new ReplayPacer(clock, 1.0);

        assertTrue(pacer.isDue(0));
        clock.update(200 * MS);
        assertTrue(pacer.isDue(DAY_NS)); // the first timed packet sets the reference, now
        assertFalse(pacer.isDue(DAY_NS + MS));
        assertTrue(pacer.isDue(0));
        clock.update(201 * MS);
        assertTrue(pacer.isDue(DAY_NS + MS));
    }

    @Test
    void speedZeroIsUnpaced()
    {
        assertFalse(new ReplayPacer(new CachedNanoClock(), 0).isPaced());
    }
}
