package io.tickbus.tools;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link SequenceAccounting} on hand-made sequences whose gaps and duplicates are counted by eye.
 */
class SequenceAccountingTest
{
    private final SequenceAccounting accounting = new SequenceAccounting();

    @Test
    void inOrderSourceSequencesHaveNoGapsOrDuplicates()
    {
        for (long seq = 1; seq <= 100; seq++)
        {
            accounting.onSourceSeq(1, seq);
        }
        assertEquals(100, accounting.messages());
        assertEquals(0, accounting.gaps());
        assertEquals(0, accounting.duplicates());
        assertEquals(100, accounting.lastSourceSeq(1));
    }

    @Test
    void gapsAndDuplicatesAreCountedPerFeed()
    {
        // feed 1: 1 2 3 6 6 7 10 4  -> gaps at 3->6 and 7->10 (4 missing numbers), duplicates: 6 again, 4 late.
        for (final long seq : new long[]{1, 2, 3, 6, 6, 7, 10, 4})
        {
            accounting.onSourceSeq(1, seq);
        }
        // feed 2 interleaved from 500 upward, in order: no effect on feed 1.
        for (long seq = 500; seq < 510; seq++)
        {
            accounting.onSourceSeq(2, seq);
        }
        assertEquals(18, accounting.messages());
        assertEquals(2, accounting.gaps());
        assertEquals(4, accounting.missing());
        assertEquals(2, accounting.duplicates());
        assertEquals(10, accounting.lastSourceSeq(1));
        assertEquals(509, accounting.lastSourceSeq(2));
        assertEquals(0, accounting.firstGlobalSeq());
    }

    @Test
    void globalSequenceTakesPrecedenceOverSourceSequence()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocate(256));
        final TestMessages messages = new TestMessages();
        // same source seq every time (duplicates if it were used), global 5 6 8 8 9.
        for (final long global : new long[]{5, 6, 8, 8, 9})
        {
            messages.trade(buffer, 1, 1, 42, global);
            accounting.onMessage(buffer, 0);
        }
        assertEquals(5, accounting.firstGlobalSeq());
        assertEquals(9, accounting.lastGlobalSeq());
        assertEquals(1, accounting.gaps());
        assertEquals(1, accounting.duplicates());
    }

    @Test
    void messagesWithoutSequenceAreOnlyCounted()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocate(256));
        final TestMessages messages = new TestMessages();
        messages.heartbeat(buffer, 3);
        accounting.onMessage(buffer, 0);
        accounting.onMessage(buffer, 0);
        messages.trade(buffer, 3, 1, 7, 0);
        accounting.onMessage(buffer, 0);
        assertEquals(3, accounting.messages());
        assertEquals(2, accounting.unsequenced());
        assertEquals(0, accounting.duplicates());
        assertEquals(7, accounting.lastSourceSeq(3));
    }
}
