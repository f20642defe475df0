package io.tickbus.feed.iex;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Turns venue epoch-nanosecond timestamps into the trading date (YYYYMMDD) of the venue's own time zone, for the
 * {@code tradingDate} of instrument definitions and end-of-session messages. The date comes from the data, not
 * from the clock of the machine that replays it. An offset can move the day boundary (CME's trade date starts at
 * 17:00 Chicago time the evening before).
 * <p>
 * Threading: one thread. Allocation: a few java.time objects when the day changes, nothing otherwise.
 */
public final class TradingDateClock
{
    private final ZoneId zone;
    private final long boundaryShiftNs;
    private long dayStartNs = Long.MAX_VALUE;
    private long dayEndNs = Long.MIN_VALUE;
    private int yyyymmdd;

    /**
     * @param zone the venue's time zone, e.g. America/New_York.
     * @param boundaryShiftNs added to a timestamp before taking its calendar date (0 for IEX, 7 h for CME).
     */
    public TradingDateClock(final ZoneId zone, final long boundaryShiftNs)
    {
        this.zone = zone;
        this.boundaryShiftNs = boundaryShiftNs;
    }

    /**
     * @param epochNs a venue timestamp, epoch ns.
     * @return its trading date as YYYYMMDD, 0 when the timestamp is 0.
     */
    public int tradingDate(final long epochNs)
    {
        if (0 == epochNs)
        {
            return 0;
        }
        final long shifted = epochNs + boundaryShiftNs;
        if (shifted < dayStartNs || shifted >= dayEndNs)
        {
            final LocalDate date = Instant.ofEpochSecond(Math.floorDiv(shifted, 1_000_000_000L)).atZone(zone)
                .toLocalDate();
            final ZonedDateTime start = date.atStartOfDay(zone);
            dayStartNs = start.toEpochSecond() * 1_000_000_000L;
            dayEndNs = start.plusDays(1).toEpochSecond() * 1_000_000_000L;
            yyyymmdd = date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
        }
        return yyyymmdd;
    }
}
