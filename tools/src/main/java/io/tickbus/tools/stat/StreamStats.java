package io.tickbus.tools.stat;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

/**
 * The rollup of one (channel, stream id) in a {@link CounterTable}: publishers and subscribers (Aeron's
 * {@code pub-lmt} and {@code sub-pos} registrations, or the Tickbus publisher and subscriber counters when there are
 * more of those), messages published and received, bytes (the furthest position of each session), back-pressure,
 * drops, malformed messages and, on sequenced streams, the subscribers' gaps and dropped repeats, with the previous refresh's values for rates.
 * <p>
 * Threading: owned by the thread of its table. Allocation: none per refresh once its sets have grown.
 */
public final class StreamStats
{
    final String channel;
    final int streamId;
    final String description;
    final String prometheusLabels;
    final LongHashSet publications = new LongHashSet();
    final LongHashSet subscriptions = new LongHashSet();
    final Long2LongHashMap positionBySession = new Long2LongHashMap(0);
    long generation;
    int tickbusPublishers;
    int tickbusSubscribers;
    long published;
    long received;
    long bytes;
    long backPressure;
    long drops;
    long malformed;
    long gaps;
    long repeats;
    long previousPublished;
    long previousReceived;
    long previousBytes;
    boolean hasPrevious;

    StreamStats(final String channel, final int streamId)
    {
        this.channel = channel;
        this.streamId = streamId;
        this.description = "channel=" + channel + " stream=" + streamId;
        this.prometheusLabels = "channel=" + PrometheusEndpoint.quote(channel) + ",stream=\"" + streamId + "\"";
    }

    void reset()
    {
        hasPrevious = true;
        previousPublished = published;
        previousReceived = received;
        previousBytes = bytes;
        publications.clear();
        subscriptions.clear();
        positionBySession.clear();
        tickbusPublishers = 0;
        tickbusSubscribers = 0;
        published = 0;
        received = 0;
        bytes = 0;
        backPressure = 0;
        drops = 0;
        malformed = 0;
        gaps = 0;
        repeats = 0;
    }

    void position(final int sessionId, final long position)
    {
        if (position > positionBySession.get(sessionId))
        {
            positionBySession.put(sessionId, position);
        }
    }

    void conclude()
    {
        long sum = 0;
        final Long2LongHashMap.ValueIterator values = positionBySession.values().iterator();
        while (values.hasNext())
        {
            sum += values.nextValue();
        }
        bytes = sum;
    }

    /** @return channel. */
    public String channel()
    {
        return channel;
    }

    /** @return stream id. */
    public int streamId()
    {
        return streamId;
    }

    /** @return {@code channel=C stream=S}, as the Tickbus counters' labels say it. */
    public String description()
    {
        return description;
    }

    /** @return publications on this driver. */
    public int publishers()
    {
        return Math.max(publications.size(), tickbusPublishers);
    }

    /** @return subscriptions on this driver. */
    public int subscribers()
    {
        return Math.max(subscriptions.size(), tickbusSubscribers);
    }

    /** @return messages published by Tickbus publishers. */
    public long published()
    {
        return published;
    }

    /** @return messages received, summed over Tickbus subscribers. */
    public long received()
    {
        return received;
    }

    /** @return bytes: the furthest position of each session, summed. */
    public long bytes()
    {
        return bytes;
    }

    /** @return offers refused as back-pressured plus the driver's sender back-pressure events. */
    public long backPressure()
    {
        return backPressure;
    }

    /** @return messages not published: not connected, dropped by policy, closed, max position. */
    public long drops()
    {
        return drops;
    }

    /** @return fragments subscribers could not decode. */
    public long malformed()
    {
        return malformed;
    }

    /** @return jumps over global sequences seen by subscribers (sequenced streams): loss beyond recovery. */
    public long gaps()
    {
        return gaps;
    }

    /** @return sequenced messages subscribers dropped as already delivered (the other members' copies). */
    public long repeats()
    {
        return repeats;
    }
}
