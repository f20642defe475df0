package io.tickbus.sequencer.client;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class MessageRingTest
{
    private final UnsafeBuffer src = new UnsafeBuffer(new byte[512]);

    @Test
    void refusesWhenFullAndAcceptsAfterRemoval()
    {
        final MessageRing ring = new MessageRing(256, 100);
        long key = 0;
        int appended = 0;
        while (ring.tryAppend(src, 0, 40, ++key) >= 0)
        {
            appended++;
        }
        // 40 bytes aligned to 40 (a multiple of 8): 256 / 40 = 6 entries fit.
        assertEquals(6, appended);
        assertEquals(1, ring.removeUpTo(1));
        assertTrue(ring.tryAppend(src, 0, 40, key) >= 0, "room after removing the oldest");
        assertEquals(6, ring.size());
    }

    @Test
    void keepsContentAcrossWrapAgainstAQueueModel()
    {
        final MessageRing ring = new MessageRing(1000, 20);
        final ArrayDeque<long[]> model = new ArrayDeque<>();
        final java.util.Random random = new java.util.Random(7);
        for (long key = 1; key <= 5000; key++)
        {
            final int length = 8 + random.nextInt(200);
            for (int i = 0; i < length; i++)
            {
                src.putByte(i, (byte)(key + i));
            }
            final long index = ring.appendEvicting(src, 0, length, key);
            model.addLast(new long[]{key, length});
            while (model.size() > ring.size())
            {
                model.removeFirst();
            }
            assertEquals(ring.nextIndex() - 1, index);
            long i = ring.firstIndex();
            for (final long[] entry : model)
            {
                assertEquals(entry[0], ring.key(i));
                assertEquals(entry[1], ring.length(i));
                final int offset = ring.offset(i);
                assertTrue(offset + ring.length(i) <= ring.capacityBytes());
                for (int b = 0; b < entry[1]; b += 17)
                {
                    assertEquals((byte)(entry[0] + b), ring.buffer().getByte(offset + b));
                }
                i++;
            }
            if (0 == key % 7)
            {
                ring.removeUpTo(key - 3);
                while (!model.isEmpty() && model.peekFirst()[0] <= key - 3)
                {
                    model.removeFirst();
                }
                assertEquals(model.size(), ring.size());
            }
        }
    }

    @Test
    void rejectsMessageLargerThanRing()
    {
        final MessageRing ring = new MessageRing(64, 4);
        assertEquals(-1, ring.tryAppend(src, 0, 65, 1));
        assertThrows(IllegalArgumentException.class, () -> ring.appendEvicting(src, 0, 65, 1));
    }
}
