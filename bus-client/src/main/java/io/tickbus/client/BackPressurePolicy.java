package io.tickbus.client;

import java.util.concurrent.TimeUnit;

/**
 * What a {@link BusPublisher} does when Aeron refuses an offer because subscribers are behind
 * (BACK_PRESSURED) or the log is rotating (ADMIN_ACTION): retry, idling, for at most {@link #maxWaitNs()},
 * then either drop the message and count it ({@link Exhausted#DROP}) or throw
 * {@link PublicationFailedException} ({@link Exhausted#FAIL}). A feed handler is never stalled for longer
 * than the bound.
 * <p>
 * Immutable and thread safe.
 *
 * @param maxWaitNs how long to keep retrying, 0 for one attempt only.
 * @param exhausted what happens when the bound is reached.
 */
public record BackPressurePolicy(long maxWaitNs, Exhausted exhausted)
{
    /** What to do when retries are exhausted. */
    public enum Exhausted
    {
        /** Drop the message, count it in the dropped counter, return {@link BusPublisher#DROPPED}. */
        DROP,
        /** Throw {@link PublicationFailedException}: the caller treats loss as fatal. */
        FAIL
    }

    /**
     * A file source's default: wait as long as the subscribers take (a file loses nothing by waiting, so the bus's
     * back pressure slows the reader). A subscriber that dies stops back-pressuring once its image times out.
     */
    public static final BackPressurePolicy WAIT = new BackPressurePolicy(Long.MAX_VALUE, Exhausted.FAIL);

    /** Market-data default: retry for up to 100 microseconds, then drop and count. */
    public static final BackPressurePolicy DEFAULT = new BackPressurePolicy(TimeUnit.MICROSECONDS.toNanos(100),
        Exhausted.DROP);

    /**
     * @param maxWaitNs how long to keep retrying.
     * @param exhausted what happens then.
     */
    public BackPressurePolicy
    {
        if (maxWaitNs < 0)
        {
            throw new IllegalArgumentException("maxWaitNs must be >= 0: " + maxWaitNs);
        }
        if (null == exhausted)
        {
            throw new IllegalArgumentException("exhausted must be DROP or FAIL");
        }
    }

    /**
     * Parse the command-line form {@code drop}, {@code drop:200us}, {@code fail:5ms}, {@code block:1s}
     * ({@code block} is {@code fail} after the bound), or {@code wait} ({@link #WAIT}).
     *
     * @param text the text.
     * @return the policy.
     */
    public static BackPressurePolicy parse(final String text)
    {
        final String[] parts = text.trim().toLowerCase().split(":", 2);
        if ("wait".equals(parts[0]) && 1 == parts.length)
        {
            return WAIT;
        }
        final Exhausted exhausted = switch (parts[0])
        {
            case "drop" -> Exhausted.DROP;
            case "fail", "block" -> Exhausted.FAIL;
            default -> throw new IllegalArgumentException(
                "back-pressure policy must be drop[:WAIT], fail[:WAIT] or wait, got '" + text + "'");
        };
        final long waitNs = parts.length > 1 ? Durations.parseNanos(parts[1]) : DEFAULT.maxWaitNs;
        return new BackPressurePolicy(waitNs, exhausted);
    }
}
