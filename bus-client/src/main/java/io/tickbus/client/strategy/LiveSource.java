package io.tickbus.client.strategy;

import io.tickbus.client.BusSubscriber;
import io.tickbus.client.MarketDataListener;
import org.agrona.CloseHelper;

/**
 * The live stream as a {@link MessageSource}: a {@link BusSubscriber} on the runner's channel and stream id, with
 * its filter, delivering to the strategy's host. The default source of a {@link StrategyRunner}.
 * <p>
 * Threading: as {@link MessageSource}. Allocation: the subscriber and its counters at {@link #open}.
 */
public final class LiveSource implements MessageSource
{
    private BusSubscriber subscriber;

    /** {@inheritDoc} */
    public void open(final StrategyRunner.Context ctx, final MarketDataListener listener, final String label)
    {
        if (null != subscriber)
        {
            throw new IllegalStateException("already open: a source serves one runner");
        }
        subscriber = new BusSubscriber(ctx.aeron(), ctx.channel(), ctx.streamId(), listener, ctx.filter());
    }

    /** {@inheritDoc} */
    public int poll(final int fragmentLimit)
    {
        return subscriber.poll(fragmentLimit);
    }

    /** @return the subscriber (connection state, dispatch counts), or null before {@link #open}. */
    public BusSubscriber subscriber()
    {
        return subscriber;
    }

    /** {@inheritDoc} */
    public void close()
    {
        CloseHelper.close(subscriber);
    }
}
