package io.tickbus.test;

import org.junit.jupiter.api.Assumptions;

import java.lang.management.ManagementFactory;

/**
 * Counts the bytes threads allocate, for the tests that prove a path allocates nothing in steady state: the JVM's
 * per-thread allocation counter ({@code com.sun.management.ThreadMXBean}), switched on, with the cost of reading
 * the counter itself taken off each measurement. A JVM without the counter skips the test (a JUnit assumption).
 * <p>
 * Threading: any; {@link #allocatedBy(Runnable)} measures the calling thread. Allocation: none while measuring.
 */
public final class ThreadAllocation
{
    private final com.sun.management.ThreadMXBean threads;

    private ThreadAllocation(final com.sun.management.ThreadMXBean threads)
    {
        this.threads = threads;
    }

    /**
     * @return allocation counting, switched on; the test is skipped where the JVM does not count allocations.
     */
    public static ThreadAllocation enabledOrSkip()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "allocation counting available");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        return new ThreadAllocation(threads);
    }

    /**
     * @param threadId a live thread's id.
     * @return the bytes it allocated so far.
     */
    public long bytes(final long threadId)
    {
        return threads.getThreadAllocatedBytes(threadId);
    }

    /**
     * Run the work on this thread and count what it allocated, less what two reads of the counter allocate.
     *
     * @param work the measured work, created before the call (a lambda made here would be counted).
     * @return bytes allocated by the work.
     */
    public long allocatedBy(final Runnable work)
    {
        final long threadId = Thread.currentThread().getId();
        final long overheadStart = threads.getThreadAllocatedBytes(threadId);
        final long overheadEnd = threads.getThreadAllocatedBytes(threadId);
        final long start = threads.getThreadAllocatedBytes(threadId);
        work.run();
        final long end = threads.getThreadAllocatedBytes(threadId);
        return (end - start) - (overheadEnd - overheadStart);
    }
}
