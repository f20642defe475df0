package io.tickbus.tools.stat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders counter snapshots as the {@code tickbus stat} text view: one section per {@link CounterKinds.Section},
 * each counter with its value and its rate per second since the previous snapshot.
 * <p>
 * Threading: one thread. Allocation: per render (a cold path, once per refresh).
 */
public final class StatView
{
    private final Map<Long, long[]> previous = new HashMap<>();
    private final Pattern filter;
    private long previousNs;

    /**
     * @param filter only counters whose label matches (find), or null for all.
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
        final List<CncCounters.Counter> counters = cnc.snapshot();
        final double seconds = 0 == previousNs ? 0 : (nowNs - previousNs) / 1e9;
        final Map<CounterKinds.Section, List<String>> sections = new EnumMap<>(CounterKinds.Section.class);
        final Map<Long, long[]> current = new HashMap<>();
        for (final CncCounters.Counter c : counters)
        {
            current.put(c.registrationId(), new long[]{c.value()});
            if (null != filter && !filter.matcher(c.label()).find())
            {
                continue;
            }
            final long[] before = previous.get(c.registrationId());
            final String rate = seconds > 0 && null != before ?
                String.format(Locale.ROOT, "%,.0f", (c.value() - before[0]) / seconds) : "";
            sections.computeIfAbsent(CounterKinds.section(c.typeId()), (s) -> new ArrayList<>()).add(
                String.format(Locale.ROOT, "  %4d %20s %14s  %s", c.id(), String.format(Locale.ROOT, "%,d", c.value()),
                    rate, c.label()));
        }
        previous.clear();
        previous.putAll(current);
        previousNs = nowNs;

        final long heartbeatAgeMs = System.currentTimeMillis() - cnc.driverHeartbeatMs();
        final StringBuilder sb = new StringBuilder(4096);
        sb.append("tickbus stat  ").append(Instant.now()).append("  driver ").append(cnc.directory())
            .append("  pid ").append(cnc.pid()).append("  heartbeat ").append(heartbeatAgeMs).append(" ms ago")
            .append(heartbeatAgeMs > 10_000 ? "  (DRIVER NOT RESPONDING)" : "").append(System.lineSeparator());
        for (final Map.Entry<CounterKinds.Section, List<String>> e : sections.entrySet())
        {
            sb.append(System.lineSeparator()).append(e.getKey().title()).append(System.lineSeparator());
            sb.append(String.format(Locale.ROOT, "  %4s %20s %14s  %s%n", "id", "value", "rate/s", "label"));
            for (final String line : e.getValue())
            {
                sb.append(line).append(System.lineSeparator());
            }
        }
        return sb.toString();
    }
}
