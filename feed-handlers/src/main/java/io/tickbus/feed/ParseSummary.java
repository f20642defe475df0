package io.tickbus.feed;

import org.agrona.collections.Object2LongHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts what a decoder reports and renders the {@code tickbus parse --summary} JSON line:
 * <pre>
 * {"packets":N,"heartbeats":N,"messages":N,"malformed":N,"gaps":N,"byType":{"A":N,...},
 *  "firstTimestamp":T,"lastTimestamp":T}
 * </pre>
 * {@code byType} is keyed by the venue's own type codes, sorted (numerically when every key is a number, as
 * MDP3 template ids are, else by character); the timestamps are the first and last non-zero message exchange
 * time in epoch ns, 0 when none. {@code gaps} counts gap events (not missing sequence numbers; those are in
 * {@link #missingSequences()}).
 * <p>
 * Threading: one thread. Allocation: one map entry per distinct type code, nothing per message after that.
 */
public final class ParseSummary implements FeedStats
{
    private final Object2LongHashMap<String> byType = new Object2LongHashMap<>(0L);
    private final List<String> malformedReasons = new ArrayList<>();
    private final int maxReasonsKept;
    private long packets;
    private long heartbeats;
    private long messages;
    private long malformed;
    private long gaps;
    private long missingSequences;
    private long firstTimestamp;
    private long lastTimestamp;

    /** A summary that keeps the first 100 malformed reasons for diagnostics. */
    public ParseSummary()
    {
        this(100);
    }

    /**
     * @param maxReasonsKept how many malformed reasons (with packet number and offset) to keep.
     */
    public ParseSummary(final int maxReasonsKept)
    {
        this.maxReasonsKept = maxReasonsKept;
    }

    /** {@inheritDoc} */
    public void onPacket()
    {
        packets++;
    }

    /** {@inheritDoc} */
    public void onHeartbeat()
    {
        heartbeats++;
    }

    /** {@inheritDoc} */
    public void onMessage(final String venueType, final long exchangeTimeNs)
    {
        messages++;
        byType.put(venueType, byType.getValue(venueType) + 1);
        if (0 != exchangeTimeNs)
        {
            if (0 == firstTimestamp)
            {
                firstTimestamp = exchangeTimeNs;
            }
            lastTimestamp = exchangeTimeNs;
        }
    }

    /** {@inheritDoc} */
    public void onMalformed(final String reason, final long packetNumber, final long fileOffset)
    {
        malformed++;
        if (malformedReasons.size() < maxReasonsKept)
        {
            malformedReasons.add(reason + " (packet " + packetNumber + ", offset " + fileOffset + ")");
        }
    }

    /** {@inheritDoc} */
    public void onGap(final long fromSeq, final long toSeq)
    {
        gaps++;
        missingSequences += toSeq - fromSeq + 1;
    }

    /** @return transport packets. */
    public long packets()
    {
        return packets;
    }

    /** @return packets without a message. */
    public long heartbeats()
    {
        return heartbeats;
    }

    /** @return venue messages decoded. */
    public long messages()
    {
        return messages;
    }

    /** @return malformed packets or messages skipped. */
    public long malformed()
    {
        return malformed;
    }

    /** @return gap events. */
    public long gaps()
    {
        return gaps;
    }

    /** @return venue sequence numbers missing over all gaps. */
    public long missingSequences()
    {
        return missingSequences;
    }

    /**
     * @param venueType type code.
     * @return messages of that type.
     */
    public long count(final String venueType)
    {
        return byType.getValue(venueType);
    }

    /** @return first message exchange time, epoch ns, 0 when none. */
    public long firstTimestamp()
    {
        return firstTimestamp;
    }

    /** @return last message exchange time, epoch ns, 0 when none. */
    public long lastTimestamp()
    {
        return lastTimestamp;
    }

    /** @return the first malformed reasons, with packet number and offset. */
    public List<String> malformedReasons()
    {
        return malformedReasons;
    }

    /** @return the summary as one line of JSON. */
    public String toJson()
    {
        final List<String> keys = new ArrayList<>(byType.keySet());
        final boolean numeric = keys.stream().allMatch(ParseSummary::isNumber);
        if (numeric)
        {
            keys.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        }
        else
        {
            keys.sort(String::compareTo);
        }

        final StringBuilder sb = new StringBuilder(256);
        sb.append("{\"packets\":").append(packets)
            .append(",\"heartbeats\":").append(heartbeats)
            .append(",\"messages\":").append(messages)
            .append(",\"malformed\":").append(malformed)
            .append(",\"gaps\":").append(gaps)
            .append(",\"byType\":{");
        for (int i = 0; i < keys.size(); i++)
        {
            if (i > 0)
            {
                sb.append(',');
            }
            appendJsonString(sb, keys.get(i));
            sb.append(':').append(byType.getValue(keys.get(i)));
        }
        sb.append("},\"firstTimestamp\":").append(firstTimestamp)
            .append(",\"lastTimestamp\":").append(lastTimestamp)
            .append('}');
        return sb.toString();
    }

    /** {@inheritDoc} */
    public String toString()
    {
        return toJson();
    }

    private static boolean isNumber(final String s)
    {
        if (s.isEmpty() || s.length() > 18)
        {
            return false;
        }
        for (int i = 0; i < s.length(); i++)
        {
            if (!Character.isDigit(s.charAt(i)))
            {
                return false;
            }
        }
        return true;
    }

    private static void appendJsonString(final StringBuilder sb, final String s)
    {
        sb.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if ('"' == c || '\\' == c)
            {
                sb.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                sb.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
