package io.tickbus.archive.client;

import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import io.tickbus.archive.DayCatalog;
import io.tickbus.archive.DaySegment;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.TickbusCounters;
import io.tickbus.client.strategy.MessageSource;
import io.tickbus.client.strategy.StrategyRunner;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;

import java.time.LocalDate;

/**
 * A {@link MessageSource} for a {@link StrategyRunner} that joins a live stream late: the strategy first catches up
 * on the stream's recording (from the start of the trading day, or of the recording), then continues on the live
 * stream with no gap and no duplicate, through a {@link LateJoinSubscriber}. The runner's channel and stream id are
 * the live stream as recorded; its Aeron client must be on the archive's driver.
 * <p>
 * Where the catch-up starts: {@link Context#startPosition(long)} when given; else, with
 * {@link Context#tradingDay(LocalDate, DayCatalog)}, the start of that day's first segment of the active recording
 * in the catalog (the whole recording when the catalog has no segment of it on that day yet, so nothing of the day
 * is missed); else the start of the active recording. The recording followed is the subscriber's choice (the active
 * one that has recorded the most, see {@link LateJoinSubscriber}), made once, at {@link #open}, when a trading day's
 * start must be found in it; after a rejoin the subscriber replays the next recording from its start. The clock
 * mode is the runner's (WALL by default: during the catch-up the recorded messages then arrive faster than they
 * happened; EVENT keeps timers on the recorded exchange times in the catch-up and on the live exchange times after).
 * <p>
 * Counters: the dispatcher's received / malformed / filtered (the subscriber's type ids).
 * <p>
 * Threading: opened (the replay started) on the thread that constructs the runner; polled, with the archive client,
 * on the runner's thread only. Allocation: the subscriber and counters at open, none per message.
 */
public final class ReplayThenLiveSource implements MessageSource
{
    /**
     * Settings of a {@link ReplayThenLiveSource}.
     */
    public static final class Context
    {
        private AeronArchive archive;
        private long startPosition = AeronArchive.NULL_POSITION;
        private LocalDate tradingDay;
        private DayCatalog catalog;
        private long handoverWindow = Long.MIN_VALUE;

        /**
         * @param archive archive client recording the live stream (not closed by the source; used by the runner's
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
         * Validate.
         *
         * @return this.
         */
        public Context conclude()
        {
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

    private final Context ctx;
    private LateJoinSubscriber subscriber;
    private AtomicCounter received;
    private AtomicCounter malformed;
    private AtomicCounter filtered;
    private long catchUpStartPosition = AeronArchive.NULL_POSITION;

    /**
     * @param ctx settings, validated here.
     */
    public ReplayThenLiveSource(final Context ctx)
    {
        this.ctx = ctx.conclude();
    }

    /**
     * Find where to start, add the counters and start the catch-up replay.
     *
     * @throws IllegalStateException when the live stream has no active recording, or the source is already open.
     */
    public void open(final StrategyRunner.Context runner, final MarketDataListener listener, final String label)
    {
        if (null != subscriber)
        {
            throw new IllegalStateException("already open: a source serves one runner");
        }
        final Aeron aeron = runner.aeron();
        final LateJoinSubscriber.Context lateCtx = new LateJoinSubscriber.Context()
            .live(runner.channel(), runner.streamId());
        if (Long.MIN_VALUE != ctx.handoverWindow)
        {
            lateCtx.handoverWindow(ctx.handoverWindow);
        }
        if (AeronArchive.NULL_POSITION == ctx.startPosition && null != ctx.tradingDay)
        {
            // the day's start is a position in one recording: choose it here and have the subscriber follow it
            final LiveRecording first = LiveRecording.require(ctx.archive, runner.channel(), runner.streamId());
            lateCtx.follow(first);
            catchUpStartPosition = dayStartPosition(runner.streamId(), first.recordingId);
        }
        else
        {
            catchUpStartPosition = ctx.startPosition;
        }
        lateCtx.startPosition(catchUpStartPosition);

        try
        {
            received = aeron.addCounter(TickbusCounters.SUBSCRIBER_RECEIVED, "tickbus-sub received: " + label);
            malformed = aeron.addCounter(TickbusCounters.SUBSCRIBER_MALFORMED, "tickbus-sub malformed: " + label);
            filtered = aeron.addCounter(TickbusCounters.SUBSCRIBER_FILTERED, "tickbus-sub filtered: " + label);
            final MessageDispatcher dispatcher = new MessageDispatcher(
                listener, runner.filter(), received, malformed, filtered);
            subscriber = new LateJoinSubscriber(aeron, ctx.archive(), lateCtx, dispatcher);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(received, malformed, filtered);
            throw ex;
        }
    }

    /** {@inheritDoc} */
    public int poll(final int fragmentLimit)
    {
        return subscriber.poll(fragmentLimit);
    }

    /** @return {@code late-join}: in the runner's counter labels and thread name. */
    public String kind()
    {
        return "late-join";
    }

    /** @return where the source is: replaying, live, or the live stream ended. */
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

    /** @return the late-join subscriber (hand-over position, duplicates skipped, recording id), null before open. */
    public LateJoinSubscriber subscriber()
    {
        return subscriber;
    }

    /** @return messages dispatched to the strategy. */
    public long receivedCount()
    {
        return received.get();
    }

    /** Stop the replay, close the subscription and the counters. */
    public void close()
    {
        CloseHelper.closeAll(subscriber, received, malformed, filtered);
    }

    private long dayStartPosition(final int streamId, final long recordingId)
    {
        long start = AeronArchive.NULL_POSITION;
        for (final DaySegment segment : ctx.catalog.segments(ctx.tradingDay, streamId))
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
