package io.tickbus.client;

import io.tickbus.sbe.GapNoticeEncoder;
import io.tickbus.sbe.GapReason;
import io.tickbus.sbe.HeartbeatEncoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.test.TestMessages;
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
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocate(256));
    private final TestMessages messages = new TestMessages();

    @Test
    void increasingSourceSequencesHaveNoDuplicates()
    {
        for (long venueSeq = 1; venueSeq <= 100; venueSeq++)
        {
            accounting.onSourceSeq(1, venueSeq << 16);
            accounting.onSourceSeq(1, (venueSeq << 16) | 1);
        }
        assertEquals(200, accounting.messages());
        assertEquals(0, accounting.gaps(), "source sequences are not contiguous: jumps are not gaps");
        assertEquals(0, accounting.duplicates());
        assertEquals((100L << 16) | 1, accounting.lastSourceSeq(1));
    }

    @Test
    void duplicatesAreCountedPerFeedAndGapsComeFromGapNotices()
    {
        // feed 1: 1 2 3 6 6 7 10 4 -> duplicates: 6 again, 4 late.
        for (final long seq : new long[]{1, 2, 3, 6, 6, 7, 10, 4})
        {
            messages.tradeAt(buffer, 0, 1, 42, seq);
            accounting.onMessage(buffer, 0);
        }
        // feed 2 interleaved, in order: no effect on feed 1.
        for (long seq = 500; seq < 510; seq++)
        {
            messages.tradeAt(buffer, 0, 2, 42, seq);
            accounting.onMessage(buffer, 0);
        }
        // feed 1's handler announces venue sequences 11..14 lost.
        final GapNoticeEncoder gap = new GapNoticeEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        gap.common().feedId(1).sourceSeq(15);
        gap.fromSeq(11).toSeq(14).reason(GapReason.VENUE_GAP);
        accounting.onMessage(buffer, 0);

        assertEquals(19, accounting.messages());
        assertEquals(1, accounting.gaps());
        assertEquals(4, accounting.missing());
        assertEquals(2, accounting.duplicates());
        assertEquals(15, accounting.lastSourceSeq(1));
        assertEquals(509, accounting.lastSourceSeq(2));
        assertEquals(0, accounting.firstGlobalSeq());
    }

    @Test
    void globalSequenceTakesPrecedenceOverSourceSequence()
    {
        // same source seq every time (duplicates if it were used), global 5 6 8 8 9.
        for (final long global : new long[]{5, 6, 8, 8, 9})
        {
            messages.tradeAt(buffer, 0, 1, 42, 1);
            CommonBlock.sequence(buffer, 0, global, 1);
            accounting.onMessage(buffer, 0);
        }
        assertEquals(5, accounting.firstGlobalSeq());
        assertEquals(9, accounting.lastGlobalSeq());
        assertEquals(1, accounting.gaps());
        assertEquals(1, accounting.missing());
        assertEquals(1, accounting.duplicates());
    }

    @Test
    void messagesWithoutSequenceAreOnlyCounted()
    {
        final HeartbeatEncoder heartbeat = new HeartbeatEncoder().wrapAndApplyHeader(buffer, 0,
            new MessageHeaderEncoder());
        heartbeat.common().feedId(3);
        accounting.onMessage(buffer, 0);
        accounting.onMessage(buffer, 0);
        messages.tradeAt(buffer, 0, 3, 1, 7);
        accounting.onMessage(buffer, 0);
        assertEquals(3, accounting.messages());
        assertEquals(2, accounting.unsequenced());
        assertEquals(0, accounting.duplicates());
        assertEquals(7, accounting.lastSourceSeq(3));
    }
}
