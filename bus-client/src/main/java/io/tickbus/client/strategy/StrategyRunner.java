package io.tickbus.client.strategy;

import io.aeron.Aeron;
import io.tickbus.client.BusChannels;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.InstrumentFilter;
import io.tickbus.client.TickbusCounters;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Attaches a {@link Strategy} to a stream by channel and stream id, read through a {@link MessageSource}: by default
 * the live stream ({@link LiveSource}: a {@link BusSubscriber} with an optional {@link InstrumentFilter}); or, with
 * replay-archive's {@code ReplayThenLiveSource}, the stream's recording first and then the live stream with no gap
 * and no duplicate (a late join). The source feeds a {@link StrategyHost}, driven by a {@link StrategyAgent} whose
 * duty cycle fires due timers then polls the source. Run it on its own thread ({@link #start()}) or from the
 * caller's loop ({@link #invoker()}). Pointed at a replay stream with {@link ClockMode#EVENT}, the same runner is a
 * backtest.
 * <p>
 * Counters: the subscriber's received / malformed / filtered, plus timers fired and errors (a strategy exception is
 * reported to the error handler and counted, and the runner carries on with the next message; an error of the
 * runner itself is reported and counted by the agent runner or invoker).
 * <p>
 * Threading: the strategy runs on the agent's thread only. Allocation: none per message in the runner.
 */
public final class StrategyRunner implements AutoCloseable
{
    /** Counter type id: timers fired by a strategy. */
    public static final int TIMERS_TYPE_ID = TickbusCounters.BOOK_AND_STRATEGY_BASE + 5;
    /** Counter type id: errors raised by a strategy. */
    public static final int ERRORS_TYPE_ID = TickbusCounters.BOOK_AND_STRATEGY_BASE + 6;

    /**
     * Configuration of a {@link StrategyRunner}, from system properties or setters.
     */
    public static final class Context
    {
        /** System property: clock mode, WALL or EVENT. */
        public static final String CLOCK_MODE_PROP_NAME = "tickbus.strategy.clock";
        /** System property: most fragments per poll. */
        public static final String FRAGMENT_LIMIT_PROP_NAME = "tickbus.strategy.fragment.limit";
        /** Default most fragments per poll. */
        public static final int FRAGMENT_LIMIT_DEFAULT = 64;

        private Aeron aeron;
        private String channel;
        private int streamId = Integer.MIN_VALUE;
        private InstrumentFilter filter;
        private ClockMode clockMode = ClockMode.valueOf(System.getProperty(CLOCK_MODE_PROP_NAME, "WALL"));
        private int fragmentLimit = Integer.getInteger(FRAGMENT_LIMIT_PROP_NAME, FRAGMENT_LIMIT_DEFAULT);
        private IdleStrategy idleStrategy;
        private ErrorHandler errorHandler;
        private String name;
        private MessageSource source;

        /**
         * @param aeron connected client (not closed by the runner).
         * @return this.
         */
        public Context aeron(final Aeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        /** @return the client. */
        public Aeron aeron()
        {
            return aeron;
        }

        /**
         * @param channel channel URI of the stream.
         * @return this.
         */
        public Context channel(final String channel)
        {
            this.channel = channel;
            return this;
        }

        /** @return the channel. */
        public String channel()
        {
            return channel;
        }

        /**
         * @param streamId stream id.
         * @return this.
         */
        public Context streamId(final int streamId)
        {
            this.streamId = streamId;
            return this;
        }

        /** @return the stream id. */
        public int streamId()
        {
            return streamId;
        }

        /**
         * @param filter instruments to deliver, or null for all.
         * @return this.
         */
        public Context filter(final InstrumentFilter filter)
        {
            this.filter = filter;
            return this;
        }

        /** @return the filter, or null. */
        public InstrumentFilter filter()
        {
            return filter;
        }

        /**
         * @param clockMode WALL live, EVENT for a replayed day.
         * @return this.
         */
        public Context clockMode(final ClockMode clockMode)
        {
            this.clockMode = clockMode;
            return this;
        }

        /** @return the clock mode. */
        public ClockMode clockMode()
        {
            return clockMode;
        }

        /**
         * @param fragmentLimit most fragments per poll.
         * @return this.
         */
        public Context fragmentLimit(final int fragmentLimit)
        {
            this.fragmentLimit = fragmentLimit;
            return this;
        }

        /** @return most fragments per poll. */
        public int fragmentLimit()
        {
            return fragmentLimit;
        }

        /**
         * @param idleStrategy idle strategy of the runner's own thread (default: back-off, for small boxes).
         * @return this.
         */
        public Context idleStrategy(final IdleStrategy idleStrategy)
        {
            this.idleStrategy = idleStrategy;
            return this;
        }

        /** @return the idle strategy. */
        public IdleStrategy idleStrategy()
        {
            return idleStrategy;
        }

        /**
         * @param errorHandler also receives strategy and runner errors, after they are written to the strategy's
         * errors file ({@code strategy-NAME-PID-errors.dat} in the driver's directory, read by {@code tickbus
         * errors}) and counted ({@link #ERRORS_TYPE_ID}); default: none, the file and counter are the error path.
         * @return this.
         */
        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /** @return the error handler. */
        public ErrorHandler errorHandler()
        {
            return errorHandler;
        }

        /**
         * @param name names the agent and its counters (default: the strategy's class name).
         * @return this.
         */
        public Context name(final String name)
        {
            this.name = name;
            return this;
        }

        /** @return the name. */
        public String name()
        {
            return name;
        }

        /**
         * @param source where the strategy's messages come from (opened, polled and closed by the runner; serves one
         * runner); default a new {@link LiveSource}.
         * @return this.
         */
        public Context source(final MessageSource source)
        {
            this.source = source;
            return this;
        }

        /** @return the message source. */
        public MessageSource source()
        {
            return source;
        }

        /**
         * Validate and fill defaults.
         *
         * @return this.
         */
        public Context conclude()
        {
            if (null == aeron)
            {
                throw new IllegalArgumentException("aeron client required");
            }
            if (null == channel)
            {
                throw new IllegalArgumentException("channel required");
            }
            BusChannels.validate(channel);
            if (Integer.MIN_VALUE == streamId)
            {
                throw new IllegalArgumentException("stream id required");
            }
            if (fragmentLimit < 1)
            {
                throw new IllegalArgumentException("fragment limit must be positive: " + fragmentLimit);
            }
            if (null == clockMode)
            {
                clockMode = ClockMode.WALL;
            }
            if (null == idleStrategy)
            {
                idleStrategy = new BackoffIdleStrategy(
                    100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
            }
            if (null == source)
            {
                source = new LiveSource();
            }
            return this;
        }
    }

    private final StrategyAgent agent;
    private final MessageSource source;

    /**
     * Add the counters and open the source.
     *
     * @param ctx configuration.
     * @param strategy the strategy to run.
     * @throws IllegalStateException when the source cannot open (e.g. a late join with no recording of the stream).
     */
    public StrategyRunner(final Context ctx, final Strategy strategy)
    {
        if (null == ctx.name())
        {
            ctx.name(strategy.getClass().getSimpleName());
        }
        ctx.conclude();
        source = ctx.source();
        final String kind = source.kind();
        final String label = ctx.name() + (kind.isEmpty() ? "" : " " + kind) + " channel=" + ctx.channel() +
            " stream=" + ctx.streamId();
        agent = new StrategyAgent(ctx, strategy, label,
            "tickbus-" + (kind.isEmpty() ? "" : kind + "-") + "strategy-" + ctx.name());
        try
        {
            source.open(ctx, agent.host(), label);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(agent, source);
            throw ex;
        }
        agent.source(source);
    }

    /**
     * Run on a new thread with the context's idle strategy.
     *
     * @return this.
     */
    public StrategyRunner start()
    {
        agent.start();
        return this;
    }

    /**
     * Drive from the caller's loop: call {@code invoke()} on the result, no thread is started.
     *
     * @return the started invoker.
     */
    public AgentInvoker invoker()
    {
        return agent.invoker();
    }

    /** @return the agent (its role name, duty cycle). */
    public Agent agent()
    {
        return agent;
    }

    /** @return the host (clock, timers, counts). */
    public StrategyHost host()
    {
        return agent.host();
    }

    /** @return the message source the runner polls. */
    public MessageSource source()
    {
        return source;
    }

    /**
     * @return the live subscriber (connection state, dispatch counts) of the default {@link LiveSource}.
     * @throws IllegalStateException when the source is another kind (ask it through {@link #source()}).
     */
    public BusSubscriber subscriber()
    {
        if (source instanceof LiveSource live)
        {
            return live.subscriber();
        }
        throw new IllegalStateException("not a live source: " + source.getClass().getSimpleName());
    }

    /** @return errors counted so far. */
    public long errorCount()
    {
        return agent.errorCount();
    }

    /** Stop the agent (calling the strategy's onEnd on its thread) and close the source and counters. */
    public void close()
    {
        CloseHelper.closeAll(agent, source);
    }
}
