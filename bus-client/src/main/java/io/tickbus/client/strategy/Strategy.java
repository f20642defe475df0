package io.tickbus.client.strategy;

import io.tickbus.client.MarketDataListener;

/**
 * What a trading strategy implements: the per-message callbacks of {@link MarketDataListener} (flyweights valid
 * only during the call), plus its lifecycle and timers. The same strategy runs live and in a backtest: read time
 * only from {@link StrategyContext#clock()} and schedule work with its timers, never from the system clock, and the
 * backtest replays it exactly.
 * <p>
 * Threading: every callback runs on the one thread that drives the {@link StrategyHost}. Allocation: the strategy's
 * own business; keep the message callbacks allocation free.
 */
public interface Strategy extends MarketDataListener
{
    /**
     * Called once before the first message.
     *
     * @param context the clock, timers and instruments.
     */
    default void onStart(final StrategyContext context)
    {
    }

    /**
     * A timer expired.
     *
     * @param timerId id returned by {@link StrategyContext#scheduleTimer(long)}.
     * @param nowNs the strategy clock's time (in {@link ClockMode#EVENT} mode, the deadline itself).
     */
    default void onTimer(final long timerId, final long nowNs)
    {
    }

    /**
     * Called once when the run ends (runner closed, or the end of a replay).
     */
    default void onEnd()
    {
    }
}
