package io.tickbus.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class ThreadAllocationTest
{
    private static volatile Object sink;

    @Test
    void countsWhatTheWorkAllocatesAndNotTheCounter()
    {
        final ThreadAllocation allocation = ThreadAllocation.enabledOrSkip();
        final Runnable allocates = () -> sink = new byte[1_000_000];
        final Runnable nothing = () -> sink = null;
        allocation.allocatedBy(nothing);

        final long big = allocation.allocatedBy(allocates);
        final long none = allocation.allocatedBy(nothing);

        assertTrue(big >= 1_000_000, "counted " + big + " bytes for a 1 MB array");
        assertTrue(none <= 64, "counted " + none + " bytes for no allocation");
        assertTrue(allocation.bytes(Thread.currentThread().getId()) >= big, "the thread's total includes it");
    }
}
