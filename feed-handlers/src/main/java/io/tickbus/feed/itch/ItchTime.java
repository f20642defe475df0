package io.tickbus.feed.itch;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ITCH timestamps are nanoseconds since midnight in New York; this turns them into epoch nanoseconds for a
 * trading date, and finds the trading date of a file: an explicit option wins, then a date in the file name
 * ({@code YYYYMMDD} as in {@code v5.0.20230822_...pcap}, or NASDAQ's own {@code MMDDYYYY.NASDAQ_ITCH50}), then the
 * first capture timestamp (its date in New York), then {@code tickbus.feed.trading.date}, then today.
 * <p>
 * Stateless, thread safe; the resolution methods allocate (they run once per file).
 */
public final class ItchTime
{
    /** NASDAQ's time zone. */
    public static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static final Pattern YYYYMMDD = Pattern.compile("(?<!\\d)(20\\d{2})(\\d{2})(\\d{2})(?!\\d)");
    private static final Pattern MMDDYYYY = Pattern.compile("(?<!\\d)(\\d{2})(\\d{2})(20\\d{2})(?!\\d)");

    private ItchTime()
    {
    }

    /**
     * @param tradingDate the trading date.
     * @return epoch ns of midnight in New York on that date.
     */
    public static long midnightEpochNs(final LocalDate tradingDate)
    {
        return tradingDate.atStartOfDay(NEW_YORK).toEpochSecond() * 1_000_000_000L;
    }

    /**
     * @param tradingDate the trading date.
     * @return YYYYMMDD as an int.
     */
    public static int yyyymmdd(final LocalDate tradingDate)
    {
        return tradingDate.getYear() * 10000 + tradingDate.getMonthValue() * 100 + tradingDate.getDayOfMonth();
    }

    /**
     * @param file a file name such as {@code v5.0.20230822_AddOrderNoMPID.pcap} or
     * {@code 08222023.NASDAQ_ITCH50.gz}.
     * @return the date in it, or null.
     */
    public static LocalDate fromFileName(final Path file)
    {
        if (null == file || null == file.getFileName())
        {
            return null;
        }
        final String name = file.getFileName().toString();
        final Matcher ymd = YYYYMMDD.matcher(name);
        while (ymd.find())
        {
            final LocalDate date = date(ymd.group(1), ymd.group(2), ymd.group(3));
            if (null != date)
            {
                return date;
            }
        }
        final Matcher mdy = MMDDYYYY.matcher(name);
        while (mdy.find())
        {
            final LocalDate date = date(mdy.group(3), mdy.group(1), mdy.group(2));
            if (null != date)
            {
                return date;
            }
        }
        return null;
    }

    /**
     * @param epochNs a capture time.
     * @return its date in New York.
     */
    public static LocalDate fromEpochNs(final long epochNs)
    {
        return Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L)).atZone(NEW_YORK).toLocalDate();
    }

    /**
     * Resolve the trading date in the documented order.
     *
     * @param option the --date option, may be null.
     * @param file the input file, may be null.
     * @param firstCaptureTimeNs first capture record time, 0 when none.
     * @return the date.
     */
    public static LocalDate resolve(final LocalDate option, final Path file, final long firstCaptureTimeNs)
    {
        if (null != option)
        {
            return option;
        }
        final LocalDate fromName = fromFileName(file);
        if (null != fromName)
        {
            return fromName;
        }
        if (firstCaptureTimeNs > 0)
        {
            return fromEpochNs(firstCaptureTimeNs);
        }
        final String prop = System.getProperty(io.tickbus.feed.DecoderContext.TRADING_DATE_PROP_NAME);
        return null != prop ? LocalDate.parse(prop) : LocalDate.now(NEW_YORK);
    }

    private static LocalDate date(final String y, final String m, final String d)
    {
        try
        {
            return LocalDate.parse(y + "-" + m + "-" + d);
        }
        catch (final DateTimeParseException ex)
        {
            return null;
        }
    }
}
