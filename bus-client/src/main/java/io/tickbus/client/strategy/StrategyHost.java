package io.tickbus.client.strategy;

import io.tickbus.client.ProcessEpochClock;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.InstrumentDirectory;
import io.tickbus.client.MarketDataListener;
import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.BookSnapshotDecoder;
import io.tickbus.sbe.CancelOrderDecoder;
import io.tickbus.sbe.EndOfSessionDecoder;
import io.tickbus.sbe.ExecuteOrderDecoder;
import io.tickbus.sbe.GapNoticeDecoder;
import io.tickbus.sbe.HeartbeatDecoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.ModifyOrderDecoder;
import io.tickbus.sbe.PriceLevelUpdateDecoder;
import io.tickbus.sbe.TopOfBookDecoder;
import io.tickbus.sbe.TradeDecoder;
import io.tickbus.sbe.TradingStatusDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochNanoClock;

/**
 * Runs one {@link Strategy}: owns its clock, timers and instrument directory, and passes it every message. Feed it
 * from a {@link io.tickbus.client.BusSubscriber} (see {@link StrategyRunner}) or, offline, from a
 * {@link io.tickbus.client.MessageDispatcher} over recorded messages.
 * <p>
 * In {@link ClockMode#EVENT} mode each message first moves the clock: timers due at or before its exchange time fire
 * (clock set to each deadline), then the clock moves to the exchange time and the message is delivered. Messages
 * with no exchange time (0) do not move the clock. In {@link ClockMode#WALL} mode the owner calls
 * {@link #pollTimers()} from its duty cycle.
 * <p>
 * An exception thrown by a strategy callback goes to the error handler and is counted; the host carries on with
 * the next message (with no error handler it is rethrown).
 * <p>
 * Threading: one thread. Allocation: none per message (an instrument per definition, cold).
 */
public final class StrategyHost implements MarketDataListener, TimerQueue.Handler
{
    private static final int TIMER_LIMIT = 1024;

    private final Strategy strategy;
    private final ClockMode clockMode;
    private final EventClock eventClock;
    private final EpochNanoClock clock;
    private final TimerQueue timers = new TimerQueue(64);
    private final InstrumentDirectory instruments = new InstrumentDirectory();
    private final StrategyContext context;
    private final ErrorHandler errorHandler;
    private boolean started;
    private boolean ended;
    private boolean endOfReplay;
    private long messageCount;
    private long timerCount;
    private long errorCount;
    private long firstExchangeTime;
    private long lastExchangeTime;

    /**
     * @param strategy the strategy.
     * @param clockMode WALL live, EVENT in a backtest.
     */
    public StrategyHost(final Strategy strategy, final ClockMode clockMode)
    {
        this(strategy, clockMode, ProcessEpochClock.get(), null);
    }

    /**
     * @param strategy the strategy.
     * @param clockMode WALL live, EVENT in a backtest.
     * @param wallClock the clock for WALL mode (ignored in EVENT mode).
     * @param errorHandler receives exceptions thrown by the strategy, or null to rethrow them.
     */
    public StrategyHost(
        final Strategy strategy,
        final ClockMode clockMode,
        final EpochNanoClock wallClock,
        final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        this.strategy = strategy;
        this.clockMode = clockMode;
        this.eventClock = clockMode == ClockMode.EVENT ? new EventClock() : null;
        this.clock = clockMode == ClockMode.EVENT ? eventClock : wallClock;
        this.context = new StrategyContext(clockMode, clock, timers, instruments);
    }

    /** Call the strategy's {@link Strategy#onStart(StrategyContext)} once. */
    public void start()
    {
        if (!started)
        {
            started = true;
            try
            {
                strategy.onStart(context);
            }
            catch (final Throwable ex)
            {
                onError(ex);
            }
        }
    }

    /** Call the strategy's {@link Strategy#onEnd()} once, if started. */
    public void end()
    {
        if (started && !ended)
        {
            ended = true;
            try
            {
                strategy.onEnd();
            }
            catch (final Throwable ex)
            {
                onError(ex);
            }
        }
    }

    /**
     * Fire due timers on the wall clock (WALL mode; does nothing in EVENT mode, where messages move time).
     *
     * @return timers fired.
     */
    public int pollTimers()
    {
        if (clockMode == ClockMode.EVENT || !started || ended)
        {
            return 0;
        }
        return timers.poll(clock.nanoTime(), this, TIMER_LIMIT);
    }

    /** {@inheritDoc} */
    public void onExpiry(final long timerId, final long deadlineNs)
    {
        timerCount++;
        if (clockMode == ClockMode.EVENT)
        {
            eventClock.advanceTo(deadlineNs);
        }
        try
        {
            strategy.onTimer(timerId, clock.nanoTime());
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    /** @return the strategy. */
    public Strategy strategy()
    {
        return strategy;
    }

    /** @return the context given to the strategy. */
    public StrategyContext context()
    {
        return context;
    }

    /** @return messages delivered. */
    public long messageCount()
    {
        return messageCount;
    }

    /** @return timers fired. */
    public long timerCount()
    {
        return timerCount;
    }

    /** @return exceptions thrown by the strategy and reported to the error handler. */
    public long errorCount()
    {
        return errorCount;
    }

    /** @return the exchange time of the first message delivered that carried one, 0 before any. */
    public long firstExchangeTime()
    {
        return firstExchangeTime;
    }

    /** @return the latest exchange time of a message delivered, 0 before any. */
    public long lastExchangeTime()
    {
        return lastExchangeTime;
    }

    /** @return true once an EndOfSession marking the end of a replay was delivered. */
    public boolean isEndOfReplay()
    {
        return endOfReplay;
    }

    /** @return true once {@link #end()} ran. */
    public boolean isEnded()
    {
        return ended;
    }

    private void onError(final Throwable ex)
    {
        errorCount++;
        if (null == errorHandler)
        {
            if (ex instanceof RuntimeException)
            {
                throw (RuntimeException)ex;
            }
            if (ex instanceof Error)
            {
                throw (Error)ex;
            }
            throw new IllegalStateException(ex);
        }
        errorHandler.onError(ex);
    }

    /** {@inheritDoc} */
    public void onMessage(
        final DirectBuffer buffer, final int offset, final int length, final int templateId, final long position)
    {
        if (!started)
        {
            start();
        }
        final long exchangeTime = CommonBlock.exchangeTime(buffer, offset);
        if (exchangeTime > 0)
        {
            firstExchangeTime = 0 == firstExchangeTime ? exchangeTime : firstExchangeTime;
            lastExchangeTime = Math.max(lastExchangeTime, exchangeTime);
        }
        if (clockMode == ClockMode.EVENT)
        {
            if (exchangeTime > 0)
            {
                while (timers.poll(exchangeTime, this, TIMER_LIMIT) == TIMER_LIMIT)
                {
                    // keep firing: every due timer runs before the message
                }
                eventClock.advanceTo(exchangeTime);
            }
        }
        messageCount++;
        try
        {
            strategy.onMessage(buffer, offset, length, templateId, position);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    /** {@inheritDoc} */
    public void onInstrumentDefinition(final InstrumentDefinitionDecoder msg)
    {
        instruments.onDefinition(msg);
        try
        {
            strategy.onInstrumentDefinition(msg);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    /** {@inheritDoc} */
    public void onAddOrder(final AddOrderDecoder msg)
    {
        try
        {
            strategy.onAddOrder(msg);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    /** {@inheritDoc} */
    public void onModifyOrder(final ModifyOrderDecoder msg)
    {
        try
        {
            strategy.onModifyOrder(msg);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    /** {@inheritDoc} */
    public void onCancelOrder(final CancelOrderDecoder msg)
    {
        try
        {
            strategy.onCancelOrder(msg);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    /** {@inheritDoc} */
    public void onExecuteOrder(final ExecuteOrderDecoder msg)
    {
        try
        {
            strategy.onExecuteOrder(msg);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    /** {@inheritDoc} */
    public void onPriceLevelUpdate(final PriceLevelUpdateDecoder msg)
    {
        try
        {
            strategy.onPriceLevelUpdate(msg);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    /** {@inheritDoc} */
    public void onTrade(final TradeDecoder msg)
    {
        try
        {
            strategy.onTrade(msg);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    /** {@inheritDoc} */
    public void onTopOfBook(final TopOfBookDecoder msg)
    {
        try
        {
            strategy.onTopOfBook(msg);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    /** {@inheritDoc} */
    public void onBookSnapshot(final BookSnapshotDecoder msg)
    {
        try
        {
            strategy.onBookSnapshot(msg);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    /** {@inheritDoc} */
    public void onTradingStatus(final TradingStatusDecoder msg)
    {
        try
        {
            strategy.onTradingStatus(msg);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    /** {@inheritDoc} */
    public void onHeartbeat(final HeartbeatDecoder msg)
    {
        try
        {
            strategy.onHeartbeat(msg);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    /** {@inheritDoc} */
    public void onGapNotice(final GapNoticeDecoder msg)
    {
        try
        {
            strategy.onGapNotice(msg);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    /** {@inheritDoc} */
    public void onEndOfSession(final EndOfSessionDecoder msg)
    {
        try
        {
            strategy.onEndOfSession(msg);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
        if (1 == msg.endOfReplay())
        {
            endOfReplay = true;
        }
    }
}
