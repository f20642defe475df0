package io.tickbus.client.strategy;

import io.tickbus.client.MarketDataListener;

/**
 * Where a {@link StrategyRunner} reads its messages from: the live stream ({@link LiveSource}, the default), or a
 * recording handing over to the live stream (replay-archive's {@code io.tickbus.archive.client.ReplayThenLiveSource}),
 * or anything else that delivers decoded messages to a {@link MarketDataListener} when polled. The runner opens it
 * once, with its settings and the strategy's host as the listener, polls it from its duty cycle, and closes it.
 * <p>
 * Threading: opened on the thread that constructs the runner; polled on the runner's agent thread; closed once.
 * Allocation: whatever {@link #open} sets up, none per message.
 */
@FunctionalInterface
public interface MessageSource extends AutoCloseable
{
    /**
     * Set up the source, once, before the first poll: subscribe, start a replay, add counters. A source that needs
     * nothing set up (a lambda over an existing subscriber) keeps this default.
     *
     * @param ctx the runner's concluded settings (Aeron client, channel, stream id, filter).
     * @param listener where every message goes: the strategy's host.
     * @param label what the source's counters' labels say after their names.
     */
    default void open(final StrategyRunner.Context ctx, final MarketDataListener listener, final String label)
    {
    }

    /**
     * @param fragmentLimit most fragments.
     * @return fragments read.
     */
    int poll(int fragmentLimit);

    /**
     * @return a word the runner puts into its counters' labels and thread name, e.g. {@code late-join}; empty for
     * the live stream.
     */
    default String kind()
    {
        return "";
    }

    /** Release what {@link #open} set up. */
    default void close()
    {
    }
}
