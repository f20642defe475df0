package io.tickbus.tools.stat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Prometheus text exposition format (version 0.0.4), written by hand: families with {@code # HELP} and
 * {@code # TYPE}, then their samples, each label set once (counters that fall on the same label set are combined as
 * their {@link PrometheusMetric} says). The format is a few lines of text per family, which is why Tickbus writes it
 * itself rather than adding a client library: the counters are read from the driver's CnC file at scrape time, not
 * kept in a client registry, and the exposition is checked by {@code promtool check metrics} in a test.
 * <p>
 * Threading: one scrape at a time. Allocation: per scrape (a cold path): the families seen, one entry per label set,
 * and the text.
 */
final class PrometheusText
{
    private final Map<PrometheusMetric, Map<String, double[]>> families = new LinkedHashMap<>();

    /**
     * Add one counter's value to a family's sample with these labels.
     *
     * @param metric the family.
     * @param labels its labels without braces, empty for none.
     * @param rawValue the counter's value, before the family's unit conversion.
     */
    void add(final PrometheusMetric metric, final String labels, final long rawValue)
    {
        final Map<String, double[]> samples = families.computeIfAbsent(metric, (m) -> new LinkedHashMap<>());
        final double[] sample = samples.get(labels);
        final double value = 1 == metric.divisor() ? rawValue : (double)rawValue / metric.divisor();
        if (null == sample)
        {
            samples.put(labels, new double[]{PrometheusMetric.Combine.COUNT == metric.combine() ? 1 : value});
            return;
        }
        switch (metric.combine())
        {
            case COUNT -> sample[0] += 1;
            case MAX -> sample[0] = Math.max(sample[0], value);
            default -> sample[0] += value;
        }
    }

    /** @return the exposition text: families in the order first added, each with HELP, TYPE and its samples. */
    String render()
    {
        final StringBuilder out = new StringBuilder(16384);
        for (final Map.Entry<PrometheusMetric, Map<String, double[]>> family : families.entrySet())
        {
            final PrometheusMetric metric = family.getKey();
            out.append("# HELP ").append(metric.name()).append(' ');
            escapeHelp(out, metric.help());
            out.append('\n');
            out.append("# TYPE ").append(metric.name()).append(' ').append(metric.type().text()).append('\n');
            for (final Map.Entry<String, double[]> sample : family.getValue().entrySet())
            {
                out.append(metric.name());
                if (!sample.getKey().isEmpty())
                {
                    out.append('{').append(sample.getKey()).append('}');
                }
                out.append(' ');
                number(out, sample.getValue()[0]);
                out.append('\n');
            }
        }
        return out.toString();
    }

    /**
     * @param out where to write.
     * @param value a sample value: integers without a fraction, others as Java's shortest decimal.
     */
    static void number(final StringBuilder out, final double value)
    {
        if (value == Math.rint(value) && Math.abs(value) < 0x1p53)
        {
            out.append((long)value);
        }
        else
        {
            out.append(value);
        }
    }

    /**
     * @param value a label value.
     * @return it quoted and escaped for the text format.
     */
    static String quote(final String value)
    {
        final StringBuilder sb = new StringBuilder(value.length() + 2);
        sb.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        sb.append('"');
        return sb.toString();
    }

    private static void escapeHelp(final StringBuilder out, final String help)
    {
        for (int i = 0; i < help.length(); i++)
        {
            final char c = help.charAt(i);
            switch (c)
            {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}
