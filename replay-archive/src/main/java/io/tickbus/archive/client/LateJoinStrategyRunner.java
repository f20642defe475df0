package io.tickbus.archive.client;

import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import io.tickbus.archive.DayCatalog;
import io.tickbus.archive.DaySegment;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.TickbusCounters;
import io.tickbus.client.strategy.Strategy;
import io.tickbus.client.strategy.StrategyAgent;
import io.tickbus.client.strategy.StrategyHost;
import io.tickbus.client.strategy.StrategyRunner;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.status.AtomicCounter;

import java.time.LocalDate;

/**
 * Attaches a {@link Strategy} to a live stream that joins late: the strategy first catches up on the stream's
 * recording (from the start of the trading day, or of the recording), then continues on the live stream with no
 * gap and no duplicate, through a {@link LateJoinSubscriber} feeding a {@link StrategyHost}. It is the late-join
 * form of {@link StrategyRunner} (which cannot depend on the archive) and runs the same way: a {@link StrategyAgent}
 * whose duty cycle fires due timers then polls, on its own thread ({@link #start()}) or from the caller's loop
 * ({@link #invoker()}).
 * <p>
 * Where the catch-up starts: {@link Context#startPosition(long)} when given; else, with
 * {@link Context#tradingDay(LocalDate, DayCatalog)}, the start of that day's first segment of the active recording
 * in the catalog (the whole recording when the catalog has no segment of it on that day yet, so nothing of the
 * day is missed); else the start of the active recording. The recording followed is the subscriber's choice
 * (the active one that has recorded the most, see {@link LateJoinSubscriber}), made once, here, when a trading
 * day's start must be found in it; after a rejoin the subscriber replays the next recording from its start. The clock mode is the context's (WALL by default: during
 * the catch-up the recorded messages then arrive faster than they happened; EVENT keeps timers on the recorded
 * exchange times in the catch-up and on the live exchange times after it).
 * <p>
 * Counters: the dispatcher's received / malformed / filtered (the subscriber's type ids), timers fired and
 * strategy errors ({@link StrategyRunner}'s type ids).
 * <p>
 * Threading: the strategy and the archive client run on the agent's thread only, after construction (which
 * starts the replay on the caller's thread). Allocation: none per message in the runner.
 */
public final class LateJoinStrategyRunner implements AutoCloseable
{
    /**
     * Configuration of a {@link LateJoinStrategyRunner}.
     */
    public static final class Context
    {
        private StrategyRunner.Context strategy;
        private AeronArchive archive;
        private long startPosition = AeronArchive.NULL_POSITION;
        private LocalDate tradingDay;
        private DayCatalog catalog;
        private long handoverWindow = Long.MIN_VALUE;

        /**
         * @param strategy what the runner shares with {@link StrategyRunner}: the Aeron client (on the archive's
         * driver), the live channel and stream id as recorded, filter, clock mode, fragment limit, idle strategy,
         * error handler and name; validated by its own {@link StrategyRunner.Context#conclude()}.
         * @return this.
         */
        public Context strategy(final StrategyRunner.Context strategy)
        {
            this.strategy = strategy;
            return this;
        }

        /** @return the shared strategy settings. */
        public StrategyRunner.Context strategy()
        {
            return strategy;
        }

        /**
         * @param archive archive client recording the live stream (not closed by the runner; used by the runner's
         * thread once it runs).
         * @return this.
         */
        public Context archive(final AeronArchive archive)
        {
            this.archive = archive;
            return this;
        }

        /** @return the archive client. */
        public AeronArchive archive()
        {
            return archive;
        }

        /**
         * @param position a frame boundary of the active recording to catch up from, or
         * {@link AeronArchive#NULL_POSITION} (default) to use the trading day or the recording start.
         * @return this.
         */
        public Context startPosition(final long position)
        {
            this.startPosition = position;
            return this;
        }

        /** @return the explicit start position, or {@link AeronArchive#NULL_POSITION}. */
        public long startPosition()
        {
            return startPosition;
        }

        /**
         * @param day trading day to catch up from (usually today in the catalog's zone).
         * @param catalog the archive's day catalog (e.g. {@link DayCatalog#load(java.nio.file.Path)}).
         * @return this.
         */
        public Context tradingDay(final LocalDate day, final DayCatalog catalog)
        {
            this.tradingDay = day;
            this.catalog = catalog;
            return this;
        }

        /** @return the trading day to catch up from, or null. */
        public LocalDate tradingDay()
        {
            return tradingDay;
        }

        /**
         * @param bytes hand-over window of the {@link LateJoinSubscriber} (its default when not set).
         * @return this.
         */
        public Context handoverWindow(final long bytes)
        {
            this.handoverWindow = bytes;
            return this;
        }

        /**
         * Validate and fill defaults.
         *
         * @return this.
         */
        public Context conclude()
        {
            if (null == strategy)
            {
                throw new IllegalArgumentException(
                    "strategy settings (Aeron client, live channel and stream) required");
            }
            strategy.conclude();
            if (null == archive)
            {
                throw new IllegalArgumentException("archive client required");
            }
            if (null != tradingDay && null == catalog)
            {
                throw new IllegalArgumentException("a trading day needs the archive's day catalog");
            }
            return this;
        }
    }

    private final StrategyAgent agent;
    private final LateJoinSubscriber subscriber;
    private final AtomicCounter received;
    private final AtomicCounter malformed;
    private final AtomicCounter filtered;
    private final long catchUpStartPosition;

    /**
     * Find where to start, start the catch-up replay and add the counters.
     *
     * @param ctx configuration.
     * @param strategy the strategy to run.
     * @throws IllegalStateException when the live stream has no active recording.
     */
    public LateJoinStrategyRunner(final Context ctx, final Strategy strategy)
    {
        if (null == ctx.strategy().name())
        {
            ctx.strategy().name(strategy.getClass().getSimpleName());
        }
        ctx.conclude();
        final Aeron aeron = ctx.strategy().aeron();
        final StrategyRunner.Context shared = ctx.strategy();
        final String label = shared.name() + " late-join channel=" + shared.channel() + " stream=" + shared.streamId();

        final LateJoinSubscriber.Context lateCtx = new LateJoinSubscriber.Context()
            .live(shared.channel(), shared.streamId());
        if (Long.MIN_VALUE != ctx.handoverWindow)
        {
            lateCtx.handoverWindow(ctx.handoverWindow);
        }
        if (AeronArchive.NULL_POSITION == ctx.startPosition && null != ctx.tradingDay)
        {
            // the day's start is a position in one recording: choose it here and have the subscriber follow it
            final LiveRecording first = LiveRecording.require(ctx.archive, shared.channel(), shared.streamId());
            lateCtx.follow(first);
            catchUpStartPosition = dayStartPosition(ctx, first.recordingId);
        }
        else
        {
            catchUpStartPosition = ctx.startPosition;
        }
        lateCtx.startPosition(catchUpStartPosition);

        StrategyAgent strategyAgent = null;
        AtomicCounter receivedCounter = null;
        AtomicCounter malformedCounter = null;
        AtomicCounter filteredCounter = null;
        try
        {
            strategyAgent = new StrategyAgent(shared, strategy, label, "tickbus-late-join-strategy-" + shared.name());
            receivedCounter = aeron.addCounter(TickbusCounters.SUBSCRIBER_RECEIVED, "tickbus-sub received: " + label);
            malformedCounter = aeron.addCounter(
                TickbusCounters.SUBSCRIBER_MALFORMED, "tickbus-sub malformed: " + label);
            filteredCounter = aeron.addCounter(TickbusCounters.SUBSCRIBER_FILTERED, "tickbus-sub filtered: " + label);
            final MessageDispatcher dispatcher = new MessageDispatcher(
                strategyAgent.host(), shared.filter(), receivedCounter, malformedCounter, filteredCounter);
            this.subscriber = new LateJoinSubscriber(aeron, ctx.archive(), lateCtx, dispatcher);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(strategyAgent, receivedCounter, malformedCounter, filteredCounter);
            throw ex;
        }
        this.agent = strategyAgent.source(subscriber::poll);
        this.received = receivedCounter;
        this.malformed = malformedCounter;
        this.filtered = filteredCounter;
    }

    /**
     * Run on a new thread with the context's idle strategy.
     *
     * @return this.
     */
    public LateJoinStrategyRunner start()
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

    /** @return the host (clock, timers, message count). */
    public StrategyHost host()
    {
        return agent.host();
    }

    /** @return where the runner is: replaying, live, or the live stream ended. */
    public LateJoinSubscriber.State state()
    {
        return subscriber.state();
    }

    /** @return true once the catch-up is over and the strategy reads the live stream. */
    public boolean isLive()
    {
        return subscriber.isLive();
    }

    /** @return the recording position the catch-up started at, {@link AeronArchive#NULL_POSITION} for its start. */
    public long catchUpStartPosition()
    {
        return catchUpStartPosition;
    }

    /** @return the late-join subscriber (hand-over position, duplicates skipped, recording id). */
    public LateJoinSubscriber subscriber()
    {
        return subscriber;
    }

    /** @return messages dispatched to the strategy. */
    public long receivedCount()
    {
        return received.get();
    }

    /** @return errors counted so far. */
    public long errorCount()
    {
        return agent.errorCount();
    }

    /** Stop the agent (calling the strategy's onEnd on its thread), the replay, the subscription and counters. */
    public void close()
    {
        CloseHelper.closeAll(agent, subscriber, received, malformed, filtered);
    }

    private static long dayStartPosition(final Context ctx, final long recordingId)
    {
        long start = AeronArchive.NULL_POSITION;
        for (final DaySegment segment : ctx.catalog.segments(ctx.tradingDay, ctx.strategy().streamId()))
        {
            if (segment.recordingId() == recordingId &&
                (AeronArchive.NULL_POSITION == start || segment.startPosition() < start))
            {
                start = segment.startPosition();
            }
        }
        return start;
    }
}
