package io.tickbus.archive.client;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.tickbus.archive.ArchiveCounters;
import io.tickbus.archive.DayCatalog;
import io.tickbus.archive.DaySegment;
import io.tickbus.archive.ReplayLocks;
import io.tickbus.archive.TradingDayRule;
import io.tickbus.client.BusChannels;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.GlobalSequenceWindow;
import io.tickbus.sbe.EndOfSessionEncoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.Venue;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Replays one recorded trading day of one stream to another channel and stream: the recorded bytes, in recorded
 * order, flat out or paced by the recorded exchange timestamps times a speed factor, optionally only the
 * messages with {@code from <= exchangeTime < to}, and then an EndOfSession message with {@code endOfReplay=1}
 * so a backtest knows it has seen the whole day.
 * <p>
 * The archive replays each {@link DaySegment} to a private IPC stream (starting at a time-index position, a frame
 * boundary); this agent filters, paces and republishes on an {@link ExclusivePublication}. Back pressure from
 * the target's subscribers flows back to the archive's replay.
 * <p>
 * The segments replay one after another in the catalog's recording order (recording start time, start position).
 * On a sequenced stream (global sequence &gt; 0) a global sequence already republished is skipped
 * ({@link Result#repeats()}), with the window of {@link GlobalSequenceWindow}: several recordings of the same
 * sequenced stream (several sequencer members recorded at once, or a republished tail after a failover) replay as
 * 1..N once. A sequence one recording lacks and a later one holds is republished when it comes, late; a
 * subscriber's {@link io.tickbus.client.MessageDispatcher} delivers it once.
 * <p>
 * A replay that starts after the beginning of the day ({@code from} set) first delivers a recap
 * ({@link Context#recap(boolean)}, on by default): each segment is read privately from its start to its first
 * message at or after {@code from} into a {@link DayRecap} (books and the latest definition and status per
 * instrument), nothing published; then the recap's messages are published (flagged
 * {@link io.tickbus.client.CommonBlock#FLAG_RECAP}), then the window from that first message on, every message
 * recorded after it (one stamped earlier on another feed included, as it changes the state the recap gave).
 * Without a recap the window is the messages with {@code from <= exchangeTime}.
 * <p>
 * Threading: one thread, via {@link #run()} or as an {@link Agent}. Allocation: none per message (the window's
 * bitmap once; the recap's books per instrument on first sight, its buffer once).
 */
public final class DayReplayer implements Agent, ControlledFragmentHandler, AutoCloseable
{
    /** Stream id of the private replays the archive sends to a replayer. */
    public static final int PRIVATE_REPLAY_STREAM_ID = 710_191;
    private static final String PRIVATE_CHANNEL = "aeron:ipc";
    private static final int FRAGMENT_LIMIT = 64;
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int RECAP_READ = 0;
    private static final int RECAP_PUBLISH = 1;
    private static final int WINDOW = 2;

    private final Aeron aeron;
    private final AeronArchive archive;
    private final Context ctx;
    private final List<DaySegment> segments;
    private final long fromNs;
    private final long toNs;
    private final long[] startPositions;
    private final long[] stopPositions;
    private long bytesTotal;
    private final ExclusivePublication publication;
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this);
    private final ControlledFragmentAssembler recapAssembler = new ControlledFragmentAssembler(this::onRecapFragment);
    private final DayRecap recap;
    private final ExpandableArrayBuffer recapBuffer;
    private final NanoClock clock = new SystemNanoClock();
    private final AutoCloseable dayLock;
    private final AtomicCounter replayedCounter;
    private final UnsafeBuffer markerBuffer = new UnsafeBuffer(new byte[128]);
    private final EndOfSessionEncoder endOfSession = new EndOfSessionEncoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final GlobalSequenceWindow republished = new GlobalSequenceWindow();

    private int segmentIndex = -1;
    private long replaySessionId;
    private Subscription subscription;
    private Image image;
    private long nowNs;
    private long bytesBeforeSegment;
    private long lastPosition;
    private long messages;
    private long repeats;
    private long bytesOut;
    private long firstExchangeTime;
    private long firstWallNs;
    private long lastExchangeTime;
    private long lastSendWallNs;
    private int lastFeedId;
    private short lastVenue;
    private long nextProgressNs;
    private long notConnectedSinceNs;
    private boolean markerSent;
    private int phase;
    private boolean recapSegmentDone;
    private long windowFromNs;
    private long recapStartNs;
    private long recapNs;
    private long recapMessagesRead;
    private long recapMessages;
    private int recapLength;
    private int recapCursor;
    private long backPressured;
    private RuntimeException failure;

    /**
     * Check the request against the catalog and open the target publication.
     *
     * @param aeron client on the archive's driver.
     * @param archive archive client (used from the replaying thread only).
     * @param catalog the day catalog (loaded from the archive directory).
     * @param ctx what to replay and where.
     * @throws IllegalArgumentException for an unknown day or stream, or times outside the day's recording.
     * @throws IllegalStateException when the target stream already has a publisher.
     */
    public DayReplayer(final Aeron aeron, final AeronArchive archive, final DayCatalog catalog, final Context ctx)
    {
        ctx.conclude();
        this.aeron = aeron;
        this.archive = archive;
        this.ctx = ctx;
        this.segments = catalog.segments(ctx.day, ctx.streamId);
        if (segments.isEmpty())
        {
            final StringBuilder known = new StringBuilder();
            for (final DayCatalog.DaySummary d : catalog.days())
            {
                known.append(known.length() == 0 ? "" : ", ").append(d.day()).append(" stream ").append(d.streamId());
            }
            throw new IllegalArgumentException("no recording of stream " + ctx.streamId + " on " + ctx.day +
                " (recorded: " + (known.length() == 0 ? "nothing" : known) + ")");
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (final DaySegment s : segments)
        {
            if (s.messages() > 0)
            {
                first = Math.min(first, s.firstExchangeTime());
                last = Math.max(last, s.lastExchangeTime());
            }
        }
        final TradingDayRule rule = catalog.dayRule();
        fromNs = null == ctx.from ? Long.MIN_VALUE : rule.epochNanos(ctx.day, ctx.from);
        toNs = null == ctx.to ? Long.MAX_VALUE : rule.epochNanos(ctx.day, ctx.to);
        if (fromNs >= toNs)
        {
            throw new IllegalArgumentException("--from " + ctx.from + " is not before --to " + ctx.to);
        }
        if (null != ctx.from && fromNs > last)
        {
            throw new IllegalArgumentException("--from " + ctx.from + " is after the last message of " + ctx.day +
                " stream " + ctx.streamId + " (" + timeOfDay(rule, last) + ")");
        }
        if (null != ctx.to && toNs <= first)
        {
            throw new IllegalArgumentException("--to " + ctx.to + " is not after the first message of " + ctx.day +
                " stream " + ctx.streamId + " (" + timeOfDay(rule, first) + ")");
        }

        startPositions = new long[segments.size()];
        stopPositions = new long[segments.size()];
        long total = 0;
        for (int i = 0; i < segments.size(); i++)
        {
            final DaySegment s = segments.get(i);
            startPositions[i] = s.index().startPositionFor(fromNs, s.startPosition());
            stopPositions[i] = s.index().stopPositionFor(toNs, s.stopPosition());
            if (startPositions[i] < s.startPosition() || null == ctx.from)
            {
                startPositions[i] = s.startPosition();
            }
            if (stopPositions[i] > s.stopPosition() || null == ctx.to)
            {
                stopPositions[i] = s.stopPosition();
            }
            total += Math.max(0, stopPositions[i] - startPositions[i]);
        }
        bytesTotal = total;
        if (ctx.recap && null != ctx.from)
        {
            recap = new DayRecap();
            recapBuffer = new ExpandableArrayBuffer(64 * 1024);
            phase = RECAP_READ;
            windowFromNs = Long.MIN_VALUE;
        }
        else
        {
            recap = null;
            recapBuffer = null;
            phase = WINDOW;
            windowFromNs = fromNs;
        }

        final String inUse = StreamUsage.findPublication(aeron.countersReader(), ctx.channel, ctx.targetStreamId);
        if (null != inUse)
        {
            throw new IllegalStateException("target stream " + ctx.targetStreamId + " on " + ctx.channel +
                " already has a publisher (" + inUse + "); choose another --to-stream");
        }
        try
        {
            dayLock = null == ctx.archiveDir ? null : ReplayLocks.acquireShared(ctx.archiveDir, ctx.day, ctx.streamId);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot lock " + ctx.day + " for replay: " + ex.getMessage(), ex);
        }
        try
        {
            publication = aeron.addExclusivePublication(ctx.channel, ctx.targetStreamId);
            replayedCounter = aeron.addCounter(ArchiveCounters.REPLAYED_MESSAGES_TYPE_ID, "tickbus-replay messages: day=" +
                ctx.day + " stream=" + ctx.streamId + " to " + ctx.channel + " stream=" + ctx.targetStreamId);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(dayLock);
            throw ex;
        }
    }

    private static String timeOfDay(final TradingDayRule rule, final long epochNs)
    {
        return Instant.ofEpochSecond(0, epochNs).atZone(rule.zone()).toLocalTime().toString();
    }

    /**
     * Wait for a subscriber on the target, then replay to the end and send the end-of-replay marker.
     *
     * @return what was replayed.
     * @throws IllegalStateException when no subscriber connects in time, it leaves, or the archive fails.
     */
    public Result run()
    {
        final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 1_000_000);
        final long deadline = clock.nanoTime() + ctx.connectTimeoutNs;
        while (!publication.isConnected())
        {
            if (clock.nanoTime() > deadline)
            {
                throw new IllegalStateException("no subscriber on " + ctx.channel + " stream " + ctx.targetStreamId +
                    " within " + TimeUnit.NANOSECONDS.toMillis(ctx.connectTimeoutNs) + " ms");
            }
            idle.idle();
        }
        while (!isDone())
        {
            idle.idle(doWork());
        }
        if (null != failure)
        {
            throw failure;
        }
        return result();
    }

    /** @return true when the marker was sent or the replay failed. */
    public boolean isDone()
    {
        return markerSent || null != failure;
    }

    /** @return what was replayed so far. */
    public Result result()
    {
        return new Result(
            messages, bytesOut, firstWallNs, lastSendWallNs, firstExchangeTime, lastExchangeTime, repeats,
            recapMessagesRead, recapMessages, recapNs, backPressured);
    }

    public String roleName()
    {
        return "tickbus-day-replayer";
    }

    public int doWork()
    {
        if (isDone())
        {
            return 0;
        }
        nowNs = clock.nanoTime();
        int work = 0;
        try
        {
            if (RECAP_PUBLISH == phase)
            {
                work += publishRecap();
            }
            else if (null == subscription)
            {
                work += RECAP_READ == phase ? nextRecapSegment() : nextSegment();
            }
            else if (null == image)
            {
                image = subscription.imageBySessionId((int)replaySessionId);
            }
            else if (RECAP_READ == phase)
            {
                work += image.controlledPoll(recapAssembler, FRAGMENT_LIMIT);
                if (recapSegmentDone || lastPosition >= stopPositions[segmentIndex] || image.isEndOfStream() ||
                    image.isClosed())
                {
                    endRecapSegment();
                    work++;
                }
            }
            else
            {
                work += image.controlledPoll(assembler, FRAGMENT_LIMIT);
                if (lastPosition >= stopPositions[segmentIndex] || image.isEndOfStream() || image.isClosed())
                {
                    endSegment();
                    work++;
                }
            }
            if (nowNs >= nextProgressNs && null != ctx.progress)
            {
                nextProgressNs = nowNs + PROGRESS_INTERVAL_NS;
                ctx.progress.onProgress(messages, bytesDone(), bytesTotal, false);
            }
        }
        catch (final RuntimeException ex)
        {
            failure = ex;
        }
        return work;
    }

    private long bytesDone()
    {
        return bytesBeforeSegment + (null == image || segmentIndex < 0 || WINDOW != phase ? 0 :
            Math.max(0, lastPosition - startPositions[segmentIndex]));
    }

    private int nextSegment()
    {
        segmentIndex++;
        while (segmentIndex < segments.size() && stopPositions[segmentIndex] <= startPositions[segmentIndex])
        {
            segmentIndex++;
        }
        if (segmentIndex >= segments.size())
        {
            return sendMarker();
        }
        final DaySegment segment = segments.get(segmentIndex);
        final long start = startPositions[segmentIndex];
        lastPosition = start;
        replaySessionId = archive.startReplay(
            segment.recordingId(), start, stopPositions[segmentIndex] - start, PRIVATE_CHANNEL, ctx.privateStreamId);
        subscription = aeron.addSubscription(
            ChannelUri.addSessionId(PRIVATE_CHANNEL, (int)replaySessionId), ctx.privateStreamId);
        image = null;
        return 1;
    }

    private int nextRecapSegment()
    {
        if (0 == recapStartNs)
        {
            recapStartNs = nowNs;
        }
        segmentIndex++;
        while (segmentIndex < segments.size() && stopPositions[segmentIndex] <= segments.get(segmentIndex).startPosition())
        {
            startPositions[segmentIndex] = stopPositions[segmentIndex];
            segmentIndex++;
        }
        if (segmentIndex >= segments.size())
        {
            recapLength = recap.encode(recapBuffer, System.currentTimeMillis() * 1_000_000L);
            recapCursor = 0;
            segmentIndex = -1;
            long total = 0;
            for (int i = 0; i < segments.size(); i++)
            {
                total += Math.max(0, stopPositions[i] - startPositions[i]);
            }
            bytesTotal = total;
            phase = RECAP_PUBLISH;
            return 1;
        }
        final DaySegment segment = segments.get(segmentIndex);
        final long start = segment.startPosition();
        lastPosition = start;
        recapSegmentDone = false;
        replaySessionId = archive.startReplay(
            segment.recordingId(), start, stopPositions[segmentIndex] - start, PRIVATE_CHANNEL, ctx.privateStreamId);
        subscription = aeron.addSubscription(
            ChannelUri.addSessionId(PRIVATE_CHANNEL, (int)replaySessionId), ctx.privateStreamId);
        image = null;
        return 1;
    }

    private void endRecapSegment()
    {
        // The window of this segment starts at its first message at or after --from (or is empty).
        startPositions[segmentIndex] = recapSegmentDone ? lastPosition : stopPositions[segmentIndex];
        stopArchiveReplay();
        CloseHelper.close(subscription);
        subscription = null;
        image = null;
    }

    private Action onRecapFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final boolean tickbus = CommonBlock.isTickbusMessage(buffer, offset, length);
        if (tickbus && CommonBlock.exchangeTime(buffer, offset) >= fromNs)
        {
            recapSegmentDone = true;
            return Action.ABORT; // not consumed: the window starts at this message
        }
        lastPosition = header.position();
        final long globalSeq = tickbus ? CommonBlock.globalSeq(buffer, offset) : 0;
        if (globalSeq > 0)
        {
            final int kind = republished.classify(globalSeq);
            if (GlobalSequenceWindow.REPEAT == kind || GlobalSequenceWindow.TOO_OLD == kind)
            {
                repeats++;
                return Action.CONTINUE;
            }
            republished.markDelivered(globalSeq);
        }
        recapMessagesRead++;
        recap.onMessage(buffer, offset, length);
        return Action.CONTINUE;
    }

    private int publishRecap()
    {
        int work = 0;
        while (recapCursor < recapLength && work < FRAGMENT_LIMIT)
        {
            final int length = recapBuffer.getInt(recapCursor);
            final long result = publication.offer(recapBuffer, recapCursor + Integer.BYTES, length);
            if (result < 0)
            {
                checkOfferResult(result);
                return work;
            }
            notConnectedSinceNs = 0;
            recapMessages++;
            bytesOut += length;
            recapCursor = (recapCursor + Integer.BYTES + length + 7) & ~7;
            work++;
        }
        if (recapCursor >= recapLength)
        {
            recapNs = clock.nanoTime() - recapStartNs;
            phase = WINDOW;
            work++;
        }
        return work;
    }

    private void stopArchiveReplay()
    {
        if (null != image && !image.isEndOfStream() && !image.isClosed())
        {
            try
            {
                archive.stopReplay(replaySessionId);
            }
            catch (final RuntimeException ignore)
            {
                // the bounded replay may already have ended
            }
        }
    }

    private void endSegment()
    {
        if (!image.isEndOfStream() && !image.isClosed())
        {
            stopReplayIfRunning();
        }
        bytesBeforeSegment += stopPositions[segmentIndex] - startPositions[segmentIndex];
        CloseHelper.close(subscription);
        subscription = null;
        image = null;
    }

    private int sendMarker()
    {
        endOfSession.wrapAndApplyHeader(markerBuffer, 0, headerEncoder)
            .tradingDate(ctx.day.getYear() * 10000 + ctx.day.getMonthValue() * 100 + ctx.day.getDayOfMonth())
            .messageCount(messages)
            .endOfReplay((short)1);
        endOfSession.common()
            .globalSeq(0)
            .sequencerTime(0)
            .sourceSeq(0)
            .exchangeTime(lastExchangeTime)
            .receiveTime(0)
            .publishTime(System.currentTimeMillis() * 1_000_000L)
            .instrumentId(0)
            .feedId(lastFeedId)
            .venue(Venue.get(lastVenue))
            .flags((short)1);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + endOfSession.encodedLength();
        final long result = publication.offer(markerBuffer, 0, length);
        if (result > 0)
        {
            markerSent = true;
            if (null != ctx.progress)
            {
                ctx.progress.onProgress(messages, bytesTotal, bytesTotal, true);
            }
            return 1;
        }
        checkOfferResult(result);
        segmentIndex = segments.size();
        return 0;
    }

    public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final boolean tickbus = CommonBlock.isTickbusMessage(buffer, offset, length);
        final long exchangeTime = tickbus ? CommonBlock.exchangeTime(buffer, offset) : lastExchangeTime;
        if (exchangeTime < windowFromNs || exchangeTime >= toNs)
        {
            lastPosition = header.position();
            return Action.CONTINUE;
        }
        final long globalSeq = tickbus ? CommonBlock.globalSeq(buffer, offset) : 0;
        if (globalSeq > 0)
        {
            final int kind = republished.classify(globalSeq);
            if (GlobalSequenceWindow.REPEAT == kind || GlobalSequenceWindow.TOO_OLD == kind)
            {
                repeats++;
                lastPosition = header.position();
                return Action.CONTINUE;
            }
        }
        if (ctx.speed > 0)
        {
            if (0 == firstWallNs)
            {
                firstWallNs = nowNs;
                firstExchangeTime = exchangeTime;
            }
            final long dueNs = firstWallNs + (long)((exchangeTime - firstExchangeTime) / ctx.speed);
            if (nowNs < dueNs)
            {
                return Action.ABORT;
            }
        }
        final long result = publication.offer(buffer, offset, length);
        if (result < 0)
        {
            checkOfferResult(result);
            return Action.ABORT;
        }
        notConnectedSinceNs = 0;
        if (globalSeq > 0)
        {
            republished.markDelivered(globalSeq);
        }
        if (0 == messages)
        {
            firstWallNs = 0 == firstWallNs ? nowNs : firstWallNs;
            firstExchangeTime = 0 == firstExchangeTime ? exchangeTime : firstExchangeTime;
        }
        if (tickbus)
        {
            lastFeedId = CommonBlock.feedId(buffer, offset);
            lastVenue = buffer.getByte(offset + CommonBlock.FEED_ID_OFFSET + 2);
        }
        lastSendWallNs = clock.nanoTime();
        lastExchangeTime = exchangeTime;
        messages++;
        replayedCounter.incrementRelease();
        bytesOut += length;
        lastPosition = header.position();
        return Action.CONTINUE;
    }

    private void checkOfferResult(final long result)
    {
        if (Publication.BACK_PRESSURED == result || Publication.ADMIN_ACTION == result)
        {
            backPressured++;
        }
        else if (Publication.NOT_CONNECTED == result)
        {
            if (0 == notConnectedSinceNs)
            {
                notConnectedSinceNs = nowNs;
            }
            else if (nowNs - notConnectedSinceNs > ctx.connectTimeoutNs)
            {
                throw new IllegalStateException("the subscriber on " + ctx.channel + " stream " + ctx.targetStreamId +
                    " went away");
            }
        }
        else if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
        {
            throw new IllegalStateException("replay target publication failed: " + Publication.errorString(result));
        }
    }

    /** Stop any running archive replay and release the target stream and the day lock. */
    public void close()
    {
        try
        {
            if (null != subscription)
            {
                stopReplayIfRunning();
            }
        }
        finally
        {
            CloseHelper.quietCloseAll(subscription, publication, replayedCounter, dayLock);
        }
    }

    /**
     * Stop the archive replay of the current segment. A bounded replay that already ended is not an error (the
     * archive answers {@link ArchiveException#UNKNOWN_REPLAY}); any other failure goes to the caller (the agent's
     * error handler).
     */
    private void stopReplayIfRunning()
    {
        try
        {
            archive.stopReplay(replaySessionId);
        }
        catch (final ArchiveException ex)
        {
            if (ArchiveException.UNKNOWN_REPLAY != ex.errorCode())
            {
                throw ex;
            }
        }
    }

    /**
     * What a replay did.
     *
     * @param messages messages republished (without the marker).
     * @param bytes bytes republished.
     * @param firstSendNs nano clock time of the first republished message.
     * @param lastSendNs nano clock time of the last republished message.
     * @param firstExchangeTime exchange time of the first republished message.
     * @param lastExchangeTime exchange time of the last republished message.
     * @param repeats sequenced messages skipped because their global sequence was already republished.
     * @param recapMessagesRead messages read before the window to build the recap (0 without a recap).
     * @param recapMessages recap messages published before the window (counted in {@code bytes}, not in
     *     {@code messages}).
     * @param recapNs nanoseconds from the start of the recap read to the last recap message published.
     * @param backPressured offers the target refused by back pressure or an admin action (each retry counts).
     */
    public record Result(
        long messages, long bytes, long firstSendNs, long lastSendNs, long firstExchangeTime, long lastExchangeTime,
        long repeats, long recapMessagesRead, long recapMessages, long recapNs, long backPressured)
    {
    }

    /**
     * What to replay and where.
     */
    public static final class Context
    {
        private LocalDate day;
        private int streamId;
        private LocalTime from;
        private LocalTime to;
        private double speed;
        private String channel;
        private int targetStreamId;
        private int privateStreamId = PRIVATE_REPLAY_STREAM_ID;
        private long connectTimeoutNs = TimeUnit.SECONDS.toNanos(10);
        private Path archiveDir;
        private ReplayProgress progress;
        private boolean recap = true;

        void conclude()
        {
            if (null == day)
            {
                throw new IllegalArgumentException("--day is required");
            }
            if (null == channel)
            {
                throw new IllegalArgumentException("--channel is required");
            }
            BusChannels.validate(channel);
            if (speed < 0 || Double.isNaN(speed) || Double.isInfinite(speed))
            {
                throw new IllegalArgumentException("speed must be a positive number or max: " + speed);
            }
        }

        /**
         * Parse an operator's speed: a positive factor, or {@code max} for flat out.
         *
         * @param text e.g. {@code 1}, {@code 10}, {@code 0.5}, {@code max}.
         * @return the factor, 0 for flat out.
         * @throws IllegalArgumentException when not a speed.
         */
        public static double parseSpeed(final String text)
        {
            if ("max".equalsIgnoreCase(text.trim()))
            {
                return 0;
            }
            try
            {
                final double v = Double.parseDouble(text.trim());
                if (v > 0 && !Double.isInfinite(v))
                {
                    return v;
                }
            }
            catch (final NumberFormatException ignore)
            {
                // fall through
            }
            throw new IllegalArgumentException("--speed wants a positive factor or max: '" + text + "'");
        }

        /**
         * @param day trading day.
         * @return this.
         */
        public Context day(final LocalDate day)
        {
            this.day = day;
            return this;
        }

        /**
         * @param streamId recorded stream.
         * @return this.
         */
        public Context streamId(final int streamId)
        {
            this.streamId = streamId;
            return this;
        }

        /**
         * @param from first time of day (inclusive), or null for the start of the day.
         * @return this.
         */
        public Context from(final LocalTime from)
        {
            this.from = from;
            return this;
        }

        /**
         * @param to end time of day (exclusive), or null for the end of the day.
         * @return this.
         */
        public Context to(final LocalTime to)
        {
            this.to = to;
            return this;
        }

        /**
         * @param speed factor over recorded exchange time; 0 for flat out.
         * @return this.
         */
        public Context speed(final double speed)
        {
            this.speed = speed;
            return this;
        }

        /**
         * @param channel target channel.
         * @param streamId target stream id.
         * @return this.
         */
        public Context target(final String channel, final int streamId)
        {
            this.channel = channel;
            this.targetStreamId = streamId;
            return this;
        }

        /**
         * @param streamId stream id of the archive's private replay to this replayer.
         * @return this.
         */
        public Context privateStreamId(final int streamId)
        {
            this.privateStreamId = streamId;
            return this;
        }

        /**
         * @param timeoutNs how long to wait for a subscriber on the target (and for a lost one to return).
         * @return this.
         */
        public Context connectTimeoutNs(final long timeoutNs)
        {
            this.connectTimeoutNs = timeoutNs;
            return this;
        }

        /**
         * @param archiveDir the archive directory, for the replay lock that keeps retention off this day.
         * @return this.
         */
        public Context archiveDir(final Path archiveDir)
        {
            this.archiveDir = archiveDir;
            return this;
        }

        /**
         * @param recap with {@code from} set, deliver the state in force at {@code from} first (default true); no
         *     effect on a replay from the start of the day.
         * @return this.
         */
        public Context recap(final boolean recap)
        {
            this.recap = recap;
            return this;
        }

        /**
         * @param progress progress callback, or null.
         * @return this.
         */
        public Context progress(final ReplayProgress progress)
        {
            this.progress = progress;
            return this;
        }
    }
}
