package io.tickbus.archive.client;

import io.tickbus.client.MarketDataListener;
import io.tickbus.client.strategy.MessageSource;
import io.tickbus.client.strategy.StrategyRunner;
import org.agrona.CloseHelper;

/**
 * The sequenced stream read through a {@link SequencedSubscriber} as a {@link MessageSource}: a
 * {@link StrategyRunner} then sees global sequences from the subscriber's first one, exactly once and in order,
 * recovered from the archives wherever the live stream misses some. The runner supplies the Aeron client, the
 * stream (channel and stream id), the filter and the listener; the given context the rest (archives, response
 * channel, first global sequence, secret, error handler).
 * <p>
 * Threading: as {@link MessageSource}. Allocation: the subscriber at {@link #open}, none per message.
 */
public final class SequencedSource implements MessageSource
{
    private final SequencedSubscriber.Context ctx;
    private SequencedSubscriber subscriber;

    /**
     * @param ctx the reliable subscriber's settings apart from the Aeron client, stream, filter and listener.
     */
    public SequencedSource(final SequencedSubscriber.Context ctx)
    {
        this.ctx = ctx;
    }

    /** {@inheritDoc} */
    public void open(final StrategyRunner.Context runner, final MarketDataListener listener, final String label)
    {
        if (null != subscriber)
        {
            throw new IllegalStateException("already open: a source serves one runner");
        }
        subscriber = new SequencedSubscriber(ctx
            .aeron(runner.aeron())
            .stream(runner.channel(), runner.streamId())
            .filter(runner.filter())
            .listener(listener));
    }

    /** {@inheritDoc} */
    public int poll(final int fragmentLimit)
    {
        return subscriber.poll(fragmentLimit);
    }

    /** @return the reliable subscriber (recovered, repairs, next global sequence), or null before open. */
    public SequencedSubscriber subscriber()
    {
        return subscriber;
    }

    /** {@inheritDoc} */
    public void close()
    {
        CloseHelper.close(subscriber);
    }
}
