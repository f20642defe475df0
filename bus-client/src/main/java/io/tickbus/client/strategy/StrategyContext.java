package io.tickbus.client.strategy;

import io.tickbus.client.InstrumentDirectory;
import org.agrona.concurrent.EpochNanoClock;

/**
 * What a running strategy may use: its clock (wall time live, recorded exchange time in a backtest), timers on that
 * clock, and the instruments defined on its stream so far.
 * <p>
 * Threading: use only from the strategy's callbacks. Allocation: none per timer in steady state.
 */
public final class StrategyContext
{
    private final ClockMode clockMode;
    private final EpochNanoClock clock;
    private final TimerQueue timers;
    private final InstrumentDirectory instruments;

    StrategyContext(
        final ClockMode clockMode,
        final EpochNanoClock clock,
        final TimerQueue timers,
        final InstrumentDirectory instruments)
    {
        this.clockMode = clockMode;
        this.clock = clock;
        this.timers = timers;
        this.instruments = instruments;
    }

    /** @return WALL live, EVENT in a backtest. */
    public ClockMode clockMode()
    {
        return clockMode;
    }

    /** @return the strategy clock, epoch ns. */
    public EpochNanoClock clock()
    {
        return clock;
    }

    /** @return the strategy clock's time now, epoch ns. */
    public long nowNs()
    {
        return clock.nanoTime();
    }

    /**
     * @param deadlineNs epoch ns on the strategy clock.
     * @return the timer id passed to {@link Strategy#onTimer(long, long)}.
     */
    public long scheduleTimer(final long deadlineNs)
    {
        return timers.schedule(deadlineNs);
    }

    /**
     * @param delayNs from now on the strategy clock.
     * @return the timer id.
     */
    public long scheduleAfter(final long delayNs)
    {
        return timers.schedule(clock.nanoTime() + delayNs);
    }

    /**
     * @param timerId a pending timer.
     * @return true when it was pending.
     */
    public boolean cancelTimer(final long timerId)
    {
        return timers.cancel(timerId);
    }

    /** @return the instruments defined on the stream so far. */
    public InstrumentDirectory instruments()
    {
        return instruments;
    }
}
