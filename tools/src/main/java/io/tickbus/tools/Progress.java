package io.tickbus.tools;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A one-line progress report of a long command ({@code backtest}, {@code export}) on standard error: the share of
 * the day's messages replayed so far, redrawn in place with a carriage return at most four times a second, then
 * ended with a newline. Off with {@code --no-progress}, and off when the process has no console (its output is
 * piped or redirected, as in scripts and tests), so logs never fill with redraws.
 * <p>
 * Threading: the command's thread. Allocation: one line per redraw (four a second at most).
 */
final class Progress
{
    /** A report that prints nothing. */
    static final Progress OFF = new Progress(null, "", 0);

    private static final long INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(250);

    private final PrintWriter err;
    private final String what;
    private final long total;
    private final long startNs = System.nanoTime();
    private long lastNs = startNs;
    private boolean drawn;

    private Progress(final PrintWriter err, final String what, final long total)
    {
        this.err = err;
        this.what = what;
        this.total = total;
    }

    /**
     * @param err standard error.
     * @param what the task, e.g. "export 2026-11-20 stream 1001".
     * @param total messages expected (the catalog's count), 0 when unknown.
     * @param disabled {@code --no-progress}.
     * @return a report, {@link #OFF} when disabled or without a console.
     */
    static Progress of(final PrintWriter err, final String what, final long total, final boolean disabled)
    {
        return disabled || null == System.console() ? OFF : new Progress(err, what, total);
    }

    /** @param done messages so far. */
    void update(final long done)
    {
        if (null == err)
        {
            return;
        }
        final long nowNs = System.nanoTime();
        if (nowNs - lastNs >= INTERVAL_NS)
        {
            lastNs = nowNs;
            draw(done, nowNs);
        }
    }

    /** @param done messages in all. */
    void done(final long done)
    {
        if (null != err && drawn)
        {
            draw(done, System.nanoTime());
            err.println();
            err.flush();
        }
    }

    private void draw(final long done, final long nowNs)
    {
        final double seconds = Math.max(1e-9, (nowNs - startNs) / 1e9);
        final String share = total > 0 ? String.format(Locale.ROOT, "%3d%% ", Math.min(100, done * 100 / total)) : "";
        err.print(String.format(Locale.ROOT, "\r%s: %s%,d of %,d messages, %,.0f/s  ", what, share, done, total,
            done / seconds));
        err.flush();
        drawn = true;
    }
}
