package io.tickbus.archive.client;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.archive.client.RecordingDescriptorConsumer;
import io.aeron.exceptions.AeronException;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.Header;
import io.tickbus.archive.ArchiveControlAuthenticator;
import io.tickbus.archive.TickbusArchive;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.InstrumentFilter;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.TickbusCounters;
import io.tickbus.sbe.CommonEncoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber of the sequenced stream that delivers global sequences {@code from, from+1, ...} in order, exactly
 * once, whatever it missed: the reliable subscriber of the bus.
 * <p>
 * Live, it reads every member's copy of the sequenced stream (each member publishes on its own session, like A/B
 * lines) and takes the first copy of the next global sequence; later copies are repeats and are dropped. A live
 * message ahead of the next sequence is left in its image (a controlled poll aborts it), which stops that image
 * until the gap is filled: it opens a gap. When no other live copy fills the gap within
 * {@link Context#gapTimeoutNs()}, or when the live stream has been silent for {@link Context#probeIntervalNs()}
 * while an archive's recording has grown past what this subscriber saw (a stalled or paused subscriber, a stream
 * that went quiet while it was stopped), it <em>repairs</em>: it replays the recording of a member's session from
 * the position after the last message it saw on that session, on the archives named by
 * {@link Context#archiveEndpoints(List)} (tried in turn), and delivers what it missed in place with the replayed
 * flag set (common block {@code flags} bit 0). Live and replay race by global sequence: as soon as a live image
 * holds the next sequence (the message that opened the gap, at the latest) the replay is stopped and the
 * subscriber is live again, so a repair replays the hole and no more. A gap that no archive can fill
 * is reported to {@link MarketDataListener#onSequenceGap(long, long)} and counted ({@code unrecovered}); the
 * subscriber then takes the next live message, so a loss beyond recovery is never silent and never stalls it.
 * <p>
 * Counters (type ids in {@link TickbusCounters}): received, repeats, gaps, recovered, repairs, unrecovered,
 * archive-errors, reconnects. Archive errors go to {@link Context#errorHandler(ErrorHandler)} and a counter.
 * <p>
 * Threading: one thread calls {@link #poll(int)}. Allocation: none per live message in steady state; a repair
 * allocates for its archive control requests (connect, list, start and stop replay).
 */
public final class SequencedSubscriber implements AutoCloseable
{
    /** Property names and defaults. */
    public static final class Configuration
    {
        /** How long a gap may stay open before the archive is asked. */
        public static final String GAP_TIMEOUT_PROP_NAME = "tickbus.sequenced.gap.timeout.ns";
        /** Default gap timeout: 20 ms, far above the spread between members' copies on one network. */
        public static final long GAP_TIMEOUT_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(20);
        /** How long the live stream may be silent before the archive is asked whether it moved on. */
        public static final String PROBE_INTERVAL_PROP_NAME = "tickbus.sequenced.probe.interval.ns";
        /** Default probe interval: 1 s. */
        public static final long PROBE_INTERVAL_DEFAULT_NS = TimeUnit.SECONDS.toNanos(1);
        /** A replay that brings nothing for this long ends the repair. */
        public static final String REPAIR_IDLE_TIMEOUT_PROP_NAME = "tickbus.sequenced.repair.idle.timeout.ns";
        /** Default repair idle timeout: 1 s. */
        public static final long REPAIR_IDLE_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(1);
        /** How long a gap may go unrepaired (archives down, behind or without it) before it is given up. */
        public static final String GIVE_UP_TIMEOUT_PROP_NAME = "tickbus.sequenced.give.up.timeout.ns";
        /** Default give-up timeout: 30 s. */
        public static final long GIVE_UP_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(30);
        /** Pause between repair attempts that found no archive able to serve. */
        public static final long REPAIR_RETRY_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(250);
        /** Default channel on which archive replies and replays reach this subscriber (loopback). */
        public static final String RESPONSE_CHANNEL_DEFAULT = "aeron:udp?endpoint=127.0.0.1:0";
        /** Default stream id of replays to this subscriber. */
        public static final int REPLAY_STREAM_DEFAULT = 7120;
        /** Recordings of the stream considered at most per archive. */
        static final int MAX_RECORDINGS = 64;
        /** Sessions (members' publications) tracked at most; more wrap around, costing only a longer replay. */
        static final int MAX_SESSIONS = 16;

        private Configuration()
        {
        }
    }

    private static final int FLAGS_OFFSET = CommonBlock.OFFSET + CommonEncoder.flagsEncodingOffset();
    private static final byte REPLAYED_FLAG = 1;
    private static final long NONE = -1;

    private final Context ctx;
    private final NanoClock clock;
    private final MessageDispatcher dispatcher;
    private final ControlledFragmentAssembler liveAssembler;
    private final ControlledFragmentAssembler replayAssembler;
    // Recovered messages are copied here to set the replayed flag; grows (rarely) for a message larger than 64 KiB.
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(64 * 1024);

    // What was seen on each member's session: the position after the last message below the next sequence.
    private final int[] sessionIds = new int[Configuration.MAX_SESSIONS];
    private final long[] sessionPositions = new long[Configuration.MAX_SESSIONS];
    private final long[] sessionSeqs = new long[Configuration.MAX_SESSIONS];
    private int sessionCount;
    private int sessionEvict;

    // Recordings of the stream on the current archive, filled by listRecordingsForUri.
    private final long[] recordingIds = new long[Configuration.MAX_RECORDINGS];
    private final long[] recordingStarts = new long[Configuration.MAX_RECORDINGS];
    private final long[] recordingStops = new long[Configuration.MAX_RECORDINGS];
    private final long[] recordingStartTimes = new long[Configuration.MAX_RECORDINGS];
    private final int[] recordingSessions = new int[Configuration.MAX_RECORDINGS];
    // Recordings tried for the current gap, by archive and recording id: a re-list must not forget them.
    private final long[] triedKeys = new long[Configuration.MAX_RECORDINGS * 4];
    private int triedCount;
    private final long[] activePositions = new long[Configuration.MAX_RECORDINGS];
    private int recordingCount;
    private final RecordingDescriptorConsumer recordingConsumer = this::onRecording;

    private final long[] connectBackoffUntilNs;
    private Aeron aeron;
    private Subscription live;
    private Subscription replay;
    private String replayChannel;
    private AeronArchive archive;
    private int archiveIndex;
    private int archivesTriedThisGap;

    private AtomicCounter received;
    private AtomicCounter repeats;
    private AtomicCounter gaps;
    private AtomicCounter recovered;
    private AtomicCounter repairs;
    private AtomicCounter unrecovered;
    private AtomicCounter archiveErrors;
    private AtomicCounter reconnects;

    private long next;
    private long highestSeen;
    private long lowestHeldSeq = Long.MAX_VALUE;
    private long gapSinceNs;
    private long gapOpenedNs;
    private long repairRetryAtNs;
    private long lastLiveNs;
    private long lastProbeNs;
    private boolean skipNextGap;

    private boolean repairing;
    private long replaySessionId = NONE;
    private int replayOriginSession;
    private int replayRecordingSlot = -1;
    private long replayLastProgressNs;
    private boolean replayAhead;

    private long repeatCount;
    private long recoveredCount;
    private long repairCount;
    private long unrecoveredCount;
    private long archiveErrorCount;
    private long reconnectCount;

    /**
     * Subscribe: opens the live subscription now; archives are connected when first needed.
     *
     * @param ctx settings, concluded here.
     */
    public SequencedSubscriber(final Context ctx)
    {
        this.ctx = ctx.conclude();
        this.clock = ctx.nanoClock;
        this.next = ctx.fromGlobalSeq;
        this.connectBackoffUntilNs = new long[Math.max(1, ctx.archiveEndpoints.size())];
        this.dispatcher = new MessageDispatcher(ctx.listener, ctx.filter, null, null, null);
        this.liveAssembler = new ControlledFragmentAssembler(this::onLiveFragment);
        this.replayAssembler = new ControlledFragmentAssembler(this::onReplayFragment);
        final long now = clock.nanoTime();
        this.lastLiveNs = now;
        this.lastProbeNs = now;
        open(ctx.aeron);
    }

    /**
     * Rebuild the subscriptions and counters on a new Aeron client, keeping what was delivered: after the old
     * client lost its media driver (a pause longer than the driver's client liveness timeout). The next poll asks
     * the archive for what was missed.
     *
     * @param aeron the new client.
     */
    public void reconnect(final Aeron aeron)
    {
        closeResources();
        reconnectCount++;
        open(aeron);
        lastProbeNs = 0;
        lastLiveNs = 0;
    }

    /**
     * Poll the live stream and, while repairing, the replay; start or end a repair when due.
     *
     * @param fragmentLimit fragments at most from each source.
     * @return work done, for an idle strategy.
     */
    public int poll(final int fragmentLimit)
    {
        int work = live.controlledPoll(liveAssembler, fragmentLimit);
        final long nowNs = clock.nanoTime();
        if (repairing)
        {
            final int replayed = replay.controlledPoll(replayAssembler, fragmentLimit);
            if (replayed > 0)
            {
                replayLastProgressNs = nowNs;
            }
            work += replayed;
            work += checkRepair(nowNs);
        }
        else if (0 != gapSinceNs && nowNs - gapSinceNs >= ctx.gapTimeoutNs && nowNs - repairRetryAtNs >= 0)
        {
            work += startRepair(nowNs, true);
        }
        else if (0 == work && ctx.archiveEndpoints.size() > 0 &&
            nowNs - lastLiveNs >= ctx.probeIntervalNs && nowNs - lastProbeNs >= ctx.probeIntervalNs)
        {
            work += probe(nowNs);
            lastProbeNs = clock.nanoTime(); // a probe may have waited on an archive: the interval starts after it
        }
        return work;
    }

    /** @return the next global sequence this subscriber will deliver. */
    public long nextGlobalSeq()
    {
        return next;
    }

    /** @return copies of already delivered global sequences dropped. */
    public long repeatCount()
    {
        return repeatCount;
    }

    /** @return messages delivered from an archive. */
    public long recoveredCount()
    {
        return recoveredCount;
    }

    /** @return repairs started. */
    public long repairCount()
    {
        return repairCount;
    }

    /** @return global sequences given up on (no archive held them). */
    public long unrecoveredCount()
    {
        return unrecoveredCount;
    }

    /** @return archive requests that failed. */
    public long archiveErrorCount()
    {
        return archiveErrorCount;
    }

    /** @return reconnects after losing the media driver. */
    public long reconnectCount()
    {
        return reconnectCount;
    }

    /** {@inheritDoc} */
    public void close()
    {
        if (repairing)
        {
            stopReplay();
        }
        closeResources();
    }

    private void open(final Aeron aeron)
    {
        this.aeron = aeron;
        final String suffix = ": channel=" + ctx.channel + " stream=" + ctx.streamId;
        received = counter(TickbusCounters.SUBSCRIBER_RECEIVED, "tickbus-sub received" + suffix, 0);
        repeats = counter(TickbusCounters.SUBSCRIBER_REPEATS, "tickbus-sub repeats" + suffix, repeatCount);
        gaps = counter(TickbusCounters.SUBSCRIBER_GAPS, "tickbus-sub gaps" + suffix, 0);
        recovered = counter(TickbusCounters.SUBSCRIBER_RECOVERED, "tickbus-sub recovered" + suffix, recoveredCount);
        repairs = counter(TickbusCounters.SUBSCRIBER_REPAIRS, "tickbus-sub repairs" + suffix, repairCount);
        unrecovered = counter(
            TickbusCounters.SUBSCRIBER_UNRECOVERED, "tickbus-sub unrecovered" + suffix, unrecoveredCount);
        archiveErrors = counter(
            TickbusCounters.SUBSCRIBER_ARCHIVE_ERRORS, "tickbus-sub archive-errors" + suffix, archiveErrorCount);
        reconnects = counter(TickbusCounters.SUBSCRIBER_RECONNECTS, "tickbus-sub reconnects" + suffix, reconnectCount);
        dispatcher.gapsCounter(gaps);
        live = aeron.addSubscription(ctx.channel, ctx.streamId);
        replay = null;
        replayChannel = null;
        archive = null;
        repairing = false;
        replaySessionId = NONE;
    }

    private AtomicCounter counter(final int typeId, final String label, final long value)
    {
        final AtomicCounter counter = aeron.addCounter(typeId, label);
        counter.setRelease(value);
        return counter;
    }

    private void closeResources()
    {
        CloseHelper.quietCloseAll(archive, replay, live, received, repeats, gaps, recovered, repairs, unrecovered,
            archiveErrors, reconnects);
        archive = null;
        replay = null;
        live = null;
    }

    private Action onLiveFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (onMessage(buffer, offset, length, header.sessionId(), header.position(), false))
        {
            lastLiveNs = clock.nanoTime();
            return Action.CONTINUE;
        }
        return Action.ABORT; // ahead of the gap: stays in its image until the gap is filled
    }

    private Action onReplayFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (header.sessionId() == (int)replaySessionId)
        {
            onMessage(buffer, offset, length, replayOriginSession, header.position(), true);
            if (next >= lowestHeldSeq)
            {
                return Action.BREAK; // a live image holds the next sequence: let live take over from here
            }
        }
        return Action.CONTINUE;
    }

    /**
     * @return false when the message is ahead of the next sequence and was not consumed.
     */
    private boolean onMessage(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int originSession,
        final long positionAfter,
        final boolean fromArchive)
    {
        if (!CommonBlock.isTickbusMessage(buffer, offset, length))
        {
            dispatcher.dispatch(buffer, offset, length, positionAfter); // counted as malformed there
            return true;
        }
        final long seq = CommonBlock.globalSeq(buffer, offset);
        if (0 == seq)
        {
            dispatcher.dispatch(buffer, offset, length, positionAfter); // not sequenced: nothing to order
            return true;
        }
        if (seq < next)
        {
            repeatCount++;
            repeats.setRelease(repeatCount);
            noteSession(originSession, positionAfter, seq);
            return true;
        }
        if (seq > next && !skipNextGap)
        {
            if (seq > highestSeen)
            {
                highestSeen = seq;
            }
            if (0 == gapSinceNs)
            {
                gapSinceNs = clock.nanoTime();
                if (0 == gapOpenedNs)
                {
                    gapOpenedNs = gapSinceNs;
                }
            }
            if (fromArchive)
            {
                replayAhead = true; // this recording does not hold the next sequence
                return true;
            }
            if (seq < lowestHeldSeq)
            {
                lowestHeldSeq = seq;
            }
            return false;
        }

        if (seq > next)
        {
            // Given up on next .. seq-1: deliver; the dispatcher reports the jump (onSequenceGap, gaps counter)
            // unless nothing was delivered before it.
            unrecoveredCount += seq - next;
            unrecovered.setRelease(unrecoveredCount);
            if (0 == dispatcher.highestGlobalSeq())
            {
                ctx.listener.onSequenceGap(next, seq - 1);
                gaps.incrementRelease();
            }
        }
        skipNextGap = false;
        noteSession(originSession, positionAfter, seq);
        next = seq + 1;
        if (next > lowestHeldSeq)
        {
            lowestHeldSeq = Long.MAX_VALUE;
        }
        if (next > highestSeen)
        {
            gapSinceNs = 0;
            gapOpenedNs = 0;
            archivesTriedThisGap = 0;
        }
        else
        {
            gapSinceNs = clock.nanoTime(); // the gap moved on: give live copies a fresh chance to fill it
        }

        received.incrementRelease();
        if (fromArchive)
        {
            scratch.putBytes(0, buffer, offset, length);
            scratch.putByte(FLAGS_OFFSET, (byte)(scratch.getByte(FLAGS_OFFSET) | REPLAYED_FLAG));
            recoveredCount++;
            recovered.setRelease(recoveredCount);
            dispatcher.dispatch(scratch, 0, length, positionAfter);
        }
        else
        {
            dispatcher.dispatch(buffer, offset, length, positionAfter);
            if (repairing)
            {
                stopReplay(); // live caught up with the replay: live again
            }
        }
        return true;
    }

    private void noteSession(final int sessionId, final long positionAfter, final long seq)
    {
        int slot = -1;
        for (int i = 0; i < sessionCount; i++)
        {
            if (sessionIds[i] == sessionId)
            {
                slot = i;
                break;
            }
        }
        if (slot < 0)
        {
            if (sessionCount < Configuration.MAX_SESSIONS)
            {
                slot = sessionCount++;
            }
            else
            {
                slot = sessionEvict;
                sessionEvict = (sessionEvict + 1) % Configuration.MAX_SESSIONS;
            }
            sessionIds[slot] = sessionId;
            sessionPositions[slot] = 0;
            sessionSeqs[slot] = 0;
        }
        if (positionAfter > sessionPositions[slot])
        {
            sessionPositions[slot] = positionAfter;
            sessionSeqs[slot] = seq;
        }
    }

    private int sessionSlot(final int sessionId)
    {
        for (int i = 0; i < sessionCount; i++)
        {
            if (sessionIds[i] == sessionId)
            {
                return i;
            }
        }
        return -1;
    }

    /** Silent live stream: ask the archive whether a recording has grown past what was seen. */
    private int probe(final long nowNs)
    {
        if (!connectArchive() || !listRecordings())
        {
            return 1;
        }
        for (int i = 0; i < recordingCount; i++)
        {
            final long position = recordedPosition(i);
            final int slot = sessionSlot(recordingSessions[i]);
            final long seen = slot < 0 ? recordingStarts[i] : sessionPositions[slot];
            if (position > seen)
            {
                return startRepair(nowNs, false);
            }
        }
        return 1;
    }

    private int startRepair(final long nowNs, final boolean forGap)
    {
        if (ctx.archiveEndpoints.isEmpty())
        {
            giveUp();
            return 1;
        }
        while (archivesTriedThisGap < ctx.archiveEndpoints.size())
        {
            if (connectArchive() && listRecordings() && replayFromBestRecording(nowNs))
            {
                return 1;
            }
            // This archive cannot serve the next sequence (yet): try the next one.
            if (ctx.archiveEndpoints.size() > 1)
            {
                CloseHelper.quietClose(archive);
                archive = null;
                archiveIndex = (archiveIndex + 1) % ctx.archiveEndpoints.size();
            }
            archivesTriedThisGap++;
        }
        archivesTriedThisGap = 0;
        triedCount = 0;
        if (forGap && nowNs - gapOpenedNs >= ctx.giveUpTimeoutNs)
        {
            giveUp();
        }
        else
        {
            // The archives may be behind, restarting or busy: ask again a little later.
            repairRetryAtNs = nowNs + ctx.repairRetryIntervalNs;
        }
        return 1;
    }

    /** Replay the best untried recording: the one of the session seen nearest to the next sequence. */
    private boolean replayFromBestRecording(final long nowNs)
    {
        int best = -1;
        long bestSeq = -1;
        for (int i = 0; i < recordingCount; i++)
        {
            if (isTried(i))
            {
                continue;
            }
            final int slot = sessionSlot(recordingSessions[i]);
            final long seqSeen = slot >= 0 && sessionPositions[slot] >= recordingStarts[i] ? sessionSeqs[slot] : 0;
            final boolean better = seqSeen > bestSeq ||
                (seqSeen == bestSeq && best >= 0 && recordingStartTimes[i] < recordingStartTimes[best]);
            final long from = seqSeen > 0 ? sessionPositions[slot] : recordingStarts[i];
            if (recordedPosition(i) > from && better) // the archive holds something past where we are
            {
                best = i;
                bestSeq = seqSeen;
            }
        }
        if (best < 0)
        {
            return false;
        }
        markTried(best);
        final int slot = sessionSlot(recordingSessions[best]);
        final long from = slot >= 0 && sessionPositions[slot] >= recordingStarts[best] ?
            sessionPositions[slot] : recordingStarts[best];
        final long length = AeronArchive.NULL_POSITION == recordingStops[best] ? Long.MAX_VALUE :
            AeronArchive.NULL_LENGTH;
        try
        {
            ensureReplaySubscription();
            replaySessionId = archive.startReplay(
                recordingIds[best], from, length, replayChannel, ctx.replayStreamId);
        }
        catch (final AeronException ex)
        {
            onArchiveError(ex);
            return false;
        }
        repairing = true;
        replayAhead = false;
        replayRecordingSlot = best;
        replayOriginSession = recordingSessions[best];
        replayLastProgressNs = nowNs;
        repairCount++;
        repairs.setRelease(repairCount);
        return true;
    }

    private int checkRepair(final long nowNs)
    {
        if (!repairing)
        {
            return 0;
        }
        final Image image = replay.imageBySessionId((int)replaySessionId);
        final boolean ended = null != image && (image.isEndOfStream() || image.isClosed());
        if (replayAhead || ended || nowNs - replayLastProgressNs >= ctx.repairIdleTimeoutNs)
        {
            final boolean gapOpen = 0 != gapSinceNs;
            if (null != image && !replayAhead)
            {
                // Everything up to here was seen, padding included: the probe must not ask for it again.
                noteSession(replayOriginSession, image.position(), next - 1);
            }
            stopReplay();
            if (gapOpen)
            {
                return startRepair(nowNs, true); // another recording, or another archive, may hold it
            }
            lastProbeNs = nowNs;
            return 1;
        }
        return 0;
    }

    private void stopReplay()
    {
        repairing = false;
        final long sessionId = replaySessionId;
        replaySessionId = NONE;
        if (NONE != sessionId && null != archive)
        {
            try
            {
                archive.stopReplay(sessionId);
            }
            catch (final ArchiveException ex)
            {
                if (ArchiveException.UNKNOWN_REPLAY != ex.errorCode()) // else it had ended by itself
                {
                    onArchiveError(ex);
                }
            }
            catch (final AeronException ex)
            {
                onArchiveError(ex);
            }
        }
        if (0 == gapSinceNs)
        {
            triedCount = 0;
        }
    }

    private void giveUp()
    {
        // No archive holds the next sequence: take the next live message and report the jump (onMessage).
        skipNextGap = true;
        gapSinceNs = 0;
        gapOpenedNs = 0;
        archivesTriedThisGap = 0;
        triedCount = 0;
    }

    private boolean connectArchive()
    {
        if (null != archive)
        {
            return true;
        }
        final String endpoint = ctx.archiveEndpoints.get(archiveIndex);
        final long nowNs = clock.nanoTime();
        if (nowNs - connectBackoffUntilNs[archiveIndex] < 0)
        {
            return false; // failed to connect a moment ago: do not hold the live stream waiting on it again
        }
        try
        {
            final AeronArchive.Context archiveCtx = new AeronArchive.Context()
                .aeron(aeron)
                .ownsAeronClient(false)
                .controlRequestChannel("aeron:udp?endpoint=" + endpoint)
                .controlRequestStreamId(TickbusArchive.Configuration.CONTROL_STREAM_ID)
                .controlResponseChannel(ctx.responseChannel)
                .controlResponseStreamId(ctx.replayStreamId + 1)
                .messageTimeoutNs(ctx.archiveTimeoutNs);
            if (null != ctx.archiveSecret)
            {
                archiveCtx.credentialsSupplier(ArchiveControlAuthenticator.credentials(ctx.archiveSecret));
            }
            archive = AeronArchive.connect(archiveCtx);
            return true;
        }
        catch (final AeronException ex)
        {
            onArchiveError(new ArchiveException("archive " + endpoint + ": " + ex.getMessage()));
            connectBackoffUntilNs[archiveIndex] =
                clock.nanoTime() + Math.max(ctx.archiveTimeoutNs, ctx.probeIntervalNs);
            archiveIndex = (archiveIndex + 1) % ctx.archiveEndpoints.size();
            return false;
        }
    }

    private boolean listRecordings()
    {
        recordingCount = 0;
        try
        {
            archive.listRecordingsForUri(
                0, Configuration.MAX_RECORDINGS, ctx.recordedChannelFragment, ctx.streamId, recordingConsumer);
            for (int i = 0; i < recordingCount; i++)
            {
                if (AeronArchive.NULL_POSITION == recordingStops[i])
                {
                    // Active: its current position, read once here (one more control round trip).
                    final long position = archive.getRecordingPosition(recordingIds[i]);
                    activePositions[i] = AeronArchive.NULL_POSITION == position ? recordingStarts[i] : position;
                }
            }
            return true;
        }
        catch (final AeronException ex)
        {
            onArchiveError(ex);
            CloseHelper.quietClose(archive);
            archive = null;
            return false;
        }
    }

    private long triedKey(final int i)
    {
        return ((long)archiveIndex << 48) | recordingIds[i];
    }

    private boolean isTried(final int i)
    {
        final long key = triedKey(i);
        for (int k = 0; k < triedCount; k++)
        {
            if (triedKeys[k] == key)
            {
                return true;
            }
        }
        return false;
    }

    private void markTried(final int i)
    {
        if (triedCount < triedKeys.length)
        {
            triedKeys[triedCount++] = triedKey(i);
        }
    }

    private long recordedPosition(final int i)
    {
        return AeronArchive.NULL_POSITION == recordingStops[i] ? activePositions[i] : recordingStops[i];
    }

    private void onRecording(
        final long controlSessionId,
        final long correlationId,
        final long recordingId,
        final long startTimestamp,
        final long stopTimestamp,
        final long startPosition,
        final long stopPosition,
        final int initialTermId,
        final int segmentFileLength,
        final int termBufferLength,
        final int mtuLength,
        final int sessionId,
        final int streamId,
        final String strippedChannel,
        final String originalChannel,
        final String sourceIdentity)
    {
        if (streamId != ctx.streamId || recordingCount >= Configuration.MAX_RECORDINGS)
        {
            return;
        }
        int i = 0;
        while (i < recordingCount && recordingIds[i] != recordingId)
        {
            i++;
        }
        if (i == recordingCount)
        {
            recordingCount++;
        }
        recordingIds[i] = recordingId;
        recordingStarts[i] = startPosition;
        recordingStops[i] = stopPosition;
        recordingStartTimes[i] = startTimestamp;
        recordingSessions[i] = sessionId;
        activePositions[i] = stopPosition;
    }

    private void ensureReplaySubscription()
    {
        if (null == replay)
        {
            replay = aeron.addSubscription(ctx.responseChannel, ctx.replayStreamId);
        }
        if (null == replayChannel)
        {
            final long deadline = clock.nanoTime() + ctx.archiveTimeoutNs;
            String resolved = null;
            while (null == (resolved = replay.tryResolveChannelEndpointPort()))
            {
                if (clock.nanoTime() - deadline >= 0)
                {
                    throw new ArchiveException("replay channel " + ctx.responseChannel + " did not resolve");
                }
                Thread.yield();
            }
            replayChannel = resolved;
        }
    }

    private void onArchiveError(final Throwable ex)
    {
        archiveErrorCount++;
        if (null != archiveErrors)
        {
            archiveErrors.setRelease(archiveErrorCount);
        }
        ctx.errorHandler.onError(ex);
        if (!repairing)
        {
            // The control session may be gone (archive restarted, session timed out): connect afresh next time.
            CloseHelper.quietClose(archive);
            archive = null;
        }
    }

    /**
     * Settings of a {@link SequencedSubscriber}. Fluent; {@link #conclude()} validates and fills defaults.
     */
    public static final class Context
    {
        private Aeron aeron;
        private String channel;
        private int streamId;
        private MarketDataListener listener;
        private InstrumentFilter filter;
        private final List<String> archiveEndpoints = new ArrayList<>();
        private String responseChannel = Configuration.RESPONSE_CHANNEL_DEFAULT;
        private int replayStreamId = Configuration.REPLAY_STREAM_DEFAULT;
        private String recordedChannelFragment;
        private long fromGlobalSeq = 1;
        private long gapTimeoutNs = Long.getLong(Configuration.GAP_TIMEOUT_PROP_NAME, Configuration.GAP_TIMEOUT_DEFAULT_NS);
        private long probeIntervalNs =
            Long.getLong(Configuration.PROBE_INTERVAL_PROP_NAME, Configuration.PROBE_INTERVAL_DEFAULT_NS);
        private long repairIdleTimeoutNs =
            Long.getLong(Configuration.REPAIR_IDLE_TIMEOUT_PROP_NAME, Configuration.REPAIR_IDLE_TIMEOUT_DEFAULT_NS);
        private long archiveTimeoutNs = TimeUnit.SECONDS.toNanos(5);
        private long giveUpTimeoutNs =
            Long.getLong(Configuration.GIVE_UP_TIMEOUT_PROP_NAME, Configuration.GIVE_UP_TIMEOUT_DEFAULT_NS);
        private long repairRetryIntervalNs = Configuration.REPAIR_RETRY_INTERVAL_NS;
        private String archiveSecret;
        private ErrorHandler errorHandler = Throwable::printStackTrace;
        private NanoClock nanoClock = new SystemNanoClock();

        Context conclude()
        {
            if (null == aeron || null == channel || null == listener)
            {
                throw new IllegalArgumentException("aeron, channel and listener are required");
            }
            if (fromGlobalSeq < 1)
            {
                throw new IllegalArgumentException("fromGlobalSeq must be at least 1: " + fromGlobalSeq);
            }
            if (null == recordedChannelFragment)
            {
                final ChannelUri uri = ChannelUri.parse(channel);
                final String endpoint = uri.get(CommonContext.ENDPOINT_PARAM_NAME);
                recordedChannelFragment = null != endpoint ? endpoint : uri.media();
            }
            for (final String endpoint : archiveEndpoints)
            {
                final int colon = endpoint.lastIndexOf(':');
                if (colon <= 0 || colon == endpoint.length() - 1)
                {
                    throw new IllegalArgumentException("archive endpoint must be HOST:PORT: " + endpoint);
                }
            }
            return this;
        }

        /**
         * @param aeron client (not owned).
         * @return this.
         */
        public Context aeron(final Aeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        /**
         * @param channel the sequenced stream's channel.
         * @param streamId its stream id.
         * @return this.
         */
        public Context stream(final String channel, final int streamId)
        {
            this.channel = channel;
            this.streamId = streamId;
            return this;
        }

        /**
         * @param listener receives each global sequence once, in order.
         * @return this.
         */
        public Context listener(final MarketDataListener listener)
        {
            this.listener = listener;
            return this;
        }

        /**
         * @param filter instrument filter, or null for all.
         * @return this.
         */
        public Context filter(final InstrumentFilter filter)
        {
            this.filter = filter;
            return this;
        }

        /**
         * @param endpoints archives' UDP control endpoints, HOST:PORT, tried in turn.
         * @return this.
         */
        public Context archiveEndpoints(final List<String> endpoints)
        {
            archiveEndpoints.clear();
            archiveEndpoints.addAll(endpoints);
            return this;
        }

        /**
         * @param responseChannel where archive replies and replays reach this host, e.g.
         *     {@code aeron:udp?endpoint=10.0.0.5:0}.
         * @return this.
         */
        public Context responseChannel(final String responseChannel)
        {
            this.responseChannel = responseChannel;
            return this;
        }

        /**
         * @param recordedChannelFragment what the archive's recorded channel contains (default: the endpoint).
         * @return this.
         */
        public Context recordedChannelFragment(final String recordedChannelFragment)
        {
            this.recordedChannelFragment = recordedChannelFragment;
            return this;
        }

        /**
         * @param fromGlobalSeq first global sequence to deliver (1: the whole stream, from the archive).
         * @return this.
         */
        public Context fromGlobalSeq(final long fromGlobalSeq)
        {
            this.fromGlobalSeq = fromGlobalSeq;
            return this;
        }

        /** @return how long a gap may stay open before the archive is asked. */
        public long gapTimeoutNs()
        {
            return gapTimeoutNs;
        }

        /**
         * @param gapTimeoutNs how long a gap may stay open before the archive is asked.
         * @return this.
         */
        public Context gapTimeoutNs(final long gapTimeoutNs)
        {
            this.gapTimeoutNs = gapTimeoutNs;
            return this;
        }

        /** @return how long the live stream may be silent before the archive is asked whether it moved on. */
        public long probeIntervalNs()
        {
            return probeIntervalNs;
        }

        /**
         * @param probeIntervalNs how long the live stream may be silent before the archive is asked.
         * @return this.
         */
        public Context probeIntervalNs(final long probeIntervalNs)
        {
            this.probeIntervalNs = probeIntervalNs;
            return this;
        }

        /**
         * @param giveUpTimeoutNs how long a gap may go unrepaired before it is reported and passed.
         * @return this.
         */
        public Context giveUpTimeoutNs(final long giveUpTimeoutNs)
        {
            this.giveUpTimeoutNs = giveUpTimeoutNs;
            return this;
        }

        /**
         * @param archiveSecret the archives' control secret, or null when they need none.
         * @return this.
         */
        public Context archiveSecret(final String archiveSecret)
        {
            this.archiveSecret = archiveSecret;
            return this;
        }

        /**
         * @param archiveTimeoutNs how long an archive request may take.
         * @return this.
         */
        public Context archiveTimeoutNs(final long archiveTimeoutNs)
        {
            this.archiveTimeoutNs = archiveTimeoutNs;
            return this;
        }

        /**
         * @param errorHandler receives archive errors (each also counted).
         * @return this.
         */
        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /**
         * @param nanoClock clock for the timeouts.
         * @return this.
         */
        public Context nanoClock(final NanoClock nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }
    }
}
