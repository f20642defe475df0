package io.tickbus.feed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.tickbus.feed.VenueSequenceTracker.DUPLICATE;
import static io.tickbus.feed.VenueSequenceTracker.GAP;
import static io.tickbus.feed.VenueSequenceTracker.IN_ORDER;
import static io.tickbus.feed.VenueSequenceTracker.NONE;
import static io.tickbus.feed.VenueSequenceTracker.OUT_OF_BOUNDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every classification of the shared venue-sequence tracker, and its bounded trust. */
@Timeout(10)
class VenueSequenceTrackerTest
{
    @Test
    void inOrderDuplicateOverlapAndGap()
    {
        final VenueSequenceTracker tracker = new VenueSequenceTracker(1000);
        assertEquals(NONE, tracker.expected(), "nothing seen yet");
        assertEquals(IN_ORDER, tracker.onPacket(10, 3), "the first packet sets the expectation");
        assertEquals(13, tracker.expected());
        assertEquals(IN_ORDER, tracker.onPacket(13, 0), "a heartbeat at the expected number");
        assertEquals(DUPLICATE, tracker.onPacket(10, 3));
        assertEquals(3, tracker.duplicates());
        assertEquals(DUPLICATE, tracker.onPacket(12, 0), "a late heartbeat");
        assertEquals(IN_ORDER, tracker.onPacket(12, 4), "partial overlap");
        assertEquals(1, tracker.duplicates(), "12 was seen");
        assertEquals(16, tracker.expected());
        assertEquals(GAP, tracker.onPacket(20, 2));
        assertEquals(16, tracker.gapFrom());
        assertEquals(4, tracker.gapCount());
        assertEquals(22, tracker.expected());
        assertEquals(DUPLICATE, tracker.onPacket(17, 1), "a late fill is not rewound");
        tracker.reset();
        assertEquals(NONE, tracker.expected());
        assertEquals(IN_ORDER, tracker.onPacket(1, 1), "after a reset a lower number starts again");
    }

    @Test
    void jumpBeyondTheBoundChangesNothing()
    {
        final VenueSequenceTracker tracker = new VenueSequenceTracker(1000);
        tracker.onPacket(1, 10);
        assertEquals(OUT_OF_BOUNDS, tracker.onPacket(1L << 40, 1));
        assertEquals(11, tracker.expected(), "expectation not moved");
        assertTrue(tracker.describeOutOfBounds("MoldUDP64", 1L << 40, 1).contains("past the expected 11 (bound 1000)"));
        assertEquals(IN_ORDER, tracker.onPacket(11, 1), "the next real packet is in order, not a duplicate");
        assertEquals(GAP, tracker.onPacket(1012, 1), "a jump of exactly the bound is believed");
        assertEquals(1000, tracker.gapCount());
        assertEquals(1, tracker.outOfBoundsCount());
    }

    @Test
    void venueThatReallyJumpsIsBelievedAfterConsecutivePackets()
    {
        final VenueSequenceTracker tracker = new VenueSequenceTracker(100);
        tracker.onPacket(1, 1);
        final long far = 1_000_000;
        for (int i = 0; i < VenueSequenceTracker.RESYNC_PACKETS - 1; i++)
        {
            assertEquals(OUT_OF_BOUNDS, tracker.onPacket(far + 2L * i, 2));
            assertEquals(2, tracker.expected());
        }
        final long last = far + 2L * (VenueSequenceTracker.RESYNC_PACKETS - 1);
        assertEquals(GAP, tracker.onPacket(last, 2), "a run that continues itself is the venue's own");
        assertEquals(2, tracker.gapFrom());
        assertEquals(last - 2, tracker.gapCount(), "the dropped run is announced as missing");
        assertEquals(last + 2, tracker.expected());
    }

    @Test
    void scatteredCorruptNumbersNeverResync()
    {
        final VenueSequenceTracker tracker = new VenueSequenceTracker(100);
        tracker.onPacket(1, 1);
        for (int i = 0; i < 20; i++)
        {
            assertEquals(OUT_OF_BOUNDS, tracker.onPacket(1_000_000L * (i + 1), 1));
        }
        assertEquals(2, tracker.expected());
    }

    @Test
    void numbersOutsideTheDerivedSpaceAreRefusedNeverWrapped()
    {
        final VenueSequenceTracker tracker = new VenueSequenceTracker(Long.MAX_VALUE);
        assertEquals(OUT_OF_BOUNDS, tracker.onPacket(1L << 62, 1), "even as the first packet");
        assertEquals(NONE, tracker.expected());
        assertEquals(OUT_OF_BOUNDS, tracker.onPacket(-5, 1));
        assertEquals(OUT_OF_BOUNDS, tracker.onPacket(DerivedSequence.MAX_VENUE_SEQ, 1), "its end does not fit");
        assertEquals(IN_ORDER, tracker.onPacket(DerivedSequence.MAX_VENUE_SEQ - 1, 1));
        assertTrue(tracker.describeOutOfBounds("IEX-TP", 1L << 62, 1).contains("does not fit"));

        final DerivedSequence sequence = new DerivedSequence();
        sequence.begin(DerivedSequence.MAX_VENUE_SEQ);
        assertEquals(Long.MAX_VALUE - 0xFFFF + DerivedSequence.ROLE_FIRST_OUTPUT, sequence.next(),
            "the largest fits exactly");
        sequence.element(DerivedSequence.MAX_POSITION);
        sequence.next();
        sequence.next();
        sequence.next();
        sequence.next();
        assertEquals(Long.MAX_VALUE, sequence.next(), "the last slot of the largest number is Long.MAX_VALUE");
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> sequence.begin(DerivedSequence.MAX_VENUE_SEQ + 1));
        assertTrue(refused.getMessage().contains("does not fit"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new VenueSequenceTracker(0));
    }
}
