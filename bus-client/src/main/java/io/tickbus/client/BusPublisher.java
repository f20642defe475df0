package io.tickbus.client;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.logbuffer.BufferClaim;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Publishes encoded Tickbus messages to one channel and stream id, stamping the publish time in the common
 * block of each message.
 * <p>
 * Two ways in: {@link #offer(MutableDirectBuffer, int, int)} for a message encoded elsewhere, and the zero-copy
 * {@link #claim(int)} / {@link #claimBuffer()} / {@link #commit()} for a message encoded straight into the log
 * buffer (when it fits in one frame: {@link #maxClaimLength()}).
 * <p>
 * Every outcome Aeron can return is counted in an Aeron counter (see {@link TickbusCounters}). BACK_PRESSURED
 * and ADMIN_ACTION are retried under the {@link BackPressurePolicy}; NOT_CONNECTED (no subscriber) drops the
 * message at once and returns {@link #NOT_CONNECTED}: market data nobody listens to is not queued.
 * <p>
 * Threading: one thread (it uses an {@link ExclusivePublication}). Allocation: none after construction.
 */
public final class BusPublisher implements MessageSink, AutoCloseable
{
    /** The message was dropped after the back-pressure policy's bound. */
    public static final long DROPPED = -100;
    /** No subscriber is connected; the message was dropped. */
    public static final long NOT_CONNECTED = Publication.NOT_CONNECTED;
    /** The publication is closed. */
    public static final long CLOSED = Publication.CLOSED;
    /** The publication reached its maximum position. */
    public static final long MAX_POSITION_EXCEEDED = Publication.MAX_POSITION_EXCEEDED;

    private final ExclusivePublication publication;
    private final BackPressurePolicy policy;
    private final IdleStrategy retryIdle;
    private final EpochNanoClock epochClock;
    private final NanoClock nanoClock = new SystemNanoClock();
    private final BufferClaim bufferClaim = new BufferClaim();
    private final String description;

    private final AtomicCounter published;
    private final AtomicCounter backPressured;
    private final AtomicCounter notConnected;
    private final AtomicCounter adminAction;
    private final AtomicCounter closed;
    private final AtomicCounter maxPositionExceeded;
    private final AtomicCounter dropped;
    private boolean claimed;
    private long publishedCount;
    private long backPressuredCount;
    private long notConnectedCount;
    private long adminActionCount;
    private long closedCount;
    private long maxPositionExceededCount;
    private long droppedCount;

    /**
     * Publish with the default policy and clock.
     *
     * @param aeron client.
     * @param channel e.g. {@code aeron:ipc} or {@code aeron:udp?endpoint=127.0.0.1:40456}.
     * @param streamId stream id.
     */
    public BusPublisher(final Aeron aeron, final String channel, final int streamId)
    {
        this(aeron, channel, streamId, BackPressurePolicy.DEFAULT, ProcessEpochClock.get());
    }

    /**
     * @param aeron client.
     * @param channel channel URI.
     * @param streamId stream id.
     * @param policy what to do under back pressure.
     * @param epochClock clock for publish time stamps, read once per message published. For bursts, a
     * {@link CachedEpochNanoClock} updated once per duty cycle saves the clock read per message at the cost of
     * stamping every message of the cycle with the same time.
     */
    public BusPublisher(
        final Aeron aeron,
        final String channel,
        final int streamId,
        final BackPressurePolicy policy,
        final EpochNanoClock epochClock)
    {
        this.policy = policy;
        this.epochClock = epochClock;
        this.retryIdle = new YieldingIdleStrategy();
        this.description = "channel=" + channel + " stream=" + streamId;
        this.publication = aeron.addExclusivePublication(channel, streamId);
        final String suffix = ": " + description;
        this.published = aeron.addCounter(TickbusCounters.PUBLISHER_PUBLISHED, "tickbus-pub published" + suffix);
        this.backPressured = aeron.addCounter(
            TickbusCounters.PUBLISHER_BACK_PRESSURED, "tickbus-pub back-pressured" + suffix);
        this.notConnected = aeron.addCounter(
            TickbusCounters.PUBLISHER_NOT_CONNECTED, "tickbus-pub not-connected" + suffix);
        this.adminAction = aeron.addCounter(TickbusCounters.PUBLISHER_ADMIN_ACTION, "tickbus-pub admin-action" + suffix);
        this.closed = aeron.addCounter(TickbusCounters.PUBLISHER_CLOSED, "tickbus-pub closed" + suffix);
        this.maxPositionExceeded = aeron.addCounter(
            TickbusCounters.PUBLISHER_MAX_POSITION_EXCEEDED, "tickbus-pub max-position" + suffix);
        this.dropped = aeron.addCounter(TickbusCounters.PUBLISHER_DROPPED, "tickbus-pub dropped" + suffix);
    }

    /**
     * Stamp the publish time into the message and offer it, under the back-pressure policy.
     *
     * @param buffer holding an encoded Tickbus message.
     * @param offset of its message header.
     * @param length of the message.
     * @return the new stream position (&gt; 0), or {@link #NOT_CONNECTED}, {@link #DROPPED}, {@link #CLOSED},
     * {@link #MAX_POSITION_EXCEEDED}.
     * @throws PublicationFailedException when the policy is FAIL and the bound was reached.
     */
    public long offer(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        CommonBlock.publishTime(buffer, offset, epochClock.nanoTime());
        return offerAsIs(buffer, offset, length);
    }

    /**
     * {@inheritDoc}
     * Same as {@link #offer(MutableDirectBuffer, int, int)}.
     */
    public long publish(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        return offer(buffer, offset, length);
    }

    /**
     * Offer a message without touching it (the sequencer and replays forward messages whose times are set).
     *
     * @param buffer holding an encoded Tickbus message.
     * @param offset of its message header.
     * @param length of the message.
     * @return as {@link #offer(MutableDirectBuffer, int, int)}.
     */
    public long offerAsIs(final DirectBuffer buffer, final int offset, final int length)
    {
        long deadlineNs = 0;
        while (true)
        {
            final long result = publication.offer(buffer, offset, length);
            if (result > 0)
            {
                publishedCount = count(published, publishedCount);
                return result;
            }
            final long outcome = onRefused(result);
            if (outcome != 0)
            {
                return outcome;
            }
            if (0 == deadlineNs)
            {
                deadlineNs = nanoClock.nanoTime() + policy.maxWaitNs();
            }
            if (nanoClock.nanoTime() - deadlineNs >= 0)
            {
                return exhausted();
            }
            retryIdle.idle();
        }
    }

    /**
     * Claim space for a message of this length in the log buffer, under the back-pressure policy. On success,
     * encode into {@link #claimBuffer()} at {@link #claimOffset()}, then {@link #commit()} (or {@link #abort()}).
     *
     * @param length of the message, at most {@link #maxClaimLength()}.
     * @return true when claimed; false when dropped, not connected or closed (counted).
     */
    public boolean claim(final int length)
    {
        long deadlineNs = 0;
        while (true)
        {
            final long result = publication.tryClaim(length, bufferClaim);
            if (result > 0)
            {
                claimed = true;
                return true;
            }
            final long outcome = onRefused(result);
            if (outcome != 0)
            {
                return false;
            }
            if (0 == deadlineNs)
            {
                deadlineNs = nanoClock.nanoTime() + policy.maxWaitNs();
            }
            if (nanoClock.nanoTime() - deadlineNs >= 0)
            {
                exhausted();
                return false;
            }
            retryIdle.idle();
        }
    }

    /** @return the log buffer to encode a claimed message into. */
    public MutableDirectBuffer claimBuffer()
    {
        return bufferClaim.buffer();
    }

    /** @return offset of the claimed space in {@link #claimBuffer()}. */
    public int claimOffset()
    {
        return bufferClaim.offset();
    }

    /**
     * Stamp the publish time and make the claimed message visible to subscribers.
     */
    public void commit()
    {
        if (!claimed)
        {
            throw new IllegalStateException("commit without a successful claim on " + description);
        }
        CommonBlock.publishTime(bufferClaim.buffer(), bufferClaim.offset(), epochClock.nanoTime());
        bufferClaim.commit();
        claimed = false;
        publishedCount = count(published, publishedCount);
    }

    /**
     * Give back a claimed message: subscribers skip it.
     */
    public void abort()
    {
        if (claimed)
        {
            bufferClaim.abort();
            claimed = false;
        }
    }

    /** @return the longest message {@link #claim(int)} takes (one MTU frame). */
    public int maxClaimLength()
    {
        return publication.maxPayloadLength();
    }

    /** @return the longest message {@link #offer(MutableDirectBuffer, int, int)} takes (term length / 8). */
    public int maxMessageLength()
    {
        return publication.maxMessageLength();
    }

    /** @return true when at least one subscriber is connected. */
    public boolean isConnected()
    {
        return publication.isConnected();
    }

    /** @return the current stream position. */
    public long position()
    {
        return publication.position();
    }

    /** @return the Aeron session id of this publication. */
    public int sessionId()
    {
        return publication.sessionId();
    }

    /** @return the underlying publication, for recording and diagnostics. */
    public ExclusivePublication publication()
    {
        return publication;
    }

    /** @return messages published. */
    public long publishedCount()
    {
        return publishedCount;
    }

    /** @return offers refused with back pressure (attempts). */
    public long backPressuredCount()
    {
        return backPressuredCount;
    }

    /** @return messages dropped for want of a subscriber. */
    public long notConnectedCount()
    {
        return notConnectedCount;
    }

    /** @return messages dropped by the policy. */
    public long droppedCount()
    {
        return droppedCount;
    }

    /** @return offers refused with ADMIN_ACTION (attempts). */
    public long adminActionCount()
    {
        return adminActionCount;
    }

    /** Count in the Aeron counter while its client is open ({@link OpenCounters}); the plain count is our own. */
    private static long count(final AtomicCounter counter, final long value)
    {
        OpenCounters.increment(counter);
        return value + 1;
    }

    private long onRefused(final long result)
    {
        if (result == Publication.BACK_PRESSURED)
        {
            backPressuredCount = count(backPressured, backPressuredCount);
            return 0;
        }
        if (result == Publication.ADMIN_ACTION)
        {
            adminActionCount = count(adminAction, adminActionCount);
            return 0;
        }
        if (result == Publication.NOT_CONNECTED)
        {
            notConnectedCount = count(notConnected, notConnectedCount);
            return NOT_CONNECTED;
        }
        if (result == Publication.MAX_POSITION_EXCEEDED)
        {
            maxPositionExceededCount = count(maxPositionExceeded, maxPositionExceededCount);
            if (policy.exhausted() == BackPressurePolicy.Exhausted.FAIL)
            {
                throw new PublicationFailedException("max position exceeded on " + description);
            }
            return MAX_POSITION_EXCEEDED;
        }
        closedCount = count(closed, closedCount);
        if (policy.exhausted() == BackPressurePolicy.Exhausted.FAIL)
        {
            throw new PublicationFailedException("publication closed on " + description);
        }
        return CLOSED;
    }

    private long exhausted()
    {
        droppedCount = count(dropped, droppedCount);
        if (policy.exhausted() == BackPressurePolicy.Exhausted.FAIL)
        {
            throw new PublicationFailedException(
                "back pressure beyond " + policy.maxWaitNs() + " ns on " + description);
        }
        return DROPPED;
    }

    /** Close the publication and its counters. */
    public void close()
    {
        CloseHelper.closeAll(publication, published, backPressured, notConnected, adminAction, closed,
            maxPositionExceeded, dropped);
    }

    /** @return channel and stream. */
    public String toString()
    {
        return "BusPublisher{" + description + "}";
    }
}
