package io.tickbus.client;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Subscribes to one channel and stream id and dispatches whole decoded messages to a {@link MarketDataListener}.
 * Holds one {@link FragmentAssembler} for its whole life, so messages larger than one frame (big book
 * snapshots) arrive whole.
 * <p>
 * Threading: poll from one thread. Allocation: none per message.
 */
public final class BusSubscriber implements AutoCloseable
{
    private final Subscription subscription;
    private final MessageDispatcher dispatcher;
    private final FragmentAssembler assembler;
    private final AtomicCounter received;
    private final AtomicCounter malformed;
    private final AtomicCounter filtered;
    private final AtomicCounter repeats;
    private final AtomicCounter gaps;

    /**
     * @param aeron client.
     * @param channel channel URI.
     * @param streamId stream id.
     * @param listener receives decoded messages.
     */
    public BusSubscriber(final Aeron aeron, final String channel, final int streamId, final MarketDataListener listener)
    {
        this(aeron, channel, streamId, listener, null);
    }

    /**
     * @param aeron client.
     * @param channel channel URI.
     * @param streamId stream id.
     * @param listener receives decoded messages.
     * @param filter instrument filter, or null for every instrument.
     */
    public BusSubscriber(
        final Aeron aeron,
        final String channel,
        final int streamId,
        final MarketDataListener listener,
        final InstrumentFilter filter)
    {
        this.subscription = aeron.addSubscription(channel, streamId);
        final String suffix = ": channel=" + channel + " stream=" + streamId;
        this.received = aeron.addCounter(TickbusCounters.SUBSCRIBER_RECEIVED, "tickbus-sub received" + suffix);
        this.malformed = aeron.addCounter(TickbusCounters.SUBSCRIBER_MALFORMED, "tickbus-sub malformed" + suffix);
        this.filtered = aeron.addCounter(TickbusCounters.SUBSCRIBER_FILTERED, "tickbus-sub filtered" + suffix);
        this.repeats = aeron.addCounter(TickbusCounters.SUBSCRIBER_REPEATS, "tickbus-sub repeats" + suffix);
        this.gaps = aeron.addCounter(TickbusCounters.SUBSCRIBER_GAPS, "tickbus-sub gaps" + suffix);
        this.dispatcher = new MessageDispatcher(listener, filter, received, malformed, filtered)
            .repeatsCounter(repeats)
            .gapsCounter(gaps);
        this.assembler = new FragmentAssembler(dispatcher);
    }

    /**
     * Poll for messages.
     *
     * @param fragmentLimit most fragments to process.
     * @return fragments processed (work count for an idle strategy).
     */
    public int poll(final int fragmentLimit)
    {
        return subscription.poll(assembler, fragmentLimit);
    }

    /** @return true when at least one publisher's image is connected. */
    public boolean isConnected()
    {
        return subscription.isConnected();
    }

    /** @return the underlying subscription. */
    public Subscription subscription()
    {
        return subscription;
    }

    /** @return the dispatcher, for its counts. */
    public MessageDispatcher dispatcher()
    {
        return dispatcher;
    }

    /** Close the subscription and its counters. */
    public void close()
    {
        CloseHelper.closeAll(subscription, received, malformed, filtered, repeats, gaps);
    }
}
