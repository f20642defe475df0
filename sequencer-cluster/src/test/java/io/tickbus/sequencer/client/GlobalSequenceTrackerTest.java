package io.tickbus.sequencer.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class GlobalSequenceTrackerTest
{
    @Test
    void acceptsEachSequenceOnceAndCountsRepeatsAndGaps()
    {
        final GlobalSequenceTracker tracker = new GlobalSequenceTracker();
        // 1 2 3, a new leader republishes 2 3, then 4, then a gap of two (5, 6), then 7.
        final long[] arrivals = {1, 2, 3, 2, 3, 4, 7, 0};
        final boolean[] expected = {true, true, true, false, false, true, true, false};
        for (int i = 0; i < arrivals.length; i++)
        {
            assertEquals(expected[i], tracker.onGlobalSeq(arrivals[i]), "arrival " + i);
        }
        assertEquals(1, tracker.first());
        assertEquals(7, tracker.last());
        assertEquals(5, tracker.accepted());
        assertEquals(2, tracker.duplicates());
        assertEquals(1, tracker.gaps());
        assertEquals(2, tracker.missing());
        assertEquals(1, tracker.unsequenced());
    }

    @Test
    void lateJoinerStartsWhereItJoins()
    {
        final GlobalSequenceTracker tracker = new GlobalSequenceTracker();
        assertTrue(tracker.onGlobalSeq(1000));
        assertFalse(tracker.onGlobalSeq(999));
        assertEquals(0, tracker.gaps());
    }
}
