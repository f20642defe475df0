package io.tickbus.client.strategy;

import io.aeron.Aeron;
import io.tickbus.client.ComponentErrors;
import io.tickbus.client.ProcessEpochClock;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.File;

/**
 * The duty cycle every strategy runner shares: fire the {@link StrategyHost}'s due timers, then poll a
 * {@link MessageSource} (a live subscription, or a replay handing over to live) whose dispatcher feeds the host;
 * timers fired and strategy errors counted in Aeron counters; run on its own thread ({@link #start()}) or from the
 * caller's loop ({@link #invoker()}), and closed once.
 * <p>
 * Threading: the strategy runs on the agent's thread only; construct, start and close from one thread.
 * Allocation: the host and two counters at construction, none per message.
 */
final class StrategyAgent implements Agent, AutoCloseable
{
    private final StrategyRunner.Context ctx;
    private final StrategyHost host;
    private final AtomicCounter timersCounter;
    private final AtomicCounter errorsCounter;
    private final ComponentErrors errors;
    private final String roleName;
    private MessageSource source;
    private AgentRunner agentRunner;
    private AgentInvoker agentInvoker;
    private boolean closed;

    /**
     * Add the counters and the host; {@link #source} must be set before the agent runs.
     *
     * @param ctx concluded runner settings (Aeron client, clock mode, fragment limit, idle strategy, error handler).
     * @param strategy the strategy.
     * @param label what the counters' labels say after their names, e.g. {@code NAME channel=C stream=S}.
     * @param roleName the agent's role name (its thread's name).
     */
    public StrategyAgent(
        final StrategyRunner.Context ctx, final Strategy strategy, final String label, final String roleName)
    {
        this.ctx = ctx;
        this.roleName = roleName;
        final Aeron aeron = ctx.aeron();
        AtomicCounter timers = null;
        try
        {
            timers = aeron.addCounter(StrategyRunner.TIMERS_TYPE_ID, "tickbus-strategy timers: " + label);
            errorsCounter = aeron.addCounter(StrategyRunner.ERRORS_TYPE_ID, "tickbus-strategy errors: " + label);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(timers);
            throw ex;
        }
        timersCounter = timers;
        try
        {
            errors = ComponentErrors.create(
                new File(aeron.context().aeronDirectoryName()), "strategy-" + ctx.name(), ctx.errorHandler(),
                errorsCounter);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(timersCounter, errorsCounter);
            throw ex;
        }
        host = new StrategyHost(strategy, ctx.clockMode(), ProcessEpochClock.get(), this::onStrategyError);
    }

    /**
     * @param source what the agent polls; its dispatcher delivers to {@link #host()}.
     * @return this.
     */
    public StrategyAgent source(final MessageSource source)
    {
        this.source = source;
        return this;
    }

    /** @return the host (clock, timers, message count): the listener the source's dispatcher delivers to. */
    public StrategyHost host()
    {
        return host;
    }

    /** Run on a new thread with the context's idle strategy. */
    public void start()
    {
        checkNotStarted();
        agentRunner = new AgentRunner(ctx.idleStrategy(), errors.uncountedErrorHandler(), errorsCounter, this);
        AgentRunner.startOnThread(agentRunner);
    }

    /**
     * Drive from the caller's loop: call {@code invoke()} on the result, no thread is started.
     *
     * @return the started invoker.
     */
    public AgentInvoker invoker()
    {
        checkNotStarted();
        agentInvoker = new AgentInvoker(errors.uncountedErrorHandler(), errorsCounter, this);
        agentInvoker.start();
        return agentInvoker;
    }

    /** {@inheritDoc} */
    public void onStart()
    {
        host.start();
    }

    /** {@inheritDoc} */
    public int doWork()
    {
        final int timersFired = host.pollTimers();
        if (timersFired > 0)
        {
            timersCounter.getAndAddRelease(timersFired);
        }
        final long timersBefore = host.timerCount();
        final int fragments = source.poll(ctx.fragmentLimit());
        final long eventTimers = host.timerCount() - timersBefore;
        if (eventTimers > 0)
        {
            timersCounter.getAndAddRelease(eventTimers);
        }
        return timersFired + fragments;
    }

    /** {@inheritDoc} */
    public void onClose()
    {
        host.end();
    }

    /** {@inheritDoc} */
    public String roleName()
    {
        return roleName;
    }

    /** @return errors counted so far. */
    public long errorCount()
    {
        return errorsCounter.get();
    }

    /** Stop the agent (calling the strategy's onEnd on its thread, or here when it never ran) and its counters. */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (null != agentRunner)
        {
            CloseHelper.close(agentRunner);
        }
        else if (null != agentInvoker)
        {
            CloseHelper.close(agentInvoker);
        }
        else
        {
            host.end();
        }
        CloseHelper.closeAll(errors, timersCounter, errorsCounter);
    }

    private void checkNotStarted()
    {
        if (null != agentRunner || null != agentInvoker)
        {
            throw new IllegalStateException("already started");
        }
        if (null == source)
        {
            throw new IllegalStateException("no message source");
        }
    }

    private void onStrategyError(final Throwable ex)
    {
        errors.errorHandler().onError(ex);
    }
}
