package io.tickbus.client.latency;

import io.tickbus.client.CommonBlock;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.DirectBuffer;

import java.io.File;
import java.io.FileNotFoundException;

/**
 * Latency per {@link Hop} in HdrHistograms: an interval histogram per hop that is rolled into the hop's total and,
 * optionally, appended to an HdrHistogram interval log ({@code .hlog}) tagged with the hop.
 * <p>
 * A hop is recorded only when both its timestamps are set (non-zero). A negative latency (clocks of two hosts
 * disagree) is not recorded but counted in {@link #clockSkewCount()}; a value above the trackable maximum
 * (one hour) is recorded as the maximum and counted in {@link #clampedCount()}.
 * <p>
 * Threading: one thread records and rolls. Allocation: none when recording; rolling an interval into the log
 * encodes (allocates) once per interval per hop.
 */
public final class HopHistograms implements AutoCloseable
{
    /** Highest latency tracked: one hour in nanoseconds. */
    public static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;
    /** Significant decimal digits kept. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private static final Hop[] HOPS = Hop.values();

    private final Histogram[] interval = new Histogram[HOPS.length];
    private final Histogram[] total = new Histogram[HOPS.length];
    private final HistogramLogWriter logWriter;
    private long intervalStartMs;
    private long messages;
    private long clockSkew;
    private long clamped;

    /**
     * @param hlog the interval log to write, or null for none.
     * @param startMs epoch ms the measurement starts at.
     * @throws FileNotFoundException when the log cannot be created.
     */
    public HopHistograms(final File hlog, final long startMs) throws FileNotFoundException
    {
        for (int i = 0; i < HOPS.length; i++)
        {
            interval[i] = new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
            total[i] = new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
            interval[i].setTag(HOPS[i].tag());
            total[i].setTag(HOPS[i].tag());
        }
        intervalStartMs = startMs;
        if (null != hlog)
        {
            logWriter = new HistogramLogWriter(hlog);
            logWriter.outputComment("tickbus latency: one tagged interval histogram per hop, values in ns");
            logWriter.outputLogFormatVersion();
            logWriter.outputStartTime(startMs);
            logWriter.setBaseTime(startMs);
            logWriter.outputLegend();
        }
        else
        {
            logWriter = null;
        }
    }

    /**
     * Record every hop a message's timestamps allow.
     *
     * @param buffer holding the message.
     * @param offset of its message header.
     * @param nowEpochNs when this subscriber saw it.
     */
    public void onMessage(final DirectBuffer buffer, final int offset, final long nowEpochNs)
    {
        messages++;
        final long exchange = CommonBlock.exchangeTime(buffer, offset);
        final long receive = CommonBlock.receiveTime(buffer, offset);
        final long publish = CommonBlock.publishTime(buffer, offset);
        final long sequenced = CommonBlock.sequencerTime(buffer, offset);
        record(Hop.EXCHANGE_RECEIVE, exchange, receive);
        record(Hop.RECEIVE_PUBLISH, receive, publish);
        record(Hop.PUBLISH_SEQUENCED, publish, sequenced);
        record(Hop.EXCHANGE_SUBSCRIBER, exchange, nowEpochNs);
        record(Hop.RECEIVE_SUBSCRIBER, receive, nowEpochNs);
        record(Hop.PUBLISH_SUBSCRIBER, publish, nowEpochNs);
        record(Hop.SEQUENCED_SUBSCRIBER, sequenced, nowEpochNs);
    }

    /**
     * Record one hop from two timestamps, skipping unset ones.
     *
     * @param hop the hop.
     * @param fromNs the earlier time, 0 when unset.
     * @param toNs the later time, 0 when unset.
     */
    public void record(final Hop hop, final long fromNs, final long toNs)
    {
        if (0 == fromNs || 0 == toNs)
        {
            return;
        }
        recordValue(hop, toNs - fromNs);
    }

    /**
     * Record a latency directly.
     *
     * @param hop the hop.
     * @param latencyNs the latency.
     */
    public void recordValue(final Hop hop, final long latencyNs)
    {
        if (latencyNs < 0)
        {
            clockSkew++;
            return;
        }
        long value = latencyNs;
        if (value > HIGHEST_TRACKABLE_NS)
        {
            clamped++;
            value = HIGHEST_TRACKABLE_NS;
        }
        interval[hop.ordinal()].recordValue(value);
    }

    /**
     * End the current interval: add it to the totals and write it to the log (hops with samples only).
     *
     * @param nowMs epoch ms the interval ends at.
     */
    public void rollInterval(final long nowMs)
    {
        for (int i = 0; i < HOPS.length; i++)
        {
            final Histogram h = interval[i];
            if (h.getTotalCount() > 0)
            {
                h.setStartTimeStamp(intervalStartMs);
                h.setEndTimeStamp(nowMs);
                if (null != logWriter)
                {
                    logWriter.outputIntervalHistogram(h);
                }
                total[i].add(h);
                h.reset();
            }
        }
        intervalStartMs = nowMs;
    }

    /**
     * @param hop the hop.
     * @return its histogram over every rolled interval (roll first to include the current one).
     */
    public Histogram total(final Hop hop)
    {
        return total[hop.ordinal()];
    }

    /** @return messages seen. */
    public long messages()
    {
        return messages;
    }

    /** @return latencies that came out negative and were skipped. */
    public long clockSkewCount()
    {
        return clockSkew;
    }

    /** @return latencies above one hour, recorded as one hour. */
    public long clampedCount()
    {
        return clamped;
    }

    /** Close the interval log, if any. */
    public void close()
    {
        if (null != logWriter)
        {
            logWriter.close();
        }
    }
}
