package io.tickbus.tools;

import org.agrona.ErrorHandler;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

/**
 * What a command does with the exceptions a strategy throws: the first one is printed with its stack trace (that is
 * the one to debug), every later one is counted, and a line saying how many more were thrown (and the latest
 * message) is printed at most once per {@link #REPORT_INTERVAL_NS}, so a strategy that throws on every message
 * cannot flood the terminal. The total goes in the command's summary.
 * <p>
 * Threading: the thread that runs the strategy. Allocation: a line per report (once a second at most).
 */
final class StrategyErrors implements ErrorHandler
{
    /** The least time between two reports of further errors. */
    static final long REPORT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final PrintWriter err;
    private final String command;
    private long count;
    private long unreported;
    private long lastReportNs;
    private Throwable latest;

    /**
     * @param err standard error.
     * @param command the command's name, for the messages.
     */
    StrategyErrors(final PrintWriter err, final String command)
    {
        this.err = err;
        this.command = command;
    }

    public void onError(final Throwable ex)
    {
        count++;
        final long nowNs = System.nanoTime();
        if (1 == count)
        {
            err.println("tickbus " + command + ": the strategy threw (first of possibly many; later ones are " +
                "counted):");
            ex.printStackTrace(err);
            err.flush();
            lastReportNs = nowNs;
            return;
        }
        unreported++;
        latest = ex;
        if (nowNs - lastReportNs >= REPORT_INTERVAL_NS)
        {
            report(nowNs);
        }
    }

    /** Report the errors not reported yet (call at the end). */
    void flush()
    {
        if (unreported > 0)
        {
            report(System.nanoTime());
        }
    }

    private void report(final long nowNs)
    {
        err.println("tickbus " + command + ": the strategy threw " + unreported + " more time" +
            (1 == unreported ? "" : "s") + " (" + count + " in all; latest: " + latest + ")");
        err.flush();
        unreported = 0;
        lastReportNs = nowNs;
    }

    /** @return exceptions thrown in all. */
    long count()
    {
        return count;
    }
}
