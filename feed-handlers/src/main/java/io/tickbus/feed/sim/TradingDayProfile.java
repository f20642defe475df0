package io.tickbus.feed.sim;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a US equities trading day looks like to the simulator: which symbol the next event is for, and at what time
 * of day it happens.
 * <ul>
 *     <li>Symbols: a Zipf law, weight of the symbol ranked {@code i} (0-based) {@code 1 / (i + 1)^exponent}; with the
 *     default exponent 1 and 8,000 symbols the 300 most active carry about two thirds of the flow, as on a real
 *     NASDAQ day. Drawn by a binary search over the cumulative weights (13 steps for 8,000 symbols).</li>
 *     <li>Time of day: the regular session 09:30 to 16:00 New York, with an intensity of
 *     {@code 1 + OPEN_BURST e^(-u / DECAY) + CLOSE_BURST e^(-(1 - u) / DECAY)} over the session fraction {@code u}
 *     (the U shape of every equities day: heavy at the open and the close). Event {@code k} of {@code n} happens
 *     where the intensity's cumulative share reaches {@code k / n}, so the day always spans the whole session
 *     whatever the count. Events are asked for in order, so a cursor walks the table: amortised O(1).</li>
 * </ul>
 * <p>
 * Threading: one thread (the simulator's). Allocation: the tables, once; nothing per event.
 */
public final class TradingDayProfile
{
    /** Regular session open, ns after midnight New York. */
    public static final long OPEN_NS = TimeUnit.MINUTES.toNanos(9 * 60 + 30);
    /** Regular session close, ns after midnight New York. */
    public static final long CLOSE_NS = TimeUnit.HOURS.toNanos(16);
    /** System hours start (the directory is sent then), ns after midnight. */
    public static final long SYSTEM_START_NS = TimeUnit.HOURS.toNanos(4);
    /** System hours end, ns after midnight. */
    public static final long SYSTEM_END_NS = TimeUnit.HOURS.toNanos(20);
    /** Zipf exponent of symbol activity. */
    public static final double EXPONENT_DEFAULT = 1.0;

    private static final double OPEN_BURST = 6.0;
    private static final double CLOSE_BURST = 4.0;
    private static final double DECAY = 0.03;
    private static final int STEPS = 4096;

    private final double[] cumulativeWeight;
    private final double[] cumulativeTime = new double[STEPS + 1];
    private int cursor;

    /**
     * @param symbols  number of symbols.
     * @param exponent Zipf exponent (0 makes every symbol alike).
     */
    public TradingDayProfile(final int symbols, final double exponent)
    {
        if (symbols < 1 || !(exponent >= 0))
        {
            throw new IllegalArgumentException("symbols >= 1 and exponent >= 0: " + symbols + ", " + exponent);
        }
        cumulativeWeight = new double[symbols];
        double sum = 0;
        for (int i = 0; i < symbols; i++)
        {
            sum += 1.0 / Math.pow(i + 1, exponent);
            cumulativeWeight[i] = sum;
        }
        for (int i = 0; i < symbols; i++)
        {
            cumulativeWeight[i] /= sum;
        }
        double area = 0;
        for (int i = 1; i <= STEPS; i++)
        {
            final double u = (i - 0.5) / STEPS;
            area += intensity(u);
            cumulativeTime[i] = area;
        }
        for (int i = 1; i <= STEPS; i++)
        {
            cumulativeTime[i] /= area;
        }
    }

    /**
     * @param random the simulator's random source.
     * @return the index of the symbol of the next event.
     */
    public int nextSymbol(final SplittableRandom random)
    {
        final double x = random.nextDouble();
        int low = 0;
        int high = cumulativeWeight.length - 1;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (cumulativeWeight[mid] < x)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    /**
     * @param event index of the event, 0-based, asked for in increasing order.
     * @param events events in the whole day.
     * @return its time, ns after midnight New York, in [{@link #OPEN_NS}, {@link #CLOSE_NS}).
     */
    public long timeOfDayNs(final long event, final long events)
    {
        final double share = events <= 0 ? 0 : Math.min(1.0, (double)event / events);
        if (share < cumulativeTime[cursor])
        {
            cursor = 0; // asked out of order: start the walk again
        }
        while (cursor < STEPS && cumulativeTime[cursor + 1] <= share)
        {
            cursor++;
        }
        final double below = cumulativeTime[cursor];
        final double step = cursor < STEPS ? cumulativeTime[cursor + 1] - below : 1;
        final double u = (cursor + (step > 0 ? (share - below) / step : 0)) / STEPS;
        final long t = OPEN_NS + (long)(u * (CLOSE_NS - OPEN_NS));
        return Math.min(t, CLOSE_NS - 1);
    }

    /**
     * @param symbols the first this many symbols (the most active).
     * @return the share of all events they carry.
     */
    public double shareOfTop(final int symbols)
    {
        return symbols <= 0 ? 0 : cumulativeWeight[Math.min(symbols, cumulativeWeight.length) - 1];
    }

    private static double intensity(final double u)
    {
        return 1 + OPEN_BURST * Math.exp(-u / DECAY) + CLOSE_BURST * Math.exp(-(1 - u) / DECAY);
    }
}
