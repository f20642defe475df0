package io.tickbus.tools.latency;

import io.tickbus.tools.Json;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders latency histograms for operators: the percentile table (p50, p90, p99, p99.9, p99.99, max, count) in
 * microseconds, the same as one JSON line in nanoseconds, {@code .hgrm} percentile distributions (HdrHistogram's
 * own text format, values in microseconds) and the side-by-side comparison of two runs with ratios.
 * <p>
 * Stateless; allocates freely (run once at the end of a measurement).
 */
public final class LatencyReport
{
    /** The percentiles shown, in percent. */
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    private static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99.9", "p99.99"};

    private LatencyReport()
    {
    }

    /**
     * @param histograms by hop label, in display order; empty histograms are skipped.
     * @return the table, one header line and one line per hop, values in microseconds.
     */
    public static String table(final Map<String, Histogram> histograms)
    {
        final StringBuilder sb = new StringBuilder(512);
        sb.append(String.format(Locale.ROOT, "%-22s %10s %10s %10s %10s %10s %10s %12s%n",
            "hop (us)", "p50", "p90", "p99", "p99.9", "p99.99", "max", "count"));
        for (final Map.Entry<String, Histogram> e : histograms.entrySet())
        {
            final Histogram h = e.getValue();
            if (0 == h.getTotalCount())
            {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%-22s", e.getKey()));
            for (final double p : PERCENTILES)
            {
                sb.append(String.format(Locale.ROOT, " %10.3f", h.getValueAtPercentile(p) / 1000.0));
            }
            sb.append(String.format(Locale.ROOT, " %10.3f %12d%n", h.getMaxValue() / 1000.0, h.getTotalCount()));
        }
        return sb.toString();
    }

    /**
     * @param histograms by hop label; empty histograms are skipped.
     * @param messages messages measured.
     * @param clockSkew latencies skipped as negative.
     * @return {@code {"messages":N,"clockSkew":N,"hops":{"publish->subscriber":{"count":N,"p50":ns,...,"max":ns}}}}.
     */
    public static String json(final Map<String, Histogram> histograms, final long messages, final long clockSkew)
    {
        final StringBuilder sb = new StringBuilder(512);
        sb.append("{\"messages\":").append(messages).append(",\"clockSkew\":").append(clockSkew).append(",\"hops\":{");
        boolean first = true;
        for (final Map.Entry<String, Histogram> e : histograms.entrySet())
        {
            final Histogram h = e.getValue();
            if (0 == h.getTotalCount())
            {
                continue;
            }
            sb.append(first ? "" : ",");
            first = false;
            Json.appendString(sb, e.getKey()).append(":{\"count\":").append(h.getTotalCount());
            for (int i = 0; i < PERCENTILES.length; i++)
            {
                sb.append(",\"").append(PERCENTILE_NAMES[i]).append("\":").append(h.getValueAtPercentile(PERCENTILES[i]));
            }
            sb.append(",\"max\":").append(h.getMaxValue()).append('}');
        }
        return sb.append("}}").toString();
    }

    /**
     * Write one {@code .hgrm} per non-empty hop: {@code base} itself when there is one, else {@code NAME.TAG.hgrm}.
     *
     * @param base the path the operator gave, e.g. {@code run.hgrm}.
     * @param histograms by hop tag.
     * @return the files written.
     * @throws IOException when a file cannot be written.
     */
    public static List<Path> writeHgrm(final Path base, final Map<String, Histogram> histograms) throws IOException
    {
        final List<Map.Entry<String, Histogram>> nonEmpty = new ArrayList<>();
        for (final Map.Entry<String, Histogram> e : histograms.entrySet())
        {
            if (e.getValue().getTotalCount() > 0)
            {
                nonEmpty.add(e);
            }
        }
        final List<Path> written = new ArrayList<>();
        for (final Map.Entry<String, Histogram> e : nonEmpty)
        {
            final Path file = 1 == nonEmpty.size() ? base : withTag(base, e.getKey());
            try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, "US-ASCII"))
            {
                e.getValue().outputPercentileDistribution(out, 5, 1000.0);
            }
            written.add(file);
        }
        return written;
    }

    static Path withTag(final Path base, final String tag)
    {
        final String name = base.getFileName().toString();
        final int dot = name.lastIndexOf('.');
        final String stem = dot > 0 ? name.substring(0, dot) : name;
        final String ext = dot > 0 ? name.substring(dot) : ".hgrm";
        return base.resolveSibling(stem + "." + tag + ext);
    }

    /**
     * Two runs side by side: per hop present in either, the percentiles of A and B and the ratio B / A.
     *
     * @param nameA first run's name.
     * @param a first run's histograms by tag.
     * @param nameB second run's name.
     * @param b second run's histograms by tag.
     * @return the comparison, values in microseconds.
     */
    public static String compare(
        final String nameA, final Map<String, Histogram> a, final String nameB, final Map<String, Histogram> b)
    {
        final Set<String> tags = new LinkedHashSet<>(a.keySet());
        tags.addAll(b.keySet());
        final StringBuilder sb = new StringBuilder(1024);
        sb.append("A = ").append(nameA).append(System.lineSeparator());
        sb.append("B = ").append(nameB).append(System.lineSeparator());
        for (final String tag : tags)
        {
            final Histogram ha = a.get(tag);
            final Histogram hb = b.get(tag);
            sb.append(System.lineSeparator()).append(tag).append(System.lineSeparator());
            sb.append(String.format(Locale.ROOT, "  %-8s %14s %14s %10s%n", "(us)", "A", "B", "B/A"));
            for (int i = 0; i < PERCENTILES.length; i++)
            {
                row(sb, PERCENTILE_NAMES[i], valueAt(ha, PERCENTILES[i]), valueAt(hb, PERCENTILES[i]), true);
            }
            row(sb, "max", null == ha ? -1 : ha.getMaxValue(), null == hb ? -1 : hb.getMaxValue(), true);
            row(sb, "count", null == ha ? -1 : ha.getTotalCount(), null == hb ? -1 : hb.getTotalCount(), false);
        }
        return sb.toString();
    }

    private static long valueAt(final Histogram h, final double percentile)
    {
        return null == h || 0 == h.getTotalCount() ? -1 : h.getValueAtPercentile(percentile);
    }

    private static void row(final StringBuilder sb, final String name, final long a, final long b, final boolean us)
    {
        sb.append(String.format(Locale.ROOT, "  %-8s %14s %14s %10s%n", name, cell(a, us), cell(b, us),
            a > 0 && b >= 0 ? String.format(Locale.ROOT, "%.2fx", (double)b / a) : "-"));
    }

    private static String cell(final long value, final boolean us)
    {
        if (value < 0)
        {
            return "-";
        }
        return us ? String.format(Locale.ROOT, "%.3f", value / 1000.0) : Long.toString(value);
    }
}
