package io.tickbus.client;

import io.tickbus.sbe.TradeDecoder;
import io.tickbus.test.ThreadAllocation;
import io.tickbus.test.TestMessages;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher's window of delivered global sequences (issue 14, cause 5): after a reported gap the missing
 * messages, arriving late on another image (another member's publication, a replay), are delivered once; true
 * repeats are still dropped; sequences below the window are dropped as too old; no allocation per message.
 */
@Timeout(30)
class SequenceWindowTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
    private final TestMessages messages = new TestMessages();
    private final List<Long> delivered = new ArrayList<>();
    private final List<String> gaps = new ArrayList<>();
    private final MessageDispatcher dispatcher = new MessageDispatcher(new MarketDataListener()
    {
        public void onTrade(final TradeDecoder msg)
        {
            delivered.add(msg.common().globalSeq());
        }

        public void onSequenceGap(final long fromGlobalSeq, final long toGlobalSeq)
        {
            gaps.add(fromGlobalSeq + ".." + toGlobalSeq);
        }
    });

    private boolean send(final long globalSeq)
    {
        final int length = messages.tradeAt(buffer, 0, 1, 1, globalSeq);
        CommonBlock.sequence(buffer, 0, globalSeq, 1);
        return dispatcher.dispatch(buffer, 0, length, 0);
    }

    private boolean send(final long globalSeq, final long sequencerTimeNs)
    {
        final int length = messages.tradeAt(buffer, 0, 1, 1, globalSeq);
        CommonBlock.sequence(buffer, 0, globalSeq, sequencerTimeNs);
        return dispatcher.dispatch(buffer, 0, length, 0);
    }

    /**
     * Issue 15: a fresh sequencer cluster numbers from 1 again; its messages are a new sequencer epoch, delivered,
     * not dropped as repeats. A late copy of the old epoch's first message (its time is older) is still a repeat.
     */
    @Test
    void aFreshSequencerNumberingFromOneAgainIsAResetNotRepeats()
    {
        for (long seq = 1; seq <= 5; seq++)
        {
            assertTrue(send(seq, 1_000 + seq));
        }
        assertFalse(send(1, 1_001), "a late copy of the old sequence 1 is a repeat");
        assertEquals(0, dispatcher.sequencerEpochCount());
        for (long seq = 1; seq <= 3; seq++)
        {
            assertTrue(send(seq, 9_000 + seq), "the new cluster's " + seq + " is delivered");
        }
        assertFalse(send(2, 9_002), "and its repeats are dropped");
        assertEquals(1, dispatcher.sequencerEpochCount());
        assertEquals(3, dispatcher.highestGlobalSeq());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 1L, 2L, 3L), delivered);
        assertEquals(List.of(), gaps, "no gap is reported across the reset");
    }

    @Test
    void messagesMissingAfterAGapAreDeliveredOnceWhenTheyArriveLate()
    {
        for (final long seq : new long[]{1, 2, 3, 7, 8})
        {
            assertTrue(send(seq));
        }
        assertEquals(List.of("4..6"), gaps);
        assertEquals(1, dispatcher.gapCount());

        // 4..6 arrive late on another image, with repeats of what was delivered around them.
        for (final long seq : new long[]{3, 4, 5, 6, 7})
        {
            send(seq);
        }
        // and once more: now all repeats
        for (final long seq : new long[]{4, 5, 6})
        {
            assertFalse(send(seq), "seq " + seq + " delivered twice");
        }
        send(9);

        assertEquals(List.of(1L, 2L, 3L, 7L, 8L, 4L, 5L, 6L, 9L), delivered);
        assertEquals(3, dispatcher.lateCount(), "4, 5 and 6 delivered late");
        assertEquals(5, dispatcher.repeatCount(), "3, 7 then 4, 5, 6 again");
        assertEquals(0, dispatcher.tooOldCount());
        assertEquals(1, dispatcher.gapCount(), "late deliveries report no new gap");
        assertEquals(9, dispatcher.highestGlobalSeq());
    }

    @Test
    void sequencesBelowTheWindowAreDroppedAsTooOld()
    {
        final long window = MessageDispatcher.SEQUENCE_WINDOW;
        assertTrue(send(1));
        assertTrue(send(window + 10));
        assertEquals(List.of("2.." + (window + 9)), gaps);

        // 10 is now below the window (highest - window + 1 = 11): it cannot be told from a repeat.
        assertFalse(send(10));
        assertEquals(1, dispatcher.tooOldCount());
        // 11 is the oldest sequence the window holds: late but real.
        assertTrue(send(11));
        assertFalse(send(11));
        assertEquals(1, dispatcher.lateCount());
        assertEquals(1, dispatcher.repeatCount());
        assertEquals(List.of(1L, window + 10, 11L), delivered);
    }

    @Test
    void aJumpBeyondTheWindowForgetsWhatWasDelivered()
    {
        for (long seq = 1; seq <= 100; seq++)
        {
            assertTrue(send(seq));
        }
        final long far = 100 + 3 * MessageDispatcher.SEQUENCE_WINDOW;
        assertTrue(send(far));
        // Every sequence inside the new window but the highest is undelivered, wherever the old bits were.
        assertTrue(send(far - 1));
        assertTrue(send(far - MessageDispatcher.SEQUENCE_WINDOW + 1));
        assertFalse(send(far - MessageDispatcher.SEQUENCE_WINDOW));
        assertEquals(1, dispatcher.gapCount());
        assertEquals(2, dispatcher.lateCount());
        assertEquals(1, dispatcher.tooOldCount());
        assertEquals(0, dispatcher.repeatCount());
    }

    @Test
    void windowAllocatesNothingPerMessage()
    {
        final ThreadAllocation allocation = ThreadAllocation.enabledOrSkip();

        final MessageDispatcher quiet = new MessageDispatcher(new MarketDataListener()
        {
        });
        final int length = messages.tradeAt(buffer, 0, 1, 1, 1);
        playWithGapsAndLateFills(quiet, length, 1);

        final Runnable measured = () -> playWithGapsAndLateFills(quiet, length, 1 + 200_000);
        final long allocated = allocation.allocatedBy(measured);
        assertTrue(quiet.lateCount() > 0 && quiet.repeatCount() > 0 && quiet.gapCount() > 0);
        assertTrue(allocated <= 1024, "allocated " + allocated + " bytes");
    }

    /** 100 000 sequences from {@code base}: every tenth held back and sent late, and every message sent twice. */
    private void playWithGapsAndLateFills(final MessageDispatcher target, final int length, final long base)
    {
        for (long block = 0; block < 10_000; block++)
        {
            final long first = base + block * 10;
            for (long seq = first + 1; seq < first + 10; seq++)
            {
                CommonBlock.sequence(buffer, 0, seq, 1);
                target.dispatch(buffer, 0, length, 0);
                target.dispatch(buffer, 0, length, 0);
            }
            CommonBlock.sequence(buffer, 0, first, 1);
            target.dispatch(buffer, 0, length, 0);
        }
    }
}
