package io.tickbus.client.strategy;

import org.agrona.collections.LongHashSet;

import java.util.Arrays;

/**
 * Timers of one strategy: a binary min-heap of (deadline, id) in primitive arrays. Timers fire in deadline order,
 * ties in scheduling order, so that the same inputs always fire the same timers in the same order. Cancelled
 * timers are dropped lazily when they reach the top.
 * <p>
 * Threading: one thread. Allocation: none per timer in steady state; the arrays double beyond any number of
 * pending timers seen before.
 */
public final class TimerQueue
{
    /**
     * Receives expired timers.
     */
    @FunctionalInterface
    public interface Handler
    {
        /**
         * @param timerId id returned when scheduled.
         * @param deadlineNs its deadline.
         */
        void onExpiry(long timerId, long deadlineNs);
    }

    private long[] deadlines;
    private long[] ids;
    private int size;
    private long nextId = 1;
    private final LongHashSet pending;

    /**
     * @param initialCapacity timers pending at once before the arrays grow.
     */
    public TimerQueue(final int initialCapacity)
    {
        final int capacity = Math.max(initialCapacity, 8);
        deadlines = new long[capacity];
        ids = new long[capacity];
        pending = new LongHashSet(capacity * 2);
    }

    /**
     * @param deadlineNs when the timer expires.
     * @return its id (positive, increasing).
     */
    public long schedule(final long deadlineNs)
    {
        final long id = nextId++;
        if (size == deadlines.length)
        {
            deadlines = Arrays.copyOf(deadlines, size << 1);
            ids = Arrays.copyOf(ids, size << 1);
        }
        int index = size++;
        while (index > 0)
        {
            final int parent = (index - 1) >>> 1;
            if (!before(deadlineNs, id, deadlines[parent], ids[parent]))
            {
                break;
            }
            deadlines[index] = deadlines[parent];
            ids[index] = ids[parent];
            index = parent;
        }
        deadlines[index] = deadlineNs;
        ids[index] = id;
        pending.add(id);
        return id;
    }

    /**
     * @param timerId a timer id.
     * @return true when it was pending and is now cancelled.
     */
    public boolean cancel(final long timerId)
    {
        return pending.remove(timerId);
    }

    /** @return timers scheduled and neither fired nor cancelled. */
    public int pendingCount()
    {
        return pending.size();
    }

    /**
     * @return the earliest pending deadline, or {@link Long#MAX_VALUE} when none.
     */
    public long nextDeadline()
    {
        dropCancelled();
        return 0 == size ? Long.MAX_VALUE : deadlines[0];
    }

    /**
     * Fire, in order, every timer whose deadline is at or before {@code nowNs}, including timers the handler
     * schedules that are already due.
     *
     * @param nowNs the current time.
     * @param handler receives each expired timer.
     * @param limit most timers to fire.
     * @return timers fired.
     */
    public int poll(final long nowNs, final Handler handler, final int limit)
    {
        int fired = 0;
        while (fired < limit)
        {
            dropCancelled();
            if (0 == size || deadlines[0] > nowNs)
            {
                break;
            }
            final long deadline = deadlines[0];
            final long id = ids[0];
            removeTop();
            pending.remove(id);
            fired++;
            handler.onExpiry(id, deadline);
        }
        return fired;
    }

    private void dropCancelled()
    {
        while (size > 0 && !pending.contains(ids[0]))
        {
            removeTop();
        }
    }

    private void removeTop()
    {
        size--;
        if (0 == size)
        {
            return;
        }
        final long deadline = deadlines[size];
        final long id = ids[size];
        int index = 0;
        while (true)
        {
            final int left = 2 * index + 1;
            if (left >= size)
            {
                break;
            }
            final int right = left + 1;
            final int child = right < size && before(deadlines[right], ids[right], deadlines[left], ids[left]) ?
                right : left;
            if (!before(deadlines[child], ids[child], deadline, id))
            {
                break;
            }
            deadlines[index] = deadlines[child];
            ids[index] = ids[child];
            index = child;
        }
        deadlines[index] = deadline;
        ids[index] = id;
    }

    private static boolean before(final long deadlineA, final long idA, final long deadlineB, final long idB)
    {
        return deadlineA < deadlineB || (deadlineA == deadlineB && idA < idB);
    }
}
