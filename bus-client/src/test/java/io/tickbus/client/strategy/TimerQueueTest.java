package io.tickbus.client.strategy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class TimerQueueTest
{
    @Test
    void firesDueTimersInDeadlineOrderTiesInSchedulingOrder()
    {
        final TimerQueue timers = new TimerQueue(2);
        final long a = timers.schedule(300);
        final long b = timers.schedule(100);
        final long c = timers.schedule(200);
        final long d = timers.schedule(100);
        final long e = timers.schedule(500);
        final List<String> fired = new ArrayList<>();
        assertEquals(4, timers.poll(300, (id, deadline) -> fired.add(id + "@" + deadline), 10));
        assertEquals(List.of(b + "@100", d + "@100", c + "@200", a + "@300"), fired);
        assertEquals(500, timers.nextDeadline());
        assertEquals(1, timers.pendingCount());
        assertTrue(timers.cancel(e));
        assertFalse(timers.cancel(e));
        assertEquals(Long.MAX_VALUE, timers.nextDeadline());
        assertEquals(0, timers.poll(Long.MAX_VALUE - 1, (id, deadline) -> fired.add("late"), 10));
    }

    @Test
    void cancelledTimersNeverFireAndLimitIsHonoured()
    {
        final TimerQueue timers = new TimerQueue(4);
        final long first = timers.schedule(10);
        final long second = timers.schedule(20);
        final long third = timers.schedule(30);
        timers.cancel(second);
        final List<Long> fired = new ArrayList<>();
        assertEquals(1, timers.poll(100, (id, deadline) -> fired.add(id), 1));
        assertEquals(1, timers.poll(100, (id, deadline) -> fired.add(id), 1));
        assertEquals(List.of(first, third), fired);
    }

    @Test
    void randomScheduleAndCancelMatchesSortedReference()
    {
        final Random random = new Random(5);
        final TimerQueue timers = new TimerQueue(8);
        final TreeMap<String, Long> reference = new TreeMap<>();
        for (int i = 0; i < 5_000; i++)
        {
            final long deadline = random.nextInt(1_000_000);
            final long id = timers.schedule(deadline);
            reference.put(String.format("%012d-%012d", deadline, id), id);
            if (random.nextInt(4) == 0)
            {
                final String key = reference.keySet().stream().skip(random.nextInt(reference.size())).findFirst()
                    .orElseThrow();
                assertTrue(timers.cancel(reference.remove(key)));
            }
        }
        final List<Long> fired = new ArrayList<>();
        timers.poll(Long.MAX_VALUE, (id, deadline) -> fired.add(id), Integer.MAX_VALUE);
        assertEquals(new ArrayList<>(reference.values()), fired);
    }
}
