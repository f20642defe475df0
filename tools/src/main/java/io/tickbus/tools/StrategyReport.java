package io.tickbus.tools;

import io.tickbus.client.strategy.Strategy;
import io.tickbus.client.strategy.StrategyHost;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What the commands that run a strategy ({@code backtest} on a recorded day, {@code run} live) share: the strategy
 * made from its class name, and the summary printed when the run ends, the same for both:
 * <pre>
 * WHAT: N messages, N timers, N strategy errors in S s
 * exchange times 09:30:00.000000 to 16:00:00.000000 America/New_York
 * the strategy's own summary() line, when it has one
 * </pre>
 * Stateless. Allocation: at the start and the end of a run only.
 */
final class StrategyReport
{
    private StrategyReport()
    {
    }

    /**
     * @param className a class implementing {@link Strategy} with a public no-argument constructor.
     * @return a new instance.
     * @throws IllegalStateException when the class is not on the classpath (a runtime error, exit 1).
     * @throws IllegalArgumentException when it is not a strategy or cannot be made (a usage error, exit 2).
     */
    static Strategy newStrategy(final String className)
    {
        final Class<?> type;
        try
        {
            type = Class.forName(className);
        }
        catch (final ClassNotFoundException ex)
        {
            // A well-formed command line naming a class this JVM lacks: a runtime error (one line, exit 1).
            throw new IllegalStateException("--strategy: class not found on the classpath: " + className +
                " (add its jar with scripts/tickbus's TICKBUS_CLASSPATH, see docs/strategy-guide.md)");
        }
        if (!Strategy.class.isAssignableFrom(type))
        {
            throw new IllegalArgumentException("--strategy: " + className + " does not implement " +
                Strategy.class.getName());
        }
        try
        {
            return (Strategy)type.getDeclaredConstructor().newInstance();
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalArgumentException("--strategy: " + className +
                " needs a public no-argument constructor (" + ex + ")");
        }
    }

    /**
     * Print the summary of a run.
     *
     * @param out standard output.
     * @param what e.g. "backtest of MidPriceStrategy on 2026-11-20 stream 2001".
     * @param host the host that ran the strategy (messages, timers).
     * @param errors strategy errors in all.
     * @param elapsedNs how long the run took.
     * @param firstExchangeTime first exchange time seen, 0 for none (then no exchange time line).
     * @param lastExchangeTime last exchange time seen.
     * @param zone the display zone.
     * @param iso full ISO-8601 date-times instead of times of day.
     */
    static void print(
        final PrintWriter out,
        final String what,
        final StrategyHost host,
        final long errors,
        final long elapsedNs,
        final long firstExchangeTime,
        final long lastExchangeTime,
        final ZoneId zone,
        final boolean iso)
    {
        out.printf(Locale.ROOT, "%s: %d messages, %d timers, %d strategy errors in %.3f s%n", what,
            host.messageCount(), host.timerCount(), errors, elapsedNs / 1e9);
        if (0 != lastExchangeTime)
        {
            out.println("exchange times " + displayTime(firstExchangeTime, zone, iso) + " to " +
                displayTime(lastExchangeTime, zone, iso) + (iso ? "" : " " + zone));
        }
        final String summary = summaryOf(host.strategy());
        if (null != summary)
        {
            out.println(summary);
        }
    }

    /**
     * @param epochNanos a time.
     * @param zone the display zone.
     * @param iso full ISO-8601 date-time with offset, else the time of day to the microsecond.
     * @return the time as displayed.
     */
    static String displayTime(final long epochNanos, final ZoneId zone, final boolean iso)
    {
        final ZonedDateTime time = Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
            Math.floorMod(epochNanos, 1_000_000_000L)).atZone(zone);
        return iso ? time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) :
            time.format(DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS"));
    }

    /**
     * @param strategy a strategy.
     * @return what its public {@code String summary()} returns, null when it has none.
     */
    static String summaryOf(final Strategy strategy)
    {
        final Method method;
        try
        {
            method = strategy.getClass().getMethod("summary");
        }
        catch (final NoSuchMethodException ex)
        {
            return null;
        }
        if (method.getReturnType() != String.class)
        {
            return null;
        }
        try
        {
            return (String)method.invoke(strategy);
        }
        catch (final ReflectiveOperationException ex)
        {
            final Throwable cause = null == ex.getCause() ? ex : ex.getCause();
            return "summary() failed: " + cause;
        }
    }
}
