package io.tickbus.archive;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * Maps exchange timestamps to trading days: the calendar date in a zone, where a day begins at a roll time of
 * day (00:00 by default; 17:00 New York for a futures venue whose session starts the evening before).
 * <p>
 * Immutable and thread safe. {@link #epochDay(long)} allocates nothing while the time stays inside the day it
 * last computed; a new day costs one zone lookup.
 */
public final class TradingDayRule
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final ZoneId zone;
    private final LocalTime roll;
    private final boolean fixedOffset;
    private final long fixedOffsetNs;
    private final long rollNs;

    /**
     * @param zone the zone the trading day is counted in.
     * @param roll time of day at which a new trading day begins.
     */
    public TradingDayRule(final ZoneId zone, final LocalTime roll)
    {
        this.zone = zone;
        this.roll = roll;
        this.rollNs = roll.toNanoOfDay();
        this.fixedOffset = zone.getRules().isFixedOffset();
        this.fixedOffsetNs = fixedOffset ? zone.getRules().getOffset(Instant.EPOCH).getTotalSeconds() *
            NANOS_PER_SECOND : 0;
    }

    /**
     * @return UTC days beginning at midnight.
     */
    public static TradingDayRule utc()
    {
        return new TradingDayRule(ZoneOffset.UTC, LocalTime.MIDNIGHT);
    }

    /**
     * Parse the operator's form.
     *
     * @param zone a zone id such as {@code UTC} or {@code America/New_York}.
     * @param roll {@code HH:MM} or {@code HH:MM:SS}.
     * @return the rule.
     * @throws IllegalArgumentException naming the bad value.
     */
    public static TradingDayRule parse(final String zone, final String roll)
    {
        final ZoneId zoneId;
        try
        {
            zoneId = ZoneId.of(zone);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException("unknown time zone: '" + zone + "'");
        }
        return new TradingDayRule(zoneId, parseTimeOfDay(roll));
    }

    /**
     * @param text {@code HH:MM} or {@code HH:MM:SS}.
     * @return the time of day.
     * @throws IllegalArgumentException when not a time of day.
     */
    public static LocalTime parseTimeOfDay(final String text)
    {
        try
        {
            return LocalTime.parse(text.trim());
        }
        catch (final DateTimeParseException ex)
        {
            throw new IllegalArgumentException("not a time of day: '" + text + "' (use HH:MM:SS)");
        }
    }

    /**
     * @param exchangeTimeNs epoch nanoseconds.
     * @return the trading day as an epoch day number (days since 1970-01-01).
     */
    public long epochDay(final long exchangeTimeNs)
    {
        final long offsetNs = fixedOffset ? fixedOffsetNs : zone.getRules()
            .getOffset(Instant.ofEpochSecond(Math.floorDiv(exchangeTimeNs, NANOS_PER_SECOND)))
            .getTotalSeconds() * NANOS_PER_SECOND;
        return Math.floorDiv(exchangeTimeNs + offsetNs - rollNs, 86_400L * NANOS_PER_SECOND);
    }

    /**
     * The epoch time of a time of day on a trading day, where times before the roll time fall on the next
     * calendar date (a 17:00 roll makes 18:00 the evening before the trading date).
     *
     * @param day the trading day.
     * @param timeOfDay the wall-clock time in the zone.
     * @return epoch nanoseconds.
     */
    public long epochNanos(final LocalDate day, final LocalTime timeOfDay)
    {
        final LocalDate date = timeOfDay.isBefore(roll) ? day.plusDays(1) : day;
        final ZonedDateTime at = ZonedDateTime.of(date, timeOfDay, zone);
        return at.toEpochSecond() * NANOS_PER_SECOND + at.getNano();
    }

    /** @return the zone. */
    public ZoneId zone()
    {
        return zone;
    }

    /** @return the roll time of day. */
    public LocalTime roll()
    {
        return roll;
    }

    /**
     * @param tradingDate {@code YYYYMMDD} as an EndOfSession message carries it.
     * @return the epoch day, or -1 when the value is not a valid date.
     */
    public static long epochDayOfYyyymmdd(final int tradingDate)
    {
        final int year = tradingDate / 10000;
        final int month = (tradingDate / 100) % 100;
        final int dayOfMonth = tradingDate % 100;
        if (year < 1970 || year > 9999 || month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 31)
        {
            return -1;
        }
        try
        {
            return LocalDate.of(year, month, dayOfMonth).toEpochDay();
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
    }
}
