package io.tickbus.archive.client;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.tickbus.archive.DaySegment;
import io.tickbus.client.CommonBlock;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongHashSet;

import java.util.concurrent.TimeUnit;

/**
 * A subscriber that joins a live stream late: it replays the stream's active recording from a start position
 * (the start of today's segment, the start of the recording, or any frame boundary), then hands over to the live
 * stream with no gap and no duplicate, and continues live. Works the same for {@code aeron:ipc} and UDP live
 * channels, which Aeron's ReplayMerge does not (it needs a UDP live stream with a control endpoint).
 * <p>
 * The hand-over, by stream position (replayed and live frames of one publication session share positions):
 * <ol>
 *   <li>replay the recording from the start position, following it while it grows;</li>
 *   <li>when the replay is within {@link Context#handoverWindow(long)} of the recording's live position, add the
 *   live subscription; its image of the recorded session joins at a frame boundary {@code J};</li>
 *   <li>keep replaying until the delivered position reaches {@code J} (the recording holds every byte the live
 *   image will not deliver), stop the replay;</li>
 *   <li>poll the live image, skipping any message whose end position is not beyond the delivered position.</li>
 * </ol>
 * The listener sees each message once, in stream order. The live subscription exists only for the short
 * catch-up of step 3, so a late joiner does not hold an IPC publisher back while it replays the day; it takes
 * only the followed session ({@code session-id}), so it never holds back another publisher of the stream.
 * <p>
 * Which recording: a stream can have several active recordings, one per publication session; on the sequenced
 * stream every sequencer member publishes the same messages on its own session. The subscriber follows the one
 * that has recorded the most ({@link LiveRecording}), so never a silent member's.
 * <p>
 * Rejoin: when the followed session ends (its live image closes or ends, or, while replaying, its recording
 * stops and the replay has delivered all of it), the subscriber follows another active recording of the same
 * channel and stream, replaying it from its start, and goes live on that session the same way. Across sessions
 * it merges by the global sequence of the common block: a sequenced message whose global sequence is not above
 * the highest delivered is skipped ({@link #repeatsSkipped()}), and after a rejoin unsequenced messages are
 * skipped until the first sequenced one above it; so the listener gets each global sequence once, in order, and
 * none that the other session holds is missing. It rejoins only on a sequenced stream (or before delivering
 * anything): the sessions of an unsequenced stream carry different messages, and its subscriber reports
 * {@link State#CLOSED} when its session ends, as before. When no other active recording is left it reports
 * {@link State#CLOSED}.
 * <p>
 * Threading: one thread calls {@link #poll(int)}. Allocation: none per message.
 */
public final class LateJoinSubscriber implements AutoCloseable
{
    /** Where the subscriber is. */
    public enum State
    {
        /** Replaying the recording. */
        REPLAY,
        /** Live, the replay stopped. */
        LIVE,
        /** The live stream ended (publisher gone and recording stopped). */
        CLOSED
    }

    private final Aeron aeron;
    private final AeronArchive archive;
    private final Context ctx;
    private final FragmentHandler delegate;
    private final FragmentAssembler replayAssembler;
    private final FragmentAssembler liveAssembler;
    private final LongHashSet leftRecordings = new LongHashSet();
    private LiveRecording followed;
    private long replaySessionId;
    private Subscription replaySubscription;
    private Image replayImage;
    private Subscription liveSubscription;
    private Image liveImage;
    private State state = State.REPLAY;
    private long deliveredPosition;
    private long nextRecordingPositionCheckNs;
    private long duplicatesSkipped;
    private long handoverPosition = Aeron.NULL_VALUE;
    private long highestGlobalSeq;
    private long repeatsSkipped;
    private int rejoinCount;
    private boolean delivered;
    private boolean skipUnsequenced;

    /**
     * Start replaying the active recording of the live stream that has recorded the most.
     *
     * @param aeron client on the archive's driver.
     * @param archive archive client, used by the polling thread only.
     * @param ctx the live stream and start position.
     * @param handler receives each whole message with its header (stream position) once, in order.
     * @throws IllegalStateException when the stream has no active recording.
     */
    public LateJoinSubscriber(
        final Aeron aeron, final AeronArchive archive, final Context ctx, final FragmentHandler handler)
    {
        this.aeron = aeron;
        this.archive = archive;
        this.ctx = ctx;
        this.delegate = handler;
        final LiveRecording first = null != ctx.first ? ctx.first :
            LiveRecording.require(archive, ctx.liveChannel, ctx.streamId);
        final long start = AeronArchive.NULL_POSITION == ctx.startPosition ? first.startPosition : ctx.startPosition;
        if (start < first.startPosition)
        {
            throw new IllegalArgumentException("start position " + start + " is before the recording's start " +
                first.startPosition);
        }
        replayAssembler = new FragmentAssembler(this::onReplayMessage);
        liveAssembler = new FragmentAssembler(this::onLiveMessage);
        follow(first, start);
    }

    private void follow(final LiveRecording recording, final long start)
    {
        followed = recording;
        deliveredPosition = start;
        nextRecordingPositionCheckNs = 0;
        state = State.REPLAY;
        replaySessionId = archive.startReplay(
            recording.recordingId, start, AeronArchive.REPLAY_ALL_AND_FOLLOW, "aeron:ipc", ctx.replayStreamId);
        replaySubscription = aeron.addSubscription(
            ChannelUri.addSessionId("aeron:ipc", (int)replaySessionId), ctx.replayStreamId);
    }

    /**
     * @param fragmentLimit most fragments per call.
     * @return work done, for an idle strategy.
     */
    public int poll(final int fragmentLimit)
    {
        return switch (state)
        {
            case REPLAY -> pollReplay(fragmentLimit);
            case LIVE -> pollLive(fragmentLimit);
            case CLOSED -> 0;
        };
    }

    private int pollReplay(final int fragmentLimit)
    {
        int work = 0;
        if (null == replayImage)
        {
            replayImage = replaySubscription.imageBySessionId((int)replaySessionId);
            if (null == replayImage)
            {
                return 0;
            }
        }
        work += replayImage.poll(replayAssembler, fragmentLimit);

        if (null == liveSubscription)
        {
            final long nowNs = System.nanoTime();
            if (nowNs >= nextRecordingPositionCheckNs)
            {
                nextRecordingPositionCheckNs = nowNs + ctx.positionCheckIntervalNs;
                final long recorded = archive.getRecordingPosition(followed.recordingId);
                if (AeronArchive.NULL_POSITION == recorded)
                {
                    // recording stopped: nothing live to join; deliver the rest of the replay, then rejoin
                    if (replayImage.isEndOfStream() || replayImage.isClosed())
                    {
                        return work + rejoin();
                    }
                }
                else if (recorded - deliveredPosition <= ctx.handoverWindow)
                {
                    liveSubscription = aeron.addSubscription(
                        ChannelUri.addSessionId(ctx.liveChannel, followed.sessionId), ctx.streamId);
                }
                work++;
            }
        }
        else if (null == liveImage)
        {
            liveImage = liveSubscription.imageBySessionId(followed.sessionId);
        }
        else if (deliveredPosition >= liveImage.joinPosition())
        {
            handoverPosition = deliveredPosition;
            closeReplay();
            state = State.LIVE;
            work++;
        }
        if (State.REPLAY == state && (replayImage.isClosed() || replayImage.isEndOfStream()) && 0 == work)
        {
            return rejoin();
        }
        return work;
    }

    private int pollLive(final int fragmentLimit)
    {
        final int work = liveImage.poll(liveAssembler, fragmentLimit);
        if (0 == work && (liveImage.isClosed() || liveImage.isEndOfStream()))
        {
            return rejoin();
        }
        return work;
    }

    /**
     * The followed session ended: follow another active recording of the stream from its start, or close.
     */
    private int rejoin()
    {
        closeReplay();
        CloseHelper.close(liveSubscription);
        liveSubscription = null;
        liveImage = null;
        replayAssembler.clear(); // a partial message of the sessions left is never completed
        liveAssembler.clear();
        leftRecordings.add(followed.recordingId);
        final LiveRecording next = delivered && 0 == highestGlobalSeq ? null :
            LiveRecording.choose(archive, ctx.liveChannel, ctx.streamId, leftRecordings);
        if (null == next)
        {
            state = State.CLOSED;
            return 1;
        }
        rejoinCount++;
        skipUnsequenced = highestGlobalSeq > 0;
        follow(next, next.startPosition);
        return 1;
    }

    private void onReplayMessage(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        deliveredPosition = header.position();
        deliver(buffer, offset, length, header);
    }

    private void onLiveMessage(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final long position = header.position();
        if (position <= deliveredPosition)
        {
            duplicatesSkipped++;
            return;
        }
        deliveredPosition = position;
        deliver(buffer, offset, length, header);
    }

    private void deliver(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final long globalSeq = CommonBlock.isTickbusMessage(buffer, offset, length) ?
            CommonBlock.globalSeq(buffer, offset) : 0;
        if (globalSeq > 0)
        {
            if (globalSeq <= highestGlobalSeq)
            {
                repeatsSkipped++;
                return;
            }
            highestGlobalSeq = globalSeq;
            skipUnsequenced = false;
        }
        else if (skipUnsequenced)
        {
            repeatsSkipped++;
            return;
        }
        delivered = true;
        delegate.onFragment(buffer, offset, length, header);
    }

    private void closeReplay()
    {
        if (null != replaySubscription)
        {
            if (null != replayImage && !replayImage.isClosed() && !replayImage.isEndOfStream())
            {
                try
                {
                    archive.stopReplay(replaySessionId);
                }
                catch (final RuntimeException ignore)
                {
                    // the replay may have ended on its own
                }
            }
            CloseHelper.close(replaySubscription);
            replaySubscription = null;
            replayImage = null;
        }
    }

    /** @return where the subscriber is. */
    public State state()
    {
        return state;
    }

    /** @return true once the subscriber reads the live stream. */
    public boolean isLive()
    {
        return State.LIVE == state;
    }

    /**
     * @return the stream position the last replay handed over at (in the session followed then), or
     * {@link Aeron#NULL_VALUE} before.
     */
    public long handoverPosition()
    {
        return handoverPosition;
    }

    /** @return live messages skipped because the replay had already delivered them. */
    public long duplicatesSkipped()
    {
        return duplicatesSkipped;
    }

    /** @return the end position of the last delivered message. */
    public long deliveredPosition()
    {
        return deliveredPosition;
    }

    /** @return the recording followed now (replayed, or recorded from the live session followed). */
    public long recordingId()
    {
        return followed.recordingId;
    }

    /** @return the publication session followed now. */
    public int sessionId()
    {
        return followed.sessionId;
    }

    /**
     * @return messages skipped because their global sequence was already delivered (from another session, or a
     * republished tail), and unsequenced messages skipped after a rejoin before its first new sequenced one.
     */
    public long repeatsSkipped()
    {
        return repeatsSkipped;
    }

    /** @return the highest global sequence delivered, 0 before the first sequenced message. */
    public long highestGlobalSeq()
    {
        return highestGlobalSeq;
    }

    /** @return how many times the subscriber moved to another session because the followed one ended. */
    public int rejoinCount()
    {
        return rejoinCount;
    }

    /** Stop the replay and close the subscriptions. */
    public void close()
    {
        closeReplay();
        CloseHelper.close(liveSubscription);
        state = State.CLOSED;
    }

    /**
     * The live stream and where to start.
     */
    public static final class Context
    {
        private String liveChannel;
        private int streamId;
        private long startPosition = AeronArchive.NULL_POSITION;
        private long handoverWindow = 1024 * 1024;
        private int replayStreamId = 710_192;
        private long positionCheckIntervalNs = TimeUnit.MILLISECONDS.toNanos(5);
        private LiveRecording first;

        /**
         * @param channel the live channel as recorded, e.g. {@code aeron:ipc}.
         * @param streamId the live stream id.
         * @return this.
         */
        public Context live(final String channel, final int streamId)
        {
            this.liveChannel = channel;
            this.streamId = streamId;
            return this;
        }

        /**
         * @param position a frame boundary to start at (e.g. {@link DaySegment#startPosition()} of today's segment);
         * {@link AeronArchive#NULL_POSITION} (default) for the start of the recording.
         * @return this.
         */
        public Context startPosition(final long position)
        {
            this.startPosition = position;
            return this;
        }

        /**
         * @param bytes how close to the live recording position the replay must be before the live subscription
         * is added (keep it well under half the live term length).
         * @return this.
         */
        public Context handoverWindow(final long bytes)
        {
            this.handoverWindow = bytes;
            return this;
        }

        /**
         * @param recording the recording to follow first (as chosen by {@link LiveRecording}), so that a start
         * position found for it applies to it; null (default) to choose at construction.
         * @return this.
         */
        Context follow(final LiveRecording recording)
        {
            this.first = recording;
            return this;
        }

        /**
         * @param streamId stream id of the private replay to this subscriber.
         * @return this.
         */
        public Context replayStreamId(final int streamId)
        {
            this.replayStreamId = streamId;
            return this;
        }
    }
}
