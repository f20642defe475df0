package io.tickbus.perf.peers;

import org.HdrHistogram.Histogram;

/**
 * What one case measured: round-trip latency (corrected for coordinated omission) and one-way throughput.
 *
 * @param system the system's name.
 * @param transport the transport.
 * @param size the encoded message length in bytes.
 * @param rate the ping rate per second.
 * @param latency round trips, nanoseconds, warm-up excluded (null when the case failed).
 * @param pingsSent pings sent, warm-up and probes excluded.
 * @param pongsLost pings sent without a pong back by the end of the drain.
 * @param latencyNote why the latency sample is short, or empty.
 * @param throughput messages delivered per second (0 when not measured).
 * @param sent messages accepted by the publisher in the throughput run.
 * @param received messages delivered to the consumer.
 * @param reportedDrops drops the system itself reports, or -1.
 * @param loadAverage the 1-minute load average at the end of the case.
 * @param error why the case failed, or empty.
 */
public record CaseResult(
    String system,
    String transport,
    int size,
    int rate,
    Histogram latency,
    long pingsSent,
    long pongsLost,
    String latencyNote,
    double throughput,
    long sent,
    long received,
    long reportedDrops,
    double loadAverage,
    String error)
{
    /**
     * @param percentile to read.
     * @return the round trip at that percentile in microseconds, or NaN when not measured.
     */
    public double micros(final double percentile)
    {
        if (null == latency || 0 == latency.getTotalCount())
        {
            return Double.NaN;
        }
        return (percentile >= 100 ? latency.getMaxValue() : latency.getValueAtPercentile(percentile)) / 1000.0;
    }

    /**
     * @return messages sent but not delivered in the throughput run.
     */
    public long lost()
    {
        return sent - received;
    }
}
