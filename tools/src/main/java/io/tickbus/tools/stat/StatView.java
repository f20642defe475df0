package io.tickbus.tools.stat;

import io.aeron.AeronCounters;
import io.tickbus.client.ComponentErrors;
import io.tickbus.client.strategy.StrategyRunner;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Renders a {@link CounterTable} as the {@code tickbus stat} text view: Streams (one line per channel and stream),
 * then every counter by {@link CounterKinds.Section} with its value and its rate per second since the previous
 * refresh; the Cluster section starts with role, commit position and election per member, the Archive section with
 * one line per recording.
 * <p>
 * Threading: one thread. Allocation: the text of the view per render (a cold path, once per refresh); the table
 * itself allocates only for new counters.
 */
public final class StatView
{
    private static final String NL = System.lineSeparator();

    private final CounterTable table = new CounterTable();
    private final Pattern filter;
    private final StringBuilder sb = new StringBuilder(8192);

    /**
     * @param filter only counters whose label matches (find), and streams whose {@code channel=C stream=S}
     * matches; or null for all.
     */
    public StatView(final Pattern filter)
    {
        this.filter = filter;
    }

    /**
     * @param cnc the driver's counters.
     * @param nowNs monotonic time of the snapshot.
     * @return the view text.
     */
    public String render(final CncCounters cnc, final long nowNs)
    {
        table.refresh(cnc.reader(), nowNs);
        final long heartbeatAgeMs = System.currentTimeMillis() - cnc.driverHeartbeatMs();
        sb.setLength(0);
        sb.append("tickbus stat  ").append(Instant.now()).append("  driver ").append(cnc.directory())
            .append("  pid ").append(cnc.pid()).append("  heartbeat ").append(heartbeatAgeMs).append(" ms ago")
            .append(heartbeatAgeMs > 10_000 ? "  (DRIVER NOT RESPONDING)" : "").append(NL);
        errors(cnc);

        streams();
        counters(CounterKinds.Section.TICKBUS, true);
        cluster();
        archive();
        counters(CounterKinds.Section.STREAMS, true);
        counters(CounterKinds.Section.DRIVER, true);
        counters(CounterKinds.Section.OTHER, true);
        return sb.toString();
    }

    /**
     * One line of error counts, by where their distinct error logs are (read them with {@code tickbus errors}):
     * the driver's (cnc.dat), Tickbus components' (errors files), Aeron Archive's and Aeron Cluster's (mark files).
     */
    private void errors(final CncCounters cnc)
    {
        final CountersReader reader = cnc.reader();
        final long[] sums = new long[4];
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            final int kind = errorKind(typeId, keyBuffer);
            if (kind >= 0)
            {
                sums[kind] += reader.getCounterValue(counterId);
            }
        });
        sb.append("errors  driver ").append(sums[0]).append("  tickbus ").append(sums[1])
            .append("  archive ").append(sums[2]).append("  cluster ").append(sums[3])
            .append(sums[0] + sums[1] + sums[2] + sums[3] > 0 ? "  (details: tickbus errors)" : "").append(NL);
    }

    /**
     * @param typeId a counter's type id.
     * @param keyBuffer its key.
     * @return 0 driver, 1 Tickbus component, 2 archive, 3 cluster; -1 when it is not an errors counter.
     */
    static int errorKind(final int typeId, final DirectBuffer keyBuffer)
    {
        if (AeronCounters.DRIVER_SYSTEM_COUNTER_TYPE_ID == typeId)
        {
            return AeronCounters.SYSTEM_COUNTER_ID_ERRORS == keyBuffer.getInt(0) ? 0 : -1;
        }
        if (ComponentErrors.ERRORS_TYPE_ID == typeId || StrategyRunner.ERRORS_TYPE_ID == typeId)
        {
            return 1;
        }
        if (AeronCounters.ARCHIVE_ERROR_COUNT_TYPE_ID == typeId)
        {
            return 2; // Tickbus's own archive errors counter counts the same errors again: not added
        }
        if (AeronCounters.CLUSTER_CONSENSUS_MODULE_ERROR_COUNT_TYPE_ID == typeId ||
            AeronCounters.CLUSTER_CLUSTERED_SERVICE_ERROR_COUNT_TYPE_ID == typeId)
        {
            return 3;
        }
        return -1;
    }

    /** @return the table of the last render. */
    public CounterTable table()
    {
        return table;
    }

    private void streams()
    {
        final List<StreamStats> streams = table.streams();
        boolean first = true;
        for (int i = 0, n = streams.size(); i < n; i++)
        {
            final StreamStats s = streams.get(i);
            if (!matches(s.description()))
            {
                continue;
            }
            if (first)
            {
                first = false;
                sb.append(NL).append("Streams").append(NL);
                sb.append(String.format(Locale.ROOT, "  %7s %4s %4s %14s %10s %14s %10s %16s %12s %10s %8s %9s %6s %7s  %s%n",
                    "stream", "pubs", "subs", "published", "msg/s", "received", "rcv/s", "bytes", "bytes/s",
                    "back-press", "drops", "malformed", "gaps", "repeats", "channel"));
            }
            sb.append(String.format(Locale.ROOT, "  %7d %4d %4d %,14d %10s %,14d %10s %,16d %12s %,10d %,8d %,9d %,6d %,7d  %s%n",
                s.streamId(), s.publishers(), s.subscribers(),
                s.published(), rate(s.published(), s.previousPublished, s.hasPrevious),
                s.received(), rate(s.received(), s.previousReceived, s.hasPrevious),
                s.bytes(), rate(s.bytes(), s.previousBytes, s.hasPrevious),
                s.backPressure(), s.drops(), s.malformed(), s.gaps(), s.repeats(), s.channel()));
        }
    }

    private void cluster()
    {
        final List<ClusterStats> clusters = table.clusters();
        if (clusters.isEmpty())
        {
            counters(CounterKinds.Section.CLUSTER, true);
            return;
        }
        sb.append(NL).append(CounterKinds.Section.CLUSTER.title()).append(NL);
        sb.append(String.format(Locale.ROOT, "  %7s %-9s %18s %12s %-24s %-11s %6s %9s%n",
            "cluster", "role", "commit position", "commit/s", "election", "module", "term", "elections"));
        for (int i = 0, n = clusters.size(); i < n; i++)
        {
            final ClusterStats c = clusters.get(i);
            sb.append(String.format(Locale.ROOT, "  %7d %-9s %,18d %12s %-24s %-11s %6d %9d%n",
                c.clusterId(), c.roleName(), c.commitPosition(),
                rate(c.commitPosition(), c.previousCommitPosition, c.hasPrevious),
                c.electionStateName(), c.moduleStateName(), c.leadershipTermId(), c.elections()));
        }
        counters(CounterKinds.Section.CLUSTER, false);
    }

    private void archive()
    {
        final List<CounterRow> recordings = table.recordings();
        if (recordings.isEmpty())
        {
            counters(CounterKinds.Section.ARCHIVE, true);
            return;
        }
        sb.append(NL).append(CounterKinds.Section.ARCHIVE.title()).append(NL);
        sb.append(String.format(Locale.ROOT, "  %9s %7s %18s %14s  %s%n",
            "recording", "stream", "position", "bytes/s", "channel"));
        for (int i = 0, n = recordings.size(); i < n; i++)
        {
            final CounterRow r = recordings.get(i);
            sb.append(String.format(Locale.ROOT, "  %9d %7s %,18d %14s  %s%n",
                r.recordingId(), CounterRow.NO_STREAM == r.streamId() ? "-" : Integer.toString(r.streamId()),
                r.value(), rate(r.value(), r.previousValue(), r.hasPrevious()),
                null == r.channel() ? r.label() : r.channel()));
        }
        counters(CounterKinds.Section.ARCHIVE, false);
    }

    private void counters(final CounterKinds.Section section, final boolean heading)
    {
        final List<CounterRow> rows = table.rows();
        boolean first = true;
        for (int i = 0, n = rows.size(); i < n; i++)
        {
            final CounterRow c = rows.get(i);
            if (c.section() != section || !matches(c.label()))
            {
                continue;
            }
            if (first)
            {
                first = false;
                if (heading)
                {
                    sb.append(NL).append(section.title()).append(NL);
                }
                sb.append(String.format(Locale.ROOT, "  %4s %20s %14s  %s%n", "id", "value", "rate/s", "label"));
            }
            sb.append(String.format(Locale.ROOT, "  %4d %,20d %14s  %s%n",
                c.id(), c.value(), rate(c.value(), c.previousValue(), c.hasPrevious()), c.label()));
        }
    }

    private boolean matches(final String text)
    {
        return null == filter || filter.matcher(text).find();
    }

    private String rate(final long current, final long previous, final boolean hasPrevious)
    {
        final double rate = table.rate(current, previous, hasPrevious);
        return Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%,.0f", rate);
    }
}
