package io.tickbus.tools.stat;

/**
 * One Prometheus metric family that {@code tickbus stat --prometheus} serves: its name, type and HELP text, the unit
 * conversion from the counter's raw value (nanoseconds become seconds), which labels its samples carry, and how the
 * counters that fall on one label set are combined (Prometheus rejects two samples with the same name and labels).
 * <p>
 * Threading: immutable. Allocation: once per family, at class initialisation of {@link PrometheusMetrics}.
 */
public final class PrometheusMetric
{
    /** Prometheus metric types, as the text format spells them. */
    public enum Type
    {
        /** Only goes up (resets when its process restarts); name ends in {@code _total}. */
        COUNTER("counter"),
        /** Goes up and down. */
        GAUGE("gauge"),
        /** A Tickbus counter not yet described here: name derived from its label. */
        UNTYPED("untyped");

        private final String text;

        Type(final String text)
        {
            this.text = text;
        }

        /** @return the type as {@code # TYPE} writes it. */
        public String text()
        {
            return text;
        }
    }

    /** The labels a family's samples carry, all of bounded cardinality. */
    public enum Labels
    {
        /** None: the counters of this type on the driver are summed. */
        NONE,
        /** {@code channel} (canonical, or {@code internal}) and {@code stream}. */
        STREAM,
        /** {@code feed}: the feed handler's name. */
        FEED,
        /** {@code feed} and {@code line} (A, B, ...): one of a feed handler's A/B lines. */
        FEED_LINE,
        /** {@code member}: the sequencer's cluster member id. */
        MEMBER,
        /** {@code feed_id}: the sequencer client's feed id. */
        FEED_ID,
        /** {@code cluster_id}. */
        CLUSTER,
        /** {@code name}: an Aeron client's name. */
        CLIENT_NAME,
        /** {@code version}: the driver's Aeron version. */
        VERSION,
        /** {@code status}: a channel endpoint's status (active, errored, ...). */
        CHANNEL_STATUS,
        /** {@code path}: the driver directory or an archive directory. */
        PATH
    }

    /** How counters that map to one label set combine. */
    public enum Combine
    {
        /** Add their values. */
        SUM,
        /** The largest value. */
        MAX,
        /** How many counters there are (the value is ignored). */
        COUNT
    }

    private final String name;
    private final Type type;
    private final String help;
    private final long divisor;
    private final Labels labels;
    private final Combine combine;

    PrometheusMetric(
        final String name,
        final Type type,
        final String help,
        final long divisor,
        final Labels labels,
        final Combine combine)
    {
        if (Type.COUNTER == type != name.endsWith("_total"))
        {
            throw new IllegalArgumentException("a counter's name, and only a counter's, ends in _total: " + name);
        }
        this.name = name;
        this.type = type;
        this.help = help;
        this.divisor = divisor;
        this.labels = labels;
        this.combine = combine;
    }

    /** @return metric name. */
    public String name()
    {
        return name;
    }

    /** @return metric type. */
    public Type type()
    {
        return type;
    }

    /** @return HELP text. */
    public String help()
    {
        return help;
    }

    /** @return what the counter's raw value is divided by for the metric's unit (1, or 10^9 for nanoseconds). */
    public long divisor()
    {
        return divisor;
    }

    /** @return the labels its samples carry. */
    public Labels labels()
    {
        return labels;
    }

    /** @return how counters on one label set combine. */
    public Combine combine()
    {
        return combine;
    }
}
