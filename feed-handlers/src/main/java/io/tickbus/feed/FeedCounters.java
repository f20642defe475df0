package io.tickbus.feed;

import io.aeron.Aeron;
import io.tickbus.client.TickbusCounters;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.concurrent.TimeUnit;

/**
 * {@link FeedStats} as Aeron counters, one set per running feed handler, so that {@code tickbus stat} and
 * AeronStat show what an operator asks about: packets, heartbeats, messages, malformed, gaps, published, dropped.
 * <p>
 * A malformed packet is also reported to the {@link ErrorHandler} with its reason, packet number and file offset,
 * rate-limited to {@link #MAX_REPORTS_PER_SECOND} a second (the counter always counts every one); a gap is
 * reported the same way.
 * <p>
 * Threading: counters are written by the handler thread, read by any process. Allocation: none per message;
 * one exception per reported (rate-limited) malformed packet.
 */
public final class FeedCounters implements FeedStats, AutoCloseable
{
    /** Counter type id: transport packets received. */
    public static final int PACKETS_TYPE_ID = TickbusCounters.FEED_HANDLER_BASE;
    /** Counter type id: venue messages decoded. */
    public static final int MESSAGES_TYPE_ID = TickbusCounters.FEED_HANDLER_BASE + 1;
    /** Counter type id: malformed packets or messages skipped. */
    public static final int MALFORMED_TYPE_ID = TickbusCounters.FEED_HANDLER_BASE + 2;
    /** Counter type id: venue sequence gaps. */
    public static final int GAPS_TYPE_ID = TickbusCounters.FEED_HANDLER_BASE + 3;
    /** Counter type id: normalized messages accepted by the sink. */
    public static final int PUBLISHED_TYPE_ID = TickbusCounters.FEED_HANDLER_BASE + 4;
    /** Counter type id: normalized messages the sink refused or dropped. */
    public static final int DROPPED_TYPE_ID = TickbusCounters.FEED_HANDLER_BASE + 5;
    /** Counter type id: packets without messages (heartbeats). */
    public static final int HEARTBEATS_TYPE_ID = TickbusCounters.FEED_HANDLER_BASE + 6;
    /** Malformed / gap reports to the error handler per second at most. */
    public static final int MAX_REPORTS_PER_SECOND = 10;

    private final AtomicCounter packets;
    private final AtomicCounter messages;
    private final AtomicCounter malformed;
    private final AtomicCounter gaps;
    private final AtomicCounter published;
    private final AtomicCounter dropped;
    private final AtomicCounter heartbeats;
    private final ErrorHandler errorHandler;
    private final NanoClock clock;
    private final String name;
    private long windowStartNs;
    private int reportsInWindow;
    private long suppressed;

    /**
     * @param aeron client that allocates the counters.
     * @param name handler name used in the labels, e.g. "itch5 feed 1".
     * @param errorHandler where malformed packets and gaps are reported.
     */
    public FeedCounters(final Aeron aeron, final String name, final ErrorHandler errorHandler)
    {
        this(aeron, name, errorHandler, new SystemNanoClock());
    }

    /**
     * @param aeron client that allocates the counters.
     * @param name handler name used in the labels.
     * @param errorHandler where malformed packets and gaps are reported.
     * @param clock for the report rate limit.
     */
    public FeedCounters(final Aeron aeron, final String name, final ErrorHandler errorHandler, final NanoClock clock)
    {
        this.name = name;
        this.errorHandler = errorHandler;
        this.clock = clock;
        final String suffix = ": " + name;
        packets = aeron.addCounter(PACKETS_TYPE_ID, "tickbus-feed packets" + suffix);
        messages = aeron.addCounter(MESSAGES_TYPE_ID, "tickbus-feed messages" + suffix);
        malformed = aeron.addCounter(MALFORMED_TYPE_ID, "tickbus-feed malformed" + suffix);
        gaps = aeron.addCounter(GAPS_TYPE_ID, "tickbus-feed gaps" + suffix);
        published = aeron.addCounter(PUBLISHED_TYPE_ID, "tickbus-feed published" + suffix);
        dropped = aeron.addCounter(DROPPED_TYPE_ID, "tickbus-feed dropped" + suffix);
        heartbeats = aeron.addCounter(HEARTBEATS_TYPE_ID, "tickbus-feed heartbeats" + suffix);
    }

    /** {@inheritDoc} */
    public void onPacket()
    {
        packets.incrementRelease();
    }

    /** {@inheritDoc} */
    public void onHeartbeat()
    {
        heartbeats.incrementRelease();
    }

    /** {@inheritDoc} */
    public void onMessage(final String venueType, final long exchangeTimeNs)
    {
        messages.incrementRelease();
    }

    /** {@inheritDoc} */
    public void onMalformed(final String reason, final long packetNumber, final long fileOffset)
    {
        malformed.incrementRelease();
        if (mayReport())
        {
            errorHandler.onError(new MalformedInputException(
                name + ": " + reason + " (packet " + packetNumber + ", offset " + fileOffset + ")"));
        }
    }

    /** {@inheritDoc} */
    public void onGap(final long fromSeq, final long toSeq)
    {
        gaps.incrementRelease();
        if (mayReport())
        {
            errorHandler.onError(new MalformedInputException(
                name + ": sequence gap " + fromSeq + ".." + toSeq + " (" + (toSeq - fromSeq + 1) + " missing)"));
        }
    }

    /** {@inheritDoc} */
    public void onPublishResult(final long result)
    {
        if (result > 0)
        {
            published.incrementRelease();
        }
        else
        {
            dropped.incrementRelease();
        }
    }

    /** @return packets counted. */
    public long packets()
    {
        return packets.get();
    }

    /** @return messages counted. */
    public long messages()
    {
        return messages.get();
    }

    /** @return malformed counted. */
    public long malformed()
    {
        return malformed.get();
    }

    /** @return gaps counted. */
    public long gaps()
    {
        return gaps.get();
    }

    /** @return messages the sink accepted. */
    public long published()
    {
        return published.get();
    }

    /** @return messages the sink refused. */
    public long dropped()
    {
        return dropped.get();
    }

    /** @return heartbeats counted. */
    public long heartbeats()
    {
        return heartbeats.get();
    }

    /** @return reports not sent to the error handler because of the rate limit. */
    public long suppressedReports()
    {
        return suppressed;
    }

    /** Free the counters. */
    public void close()
    {
        CloseHelper.closeAll(packets, messages, malformed, gaps, published, dropped, heartbeats);
    }

    private boolean mayReport()
    {
        final long nowNs = clock.nanoTime();
        if (nowNs - windowStartNs >= TimeUnit.SECONDS.toNanos(1))
        {
            windowStartNs = nowNs;
            reportsInWindow = 0;
        }
        if (reportsInWindow < MAX_REPORTS_PER_SECOND)
        {
            reportsInWindow++;
            return true;
        }
        suppressed++;
        return false;
    }
}
