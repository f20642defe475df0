package io.tickbus.tools.stat;

/**
 * One allocated counter as a {@link CounterTable} keeps it between refreshes: its label and what was parsed from it
 * (channel, stream, session, cluster or recording id, Prometheus family and labels) are read once per counter
 * life, only its value changes per refresh.
 * <p>
 * Threading: owned by the thread of its table. Allocation: strings at creation only.
 */
public final class CounterRow
{
    /** {@link #streamId()} when the counter is not about a stream. */
    public static final int NO_STREAM = Integer.MIN_VALUE;

    int id;
    long registrationId;
    int typeId;
    int labelLength;
    String label;
    long value;
    long previousValue;
    boolean hasPrevious;
    long generation;
    CounterKinds.Section section;
    String channel;
    int streamId = NO_STREAM;
    int sessionId;
    long keyRegistrationId;
    long recordingId;
    int clusterId;
    int key;
    PrometheusMetric metric;
    String prometheusLabels;
    StreamStats stream;

    /** @return counter id (reused after a counter is freed). */
    public int id()
    {
        return id;
    }

    /** @return registration id (unique per driver run). */
    public long registrationId()
    {
        return registrationId;
    }

    /** @return counter type id. */
    public int typeId()
    {
        return typeId;
    }

    /** @return the counter's label. */
    public String label()
    {
        return label;
    }

    /** @return value at the last refresh. */
    public long value()
    {
        return value;
    }

    /** @return value at the refresh before, when {@link #hasPrevious()}. */
    public long previousValue()
    {
        return previousValue;
    }

    /** @return true when the counter was also seen at the refresh before. */
    public boolean hasPrevious()
    {
        return hasPrevious;
    }

    /** @return the view section it shows in. */
    public CounterKinds.Section section()
    {
        return section;
    }

    /** @return channel named by the counter, or null. */
    public String channel()
    {
        return channel;
    }

    /** @return stream id named by the counter, or {@link #NO_STREAM}. */
    public int streamId()
    {
        return streamId;
    }

    /** @return recording id of an archive recording-position counter. */
    public long recordingId()
    {
        return recordingId;
    }

    /** @return its Prometheus family, or null when it is not exported. */
    public PrometheusMetric metric()
    {
        return metric;
    }

    /** @return the stream rollup the counter belongs to, or null. */
    public StreamStats stream()
    {
        return stream;
    }

    /**
     * @return its Prometheus labels, without braces, as far as they do not depend on its stream (see
     * {@link StreamStats#prometheusLabels()}); empty when it has none.
     */
    public String prometheusLabels()
    {
        return prometheusLabels;
    }
}
