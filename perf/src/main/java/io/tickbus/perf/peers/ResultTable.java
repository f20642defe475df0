package io.tickbus.perf.peers;

import java.util.List;
import java.util.Locale;

/**
 * Formats the comparison as one Markdown table: percentiles of the round trip in microseconds, throughput, loss,
 * the ratios to raw Aeron IPC and to Tickbus direct IPC of the same message size, and the load average.
 * <p>
 * Threading: stateless. Allocates the text.
 */
public final class ResultTable
{
    private ResultTable()
    {
    }

    /**
     * @param results in run order.
     * @return the table, with notes for short samples, errors and drops the systems reported.
     */
    public static String markdown(final List<CaseResult> results)
    {
        final StringBuilder out = new StringBuilder();
        out.append("| system | transport | size B | rate/s | p50 us | p90 us | p99 us | p99.9 us | max us | samples |")
            .append(" msgs/s | lost | p50 / raw IPC | p50 / Tickbus IPC | Tickbus IPC msgs/s / this | load |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        final StringBuilder notes = new StringBuilder();
        for (final CaseResult r : results)
        {
            final CaseResult raw = baseline(results, "raw Aeron", r.size());
            final CaseResult tickbus = baseline(results, "Tickbus direct", r.size());
            out.append(String.format(Locale.ROOT,
                "| %s | %s | %d | %d | %s | %s | %s | %s | %s | %d | %s | %s | %s | %s | %s | %.2f |%n",
                r.system(), r.transport(), r.size(), r.rate(), us(r.micros(50)), us(r.micros(90)), us(r.micros(99)),
                us(r.micros(99.9)), us(r.micros(100)), null == r.latency() ? 0 : r.latency().getTotalCount(),
                r.sent() > 0 ? String.format(Locale.ROOT, "%,.0f", r.throughput()) : "-",
                r.sent() > 0 ? lost(r) : "-",
                ratio(r.micros(50), null == raw ? Double.NaN : raw.micros(50)),
                ratio(r.micros(50), null == tickbus ? Double.NaN : tickbus.micros(50)),
                r.sent() > 0 && null != tickbus ? ratio(tickbus.throughput(), r.throughput()) : "-",
                r.loadAverage()));
            final String label = r.system() + " " + r.transport() + " " + r.size() + " B " + r.rate() + "/s: ";
            if (!r.latencyNote().isEmpty())
            {
                notes.append("- ").append(label).append(r.latencyNote()).append('\n');
            }
            if (r.pongsLost() > 0)
            {
                notes.append("- ").append(label).append(r.pongsLost()).append(" of ").append(r.pingsSent())
                    .append(" pings got no pong\n");
            }
            if (r.reportedDrops() > 0)
            {
                notes.append("- ").append(label).append("the client reported ").append(r.reportedDrops())
                    .append(" messages dropped\n");
            }
            if (!r.error().isEmpty())
            {
                notes.append("- ").append(label).append("failed: ").append(r.error()).append('\n');
            }
        }
        if (notes.length() > 0)
        {
            out.append('\n').append(notes);
        }
        return out.toString();
    }

    private static CaseResult baseline(final List<CaseResult> results, final String system, final int size)
    {
        for (final CaseResult r : results)
        {
            if (r.system().equals(system) && r.transport().equals("ipc") && r.size() == size && r.error().isEmpty())
            {
                return r;
            }
        }
        return null;
    }

    private static String lost(final CaseResult r)
    {
        final long lost = r.lost();
        return 0 == lost ? "0" : String.format(Locale.ROOT, "%,d (%.1f%%)", lost, 100.0 * lost / r.sent());
    }

    private static String us(final double value)
    {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, value < 100 ? "%.2f" : "%.0f", value);
    }

    private static String ratio(final double value, final double base)
    {
        return Double.isNaN(value) || Double.isNaN(base) || 0 == base ?
            "-" : String.format(Locale.ROOT, "%.2fx", value / base);
    }
}
