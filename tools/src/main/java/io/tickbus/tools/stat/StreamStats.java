package io.tickbus.tools.stat;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

/**
 * The rollup of one (channel, stream id) in a {@link CounterTable}: publishers and subscribers (Aeron's
 * {@code pub-lmt} and {@code sub-pos} registrations, or the Tickbus publisher and subscriber counters when there are
 * more of those), messages published and received, bytes (the furthest position of each session), back-pressure,
 * drops, malformed messages, on sequenced streams the subscribers' gaps and dropped repeats, and the archive's
 * recordings of it (count, position, lag), with the previous refresh's values for rates. Its channel is the
 * {@link #canonicalChannel(String) canonical} one.
 * <p>
 * Threading: owned by the thread of its table. Allocation: none per refresh once its sets have grown.
 */
public final class StreamStats
{
    /** The {@code channel} label value of Aeron's internal streams. */
    public static final String INTERNAL_CHANNEL = "internal";

    /**
     * Channel URI parameters that differ per session or per restart of the same stream (a replay's or a cluster
     * log's {@code session-id}, a rejoined log's term parameters): removed from a channel before it names a stream.
     */
    private static final String[] VOLATILE_PARAMS = {"session-id", "init-term-id", "term-id", "term-offset"};

    final String channel;
    final int streamId;
    final String description;
    final String streamLabels;
    final String internalLabels;
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
    int recordings;
    long recordedPosition;
    long recordingLag;
    long previousPublished;
    long previousReceived;
    long previousBytes;
    boolean hasPrevious;

    StreamStats(final String channel, final int streamId)
    {
        this.channel = channel;
        this.streamId = streamId;
        this.description = "channel=" + channel + " stream=" + streamId;
        this.streamLabels = "channel=" + PrometheusText.quote(channel) + ",stream=\"" + streamId + "\"";
        this.internalLabels = "channel=\"" + INTERNAL_CHANNEL + "\",stream=\"" + streamId + "\"";
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
        recordings = 0;
        recordedPosition = 0;
        recordingLag = 0;
    }

    void position(final int sessionId, final long position)
    {
        if (position > positionBySession.get(sessionId))
        {
            positionBySession.put(sessionId, position);
        }
    }

    void recording(final long position)
    {
        recordings++;
        recordedPosition += position;
    }

    void recordingLag(final int sessionId, final long position)
    {
        recordingLag += Math.max(0, positionBySession.get(sessionId) - position);
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

    /**
     * @param channel a channel URI as a counter's label gives it.
     * @return the channel without the {@link #VOLATILE_PARAMS parameters} that differ per session, so that every
     * session of a stream falls on one rollup; unchanged when it has none.
     */
    public static String canonicalChannel(final String channel)
    {
        final int query = channel.indexOf('?');
        if (query < 0 || !hasVolatileParam(channel, query))
        {
            return channel;
        }
        final StringBuilder sb = new StringBuilder(channel.length());
        sb.append(channel, 0, query + 1);
        int start = query + 1;
        boolean first = true;
        while (start <= channel.length())
        {
            int end = channel.indexOf('|', start);
            end = end < 0 ? channel.length() : end;
            final String param = channel.substring(start, end);
            if (!isVolatile(param) && !param.isEmpty())
            {
                if (!first)
                {
                    sb.append('|');
                }
                sb.append(param);
                first = false;
            }
            start = end + 1;
        }
        if (first)
        {
            sb.setLength(query);
        }
        return sb.toString();
    }

    private static boolean hasVolatileParam(final String channel, final int query)
    {
        for (final String param : VOLATILE_PARAMS)
        {
            final int at = channel.indexOf(param + "=", query);
            if (at > 0 && (channel.charAt(at - 1) == '?' || channel.charAt(at - 1) == '|'))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean isVolatile(final String param)
    {
        for (final String name : VOLATILE_PARAMS)
        {
            if (param.startsWith(name) && param.length() > name.length() && param.charAt(name.length()) == '=')
            {
                return true;
            }
        }
        return false;
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

    /**
     * @return true when no Tickbus publisher, subscriber or archive recording names this stream: one of Aeron's own
     * (archive control and replay, cluster log and consensus), whose channels carry session ids and ephemeral ports.
     */
    public boolean isInternal()
    {
        return 0 == tickbusPublishers && 0 == tickbusSubscribers && 0 == recordings;
    }

    /**
     * @return its Prometheus labels without braces: {@code channel} and {@code stream}, the channel
     * {@value #INTERNAL_CHANNEL} for an {@link #isInternal() internal} stream, so that internal channels, which
     * multiply with every replay and restart, add up to one series per stream id.
     */
    public String prometheusLabels()
    {
        return isInternal() ? internalLabels : streamLabels;
    }

    /** @return active archive recordings of the stream on this driver. */
    public int recordings()
    {
        return recordings;
    }

    /** @return recorded position of those recordings, summed. */
    public long recordedPosition()
    {
        return recordedPosition;
    }

    /** @return bytes the stream's sessions are ahead of their recordings, summed over the recorded sessions. */
    public long recordingLag()
    {
        return recordingLag;
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
