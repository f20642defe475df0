package io.tickbus.sequencer.client;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.cluster.codecs.EventCode;
import io.aeron.logbuffer.Header;
import io.aeron.security.AuthenticationException;
import io.aeron.security.CredentialsSupplier;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.MessageSink;
import io.tickbus.client.ComponentErrors;
import io.tickbus.client.OpenCounters;
import io.tickbus.client.ProcessEpochClock;
import io.tickbus.client.PublicationFailedException;
import io.tickbus.client.SecretSource;
import io.tickbus.sbe.GapNoticeEncoder;
import io.tickbus.sbe.GapReason;
import io.tickbus.sbe.HeartbeatEncoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sequencer.SequencerCounters;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.concurrent.TimeUnit;

/**
 * How a feed handler sends its messages to the sequencer: a {@link MessageSink} over an Aeron Cluster client,
 * authenticated as one feed.
 * <p>
 * Each message is stamped with the publish time, copied into a window of unacknowledged messages and sent on
 * ingress. The service acknowledges on egress with the feed's highest sequenced source sequence; acknowledged
 * messages leave the window. When the cluster elects a new leader (or the client has to reconnect), everything
 * still in the window is sent again, in order; the service drops what it had already sequenced, so each message
 * is sequenced exactly once.
 * <p>
 * A full window, by the {@link BackPressurePolicy}: {@link BackPressurePolicy.Exhausted#DROP} drops the message at
 * once, never waiting inside the caller's duty cycle (a live feed handler must get back to its socket), counts it,
 * and announces the dropped source sequences with one {@code GapNotice} (reason {@code BUS_GAP}, {@code fromSeq..
 * toSeq} the dropped source sequences, itself numbered with the first of them) ahead of the next newer message that
 * fits: only a newer message shows the caller has moved past them (a feed handler's next message or heartbeat). A
 * dropped message offered again (a retry) is sequenced as usual and left out of the notice;
 * {@link BackPressurePolicy.Exhausted#FAIL} (and {@link BackPressurePolicy#WAIT}) holds: keeps polling for acks
 * for at most the policy's wait, then throws. A file source holds; a live one drops.
 * <p>
 * Source sequences of one feed must increase strictly (they are the de-duplication key).
 * <p>
 * Threading: one thread calls {@link #publish} and {@link #doWork()} (an {@link Agent}; call it from the feed
 * handler's duty cycle so acks, keep-alives and leader changes are handled while the feed is quiet).
 * Allocation: none per message; the window is allocated once.
 */
public final class SequencerClient implements MessageSink, Agent, AutoCloseable
{
    /** Accepted into the window but not yet sent (the cluster is between leaders); it will be sent. */
    public static final long QUEUED = 1;
    /** Refused: not a Tickbus message, too long, wrong feed id or source sequence not increasing. */
    public static final long REJECTED = -101;
    /** Dropped: the window stayed full for longer than the back-pressure bound. */
    public static final long DROPPED = BusPublisher.DROPPED;
    /**
     * Not sent, nothing lost: a heartbeat numbered as the message last sent (the heartbeats of one quiet stretch share
     * a number, see DerivedSequence.heartbeat); the sequencer would only count it a duplicate.
     */
    public static final long REPEATED_HEARTBEAT = 2;
    private static final long ACK_REQUEST_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Context ctx;
    private final MessageRing window;
    private final NanoClock nanoClock = new SystemNanoClock();
    private final EpochNanoClock epochClock = ProcessEpochClock.get();
    private final IdleStrategy retryIdle = new BackoffIdleStrategy(
        10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
    private final Listener listener = new Listener();
    private final AtomicCounter sentCounter;
    private final AtomicCounter resentCounter;
    private final AtomicCounter ackedCounter;
    private final AtomicCounter droppedCounter;
    private final AtomicCounter rejectedCounter;
    private final AtomicCounter leaderChangesCounter;
    private final AtomicCounter lastAckedSourceSeqCounter;
    private final AtomicCounter lastAckedGlobalSeqCounter;
    private final AtomicCounter gapNoticesCounter;
    private final Aeron aeron;
    private final ComponentErrors ownErrors;
    private final org.agrona.ErrorHandler errorHandler;
    private final UnsafeBuffer gapBuffer = new UnsafeBuffer(new byte[128]);
    private final GapNoticeEncoder gapNotice = new GapNoticeEncoder();
    private final MessageHeaderEncoder gapHeader = new MessageHeaderEncoder();
    private long droppedFromSourceSeq;
    private long droppedToSourceSeq;
    private int droppedFeedId;

    private AeronCluster cluster;
    private AeronCluster.AsyncConnect reconnect;
    private long sendIndex;
    private long lastAppendedSourceSeq;
    private long lastAckedSourceSeq;
    private long acksReceived;
    private int lastAckedEpoch;
    private long repeatedHeartbeats;
    private int lastAppendedEpoch;
    private final org.agrona.concurrent.UnsafeBuffer ackRequestBuffer =
        new org.agrona.concurrent.UnsafeBuffer(new byte[SequencerProtocol.ACK_REQUEST_LENGTH]);
    private long lastAckedGlobalSeq;
    private long lastSendNs;
    private long lastAckProgressNs;
    private long lastPosition;

    /**
     * Connect to the cluster, blocking until connected or the message timeout.
     *
     * @param ctx settings; {@link Context#conclude()} is called here.
     * @throws AuthenticationException when the cluster rejects the feed's credentials.
     */
    public SequencerClient(final Context ctx)
    {
        ctx.conclude();
        this.ctx = ctx;
        this.window = new MessageRing(ctx.windowBytes, ctx.windowMessages);
        this.cluster = connect(ctx);
        this.aeron = cluster.context().aeron();
        this.ownErrors = null == ctx.errorHandler ?
            ComponentErrors.create(aeron, "sequencer-client-feed-" + ctx.feedId, null) : null;
        this.errorHandler = null != ownErrors ? ownErrors.errorHandler() : ctx.errorHandler;
        final String suffix = ": feed=" + ctx.feedId;
        sentCounter = aeron.addCounter(SequencerCounters.CLIENT_SENT, "tickbus-seq-client sent" + suffix);
        resentCounter = aeron.addCounter(SequencerCounters.CLIENT_RESENT, "tickbus-seq-client resent" + suffix);
        ackedCounter = aeron.addCounter(SequencerCounters.CLIENT_ACKED, "tickbus-seq-client acked" + suffix);
        droppedCounter = aeron.addCounter(SequencerCounters.CLIENT_DROPPED, "tickbus-seq-client dropped" + suffix);
        rejectedCounter = aeron.addCounter(SequencerCounters.CLIENT_REJECTED, "tickbus-seq-client rejected" + suffix);
        leaderChangesCounter = aeron.addCounter(
            SequencerCounters.CLIENT_LEADER_CHANGES, "tickbus-seq-client leader-changes" + suffix);
        lastAckedSourceSeqCounter = aeron.addCounter(
            SequencerCounters.CLIENT_LAST_ACKED_SOURCE_SEQ, "tickbus-seq-client last-acked-source-seq" + suffix);
        lastAckedGlobalSeqCounter = aeron.addCounter(
            SequencerCounters.CLIENT_LAST_ACKED_GLOBAL_SEQ, "tickbus-seq-client last-acked-global-seq" + suffix);
        gapNoticesCounter = aeron.addCounter(
            SequencerCounters.CLIENT_GAP_NOTICES, "tickbus-seq-client gap-notices" + suffix);
        lastSendNs = nanoClock.nanoTime();
    }

    private AeronCluster connect(final Context ctx)
    {
        try
        {
            return AeronCluster.connect(clusterContext(ctx));
        }
        catch (final AuthenticationException ex)
        {
            throw new AuthenticationException("sequencer rejected the credentials of feed " + ctx.feedId +
                " (check its secret in " + Context.SECRET_ENV + " / " + Context.SECRET_FILE_ENV + "): " +
                ex.getMessage(), ex);
        }
    }

    private AeronCluster.Context clusterContext(final Context ctx)
    {
        final byte[] credentials = null == ctx.secret ? new byte[0] :
            SequencerProtocol.encodeCredentials(ctx.feedId, ctx.secret);
        final AeronCluster.Context clusterCtx = new AeronCluster.Context()
            .ingressChannel(ctx.ingressChannel)
            .ingressEndpoints(ctx.ingressEndpoints)
            .egressChannel(ctx.egressChannel)
            .messageTimeoutNs(ctx.messageTimeoutNs)
            .newLeaderTimeoutNs(ctx.newLeaderTimeoutNs)
            .credentialsSupplier(new CredentialsSupplier()
            {
                public byte[] encodedCredentials()
                {
                    return credentials;
                }

                public byte[] onChallenge(final byte[] encodedChallenge)
                {
                    return credentials;
                }
            })
            .egressListener(listener);
        if (null != ctx.aeron)
        {
            clusterCtx.aeron(ctx.aeron).ownsAeronClient(false);
        }
        else if (null != ctx.aeronDirectoryName)
        {
            clusterCtx.aeronDirectoryName(ctx.aeronDirectoryName);
        }
        return clusterCtx;
    }

    /**
     * Send a message to the sequencer.
     *
     * @param buffer holding an encoded Tickbus message of this client's feed; its publish time is stamped.
     * @param offset of the message header.
     * @param length of the message.
     * @return the ingress position (&gt; 0) when sent now, {@link #QUEUED} when kept for sending after a leader
     * change, {@link #REPEATED_HEARTBEAT}, {@link #REJECTED} or {@link #DROPPED}.
     * @throws PublicationFailedException when the window stays full past the bound and the policy is FAIL.
     */
    public long publish(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final long sourceSeq;
        if (CommonBlock.isTickbusMessage(buffer, offset, length) &&
            HeartbeatEncoder.TEMPLATE_ID == CommonBlock.templateId(buffer, offset) &&
            CommonBlock.sourceSeq(buffer, offset) == lastAppendedSourceSeq && 0 != lastAppendedSourceSeq &&
            CommonBlock.epoch(buffer, offset) == lastAppendedEpoch)
        {
            repeatedHeartbeats++;
            return REPEATED_HEARTBEAT;
        }
        if (!CommonBlock.isTickbusMessage(buffer, offset, length) || length > window.capacityBytes() ||
            (SequencerProtocol.ANY_FEED != ctx.feedId && CommonBlock.feedId(buffer, offset) != ctx.feedId))
        {
            OpenCounters.increment(rejectedCounter);
            return REJECTED;
        }
        sourceSeq = CommonBlock.sourceSeq(buffer, offset);
        final int epoch = CommonBlock.epoch(buffer, offset);
        if (epoch != lastAppendedEpoch && CommonBlock.isNewerEpoch(epoch, lastAppendedEpoch))
        {
            // A venue session change or sequence reset: numbers start low again. A notice of drops in the
            // session that ended goes first, in its own epoch, when the window has room for it.
            if (0 != droppedFromSourceSeq && !appendGapNotice(epochClock.nanoTime()))
            {
                OpenCounters.increment(droppedCounter);
            }
            lastAppendedEpoch = epoch;
            lastAppendedSourceSeq = 0;
            droppedFromSourceSeq = 0;
            droppedToSourceSeq = 0;
        }
        else if (epoch != lastAppendedEpoch || sourceSeq <= lastAppendedSourceSeq)
        {
            OpenCounters.increment(rejectedCounter);
            return REJECTED;
        }

        final long nowEpochNs = epochClock.nanoTime();
        CommonBlock.publishTime(buffer, offset, nowEpochNs);
        if (0 != droppedFromSourceSeq && sourceSeq <= droppedToSourceSeq)
        {
            // The caller offers a dropped message again: it is not lost, so the notice covers only what came before.
            droppedToSourceSeq = sourceSeq - 1;
            if (droppedToSourceSeq < droppedFromSourceSeq)
            {
                droppedFromSourceSeq = 0;
                droppedToSourceSeq = 0;
            }
        }
        if (0 != droppedFromSourceSeq && !appendGapNotice(nowEpochNs))
        {
            return drop(buffer, offset, sourceSeq); // the notice goes first; while it cannot, neither can this
        }
        long index = window.tryAppend(buffer, offset, length, sourceSeq);
        if (index < 0 && BackPressurePolicy.Exhausted.DROP == ctx.backPressure.exhausted())
        {
            doWork(); // acks that already arrived may free the window; nothing is waited for
            index = window.tryAppend(buffer, offset, length, sourceSeq);
            if (index < 0)
            {
                return drop(buffer, offset, sourceSeq);
            }
        }
        if (index < 0)
        {
            final long deadlineNs = nanoClock.nanoTime() + ctx.backPressure.maxWaitNs();
            retryIdle.reset();
            while ((index = window.tryAppend(buffer, offset, length, sourceSeq)) < 0)
            {
                if (nanoClock.nanoTime() - deadlineNs >= 0)
                {
                    OpenCounters.increment(droppedCounter);
                    throw new PublicationFailedException("sequencer window full (" + window.size() +
                        " unacknowledged) beyond " + ctx.backPressure.maxWaitNs() + " ns, feed " + ctx.feedId);
                }
                retryIdle.idle(doWork());
            }
        }
        lastAppendedSourceSeq = sourceSeq;
        if (1 == window.size())
        {
            lastAckProgressNs = nanoClock.nanoTime();
        }
        sendPending();
        if (sendIndex <= index)
        {
            pollEgress();
            return QUEUED;
        }
        pollEgress();
        return lastPosition;
    }

    /**
     * Poll egress (acks, leader changes), send what is pending, keep the session alive, reconnect when needed.
     *
     * @return work done.
     */
    public int doWork()
    {
        int work = pollEgress();
        final long nowNs = nanoClock.nanoTime();
        if (!window.isEmpty() && sendIndex > window.firstIndex() && nowNs - lastAckProgressNs > ctx.resendTimeoutNs)
        {
            // Sent but not acknowledged for a while (an ack lost, or a leader change not yet announced): resend;
            // the service drops what it already has and acknowledges it.
            lastAckProgressNs = nowNs;
            resendFromFirst();
        }
        work += sendPending();
        if (null != cluster && nowNs - lastSendNs > ctx.keepAliveIntervalNs)
        {
            if (cluster.sendKeepAlive())
            {
                lastSendNs = nanoClock.nanoTime();
            }
        }
        return work;
    }

    /**
     * Work until every message sent so far is acknowledged, or the timeout.
     *
     * @param timeoutNs how long to wait.
     * @return true when the window is empty.
     */
    public boolean awaitAcknowledged(final long timeoutNs)
    {
        final long deadlineNs = nanoClock.nanoTime() + timeoutNs;
        retryIdle.reset();
        while (!window.isEmpty())
        {
            if (nanoClock.nanoTime() - deadlineNs >= 0)
            {
                return false;
            }
            retryIdle.idle(doWork());
        }
        return true;
    }

    /**
     * Work until the cluster's first ack for this feed arrives (the sequencer sends one when the session opens, with
     * the feed's last sequenced source sequence), or the timeout. A restarted feed handler takes its expectation from
     * it ({@link #lastAckedSourceSeq()}).
     *
     * @param timeoutNs how long to wait.
     * @return true when an ack arrived.
     */
    public boolean awaitFirstAck(final long timeoutNs)
    {
        final long startNs = nanoClock.nanoTime();
        long requestedNs = startNs - ACK_REQUEST_INTERVAL_NS;
        retryIdle.reset();
        while (0 == acksReceived)
        {
            final long nowNs = nanoClock.nanoTime();
            if (nowNs - startNs >= timeoutNs)
            {
                return false;
            }
            if (nowNs - requestedNs >= ACK_REQUEST_INTERVAL_NS && SequencerProtocol.ANY_FEED != ctx.feedId &&
                null != cluster)
            {
                // Asked again until answered: an answer (or the ack sent as the session opened) may be lost.
                final int length = SequencerProtocol.encodeAckRequest(ackRequestBuffer, 0, ctx.feedId);
                if (cluster.offer(ackRequestBuffer, 0, length) > 0)
                {
                    requestedNs = nowNs;
                    lastSendNs = nowNs;
                }
            }
            retryIdle.idle(doWork());
        }
        return true;
    }

    /** @return heartbeats not sent because they repeated the number of the message sent before them. */
    public long repeatedHeartbeatCount()
    {
        return repeatedHeartbeats;
    }

    /** @return the venue session epoch of {@link #lastAckedSourceSeq()}. */
    public int lastAckedEpoch()
    {
        return lastAckedEpoch;
    }

    /**
     * Remove from the window what an ack covers: every message of an older epoch, and those of its epoch up to its
     * source sequence (the window holds the end of one session and the start of the next across a reset).
     */
    private int removeAcknowledged(final int epoch, final long lastSourceSeq)
    {
        int removed = 0;
        while (!window.isEmpty())
        {
            final long first = window.firstIndex();
            final int entryEpoch = CommonBlock.epoch(window.buffer(), window.offset(first));
            if (CommonBlock.isNewerEpoch(entryEpoch, epoch) ||
                (entryEpoch == epoch && CommonBlock.sourceSeq(window.buffer(), window.offset(first)) > lastSourceSeq))
            {
                break;
            }
            window.removeFirst();
            removed++;
        }
        return removed;
    }

    /** @return acks received from the cluster for this feed. */
    public long acksReceived()
    {
        return acksReceived;
    }

    /** @return messages in the window, not yet acknowledged. */
    public int unacknowledged()
    {
        return window.size();
    }

    /** @return highest source sequence the cluster acknowledged for this feed. */
    public long lastAckedSourceSeq()
    {
        return lastAckedSourceSeq;
    }

    /** @return the cluster's global sequence in the latest ack. */
    public long lastAckedGlobalSeq()
    {
        return lastAckedGlobalSeq;
    }

    /** @return messages resent after leader changes or reconnects. */
    public long resentCount()
    {
        return resentCounter.get();
    }

    /** @return leader changes seen. */
    public long leaderChanges()
    {
        return leaderChangesCounter.get();
    }

    /** @return messages dropped by the back-pressure bound. */
    public long droppedCount()
    {
        return droppedCounter.get();
    }

    /** @return {@code GapNotice}s sent for messages dropped with the window full. */
    public long gapNoticeCount()
    {
        return gapNoticesCounter.get();
    }

    /** @return the first source sequence dropped and not yet announced by a {@code GapNotice}, 0 when none. */
    public long pendingGapFromSourceSeq()
    {
        return droppedFromSourceSeq;
    }

    /** @return messages refused before sending. */
    public long rejectedCount()
    {
        return rejectedCounter.get();
    }

    /** @return the feed id this client sends as. */
    public int feedId()
    {
        return ctx.feedId;
    }

    /** {@inheritDoc} */
    public String roleName()
    {
        return "tickbus-sequencer-client-" + ctx.feedId;
    }

    /** Close the cluster session and counters; unacknowledged messages are abandoned. */
    public void close()
    {
        CloseHelper.closeAll(ownErrors, reconnect, cluster, sentCounter, resentCounter, ackedCounter, droppedCounter,
            rejectedCounter, leaderChangesCounter, lastAckedSourceSeqCounter, lastAckedGlobalSeqCounter,
            gapNoticesCounter);
    }

    /** {@inheritDoc} */
    public void onClose()
    {
        close();
    }

    /** Drop a message the window has no room for, remembering its source sequence for the next notice. */
    private long drop(final DirectBuffer buffer, final int offset, final long sourceSeq)
    {
        OpenCounters.increment(droppedCounter);
        if (0 == droppedFromSourceSeq)
        {
            droppedFromSourceSeq = sourceSeq;
            droppedFeedId = CommonBlock.feedId(buffer, offset);
        }
        droppedToSourceSeq = Math.max(droppedToSourceSeq, sourceSeq);
        return DROPPED; // the caller may offer it again (a retry); otherwise the next notice announces it
    }

    /**
     * Put the {@code GapNotice} for the dropped source sequences in the window, numbered with the first of them
     * (free: the message it stands for never reached the cluster).
     *
     * @return true when it is in the window.
     */
    private boolean appendGapNotice(final long nowEpochNs)
    {
        gapNotice.wrapAndApplyHeader(gapBuffer, 0, gapHeader);
        gapNotice.common().globalSeq(0).sequencerTime(0).sourceSeq(droppedFromSourceSeq).exchangeTime(0)
            .receiveTime(nowEpochNs).publishTime(nowEpochNs).instrumentId(0).feedId(droppedFeedId);
        gapNotice.fromSeq(droppedFromSourceSeq).toSeq(droppedToSourceSeq).reason(GapReason.BUS_GAP)
            .epoch(lastAppendedEpoch);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + gapNotice.encodedLength();
        if (window.tryAppend(gapBuffer, 0, length, droppedFromSourceSeq) < 0)
        {
            return false;
        }
        lastAppendedSourceSeq = Math.max(lastAppendedSourceSeq, droppedToSourceSeq); // announced: gone for good
        droppedFromSourceSeq = 0;
        droppedToSourceSeq = 0;
        OpenCounters.increment(gapNoticesCounter);
        if (1 == window.size())
        {
            lastAckProgressNs = nanoClock.nanoTime();
        }
        return true;
    }

    private int pollEgress()
    {
        if (null == cluster || cluster.isClosed())
        {
            return pollReconnect();
        }
        return cluster.pollEgress();
    }

    private int pollReconnect()
    {
        if (null != cluster)
        {
            cluster = null;
            reconnect = AeronCluster.asyncConnect(clusterContext(ctx));
        }
        try
        {
            final AeronCluster connected = reconnect.poll();
            if (null == connected)
            {
                return 0;
            }
            cluster = connected;
            reconnect = null;
            resendFromFirst();
            return 1;
        }
        catch (final RuntimeException ex)
        {
            // A failed attempt (timeout while the cluster has no leader): try again on the next cycle.
            CloseHelper.quietClose(reconnect);
            reconnect = AeronCluster.asyncConnect(clusterContext(ctx));
            return 0;
        }
    }

    private int sendPending()
    {
        if (null == cluster || cluster.isClosed())
        {
            return 0;
        }
        int sent = 0;
        while (sendIndex < window.nextIndex())
        {
            final long result = cluster.offer(window.buffer(), window.offset(sendIndex), window.length(sendIndex));
            if (result > 0)
            {
                lastPosition = result;
                sendIndex++;
                sent++;
            }
            else
            {
                if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
                {
                    CloseHelper.quietClose(cluster);
                }
                break;
            }
        }
        if (sent > 0)
        {
            sentCounter.getAndAddRelease(sent);
            lastSendNs = nanoClock.nanoTime();
        }
        return sent;
    }

    private void resendFromFirst()
    {
        if (sendIndex > window.firstIndex())
        {
            resentCounter.getAndAddRelease(sendIndex - window.firstIndex());
        }
        sendIndex = window.firstIndex();
    }

    private void onAck(final int epoch, final long lastSourceSeq, final long globalSeq)
    {
        acksReceived++;
        if (epoch != lastAckedEpoch && CommonBlock.isNewerEpoch(epoch, lastAckedEpoch))
        {
            lastAckedEpoch = epoch;
            lastAckedSourceSeq = lastSourceSeq;
        }
        else if (epoch == lastAckedEpoch && lastSourceSeq > lastAckedSourceSeq)
        {
            lastAckedSourceSeq = lastSourceSeq;
        }
        lastAckedGlobalSeq = Math.max(lastAckedGlobalSeq, globalSeq);
        lastAckedSourceSeqCounter.setRelease(lastAckedSourceSeq);
        lastAckedGlobalSeqCounter.setRelease(lastAckedGlobalSeq);
        final int removed = removeAcknowledged(epoch, lastSourceSeq);
        if (removed > 0)
        {
            lastAckProgressNs = nanoClock.nanoTime();
            ackedCounter.getAndAddRelease(removed);
        }
        if (sendIndex < window.firstIndex())
        {
            sendIndex = window.firstIndex();
        }
    }

    private final class Listener implements EgressListener
    {
        public void onMessage(
            final long clusterSessionId,
            final long timestamp,
            final DirectBuffer buffer,
            final int offset,
            final int length,
            final Header header)
        {
            if (SequencerProtocol.isAck(buffer, offset, length))
            {
                final int feedId = SequencerProtocol.ackFeedId(buffer, offset);
                if (SequencerProtocol.ANY_FEED == ctx.feedId || feedId == ctx.feedId)
                {
                    onAck(SequencerProtocol.ackEpoch(buffer, offset), SequencerProtocol.ackLastSourceSeq(buffer, offset),
                        SequencerProtocol.ackGlobalSeq(buffer, offset));
                }
            }
        }

        public void onSessionEvent(
            final long correlationId,
            final long clusterSessionId,
            final long leadershipTermId,
            final int leaderMemberId,
            final EventCode code,
            final String detail)
        {
            if (EventCode.ERROR == code)
            {
                errorHandler.onError(new IllegalStateException("sequencer session error: " + detail));
            }
        }

        public void onNewLeader(
            final long clusterSessionId,
            final long leadershipTermId,
            final int leaderMemberId,
            final String ingressEndpoints)
        {
            OpenCounters.increment(leaderChangesCounter);
            resendFromFirst();
        }
    }

    /**
     * Settings of a {@link SequencerClient}, with Aeron-style property names and defaults; validated in
     * {@link #conclude()}. The feed's secret comes from {@link #secret(String)}, the environment variable
     * {@value #SECRET_ENV}, or a file named by {@value #SECRET_FILE_ENV} / {@value #SECRET_FILE_PROP}.
     */
    public static final class Context
    {
        /** Environment variable holding the feed's secret. */
        public static final String SECRET_ENV = "TICKBUS_FEED_SECRET";
        /** Environment variable naming a file that holds the feed's secret. */
        public static final String SECRET_FILE_ENV = "TICKBUS_FEED_SECRET_FILE";
        /** System property naming a file that holds the feed's secret. */
        public static final String SECRET_FILE_PROP = "tickbus.sequencer.client.secret.file";
        /** Cluster ingress endpoints, {@code 0=host:port,1=host:port,...}. */
        public static final String INGRESS_ENDPOINTS_PROP = "tickbus.sequencer.client.ingress.endpoints";
        /** Egress channel the cluster answers on. */
        public static final String EGRESS_CHANNEL_PROP = "tickbus.sequencer.client.egress.channel";
        /** Default egress channel: any free port on loopback. */
        public static final String EGRESS_CHANNEL_DEFAULT = "aeron:udp?endpoint=127.0.0.1:0";
        /** Bytes of unacknowledged messages kept. */
        public static final String WINDOW_BYTES_PROP = "tickbus.sequencer.client.window.bytes";
        /** Default window bytes: 16 MiB. */
        public static final int WINDOW_BYTES_DEFAULT = 16 * 1024 * 1024;
        /** Unacknowledged messages kept at most. */
        public static final String WINDOW_MESSAGES_PROP = "tickbus.sequencer.client.window.messages";
        /** Default window messages. */
        public static final int WINDOW_MESSAGES_DEFAULT = 131072;

        private String aeronDirectoryName;
        private Aeron aeron;
        private int feedId = SequencerProtocol.ANY_FEED;
        private String secret;
        private String ingressChannel = "aeron:udp";
        private String ingressEndpoints = System.getProperty(INGRESS_ENDPOINTS_PROP);
        private String egressChannel = System.getProperty(EGRESS_CHANNEL_PROP, EGRESS_CHANNEL_DEFAULT);
        private int windowBytes = Integer.getInteger(WINDOW_BYTES_PROP, WINDOW_BYTES_DEFAULT);
        private int windowMessages = Integer.getInteger(WINDOW_MESSAGES_PROP, WINDOW_MESSAGES_DEFAULT);
        private BackPressurePolicy backPressure = new BackPressurePolicy(
            TimeUnit.MILLISECONDS.toNanos(100), BackPressurePolicy.Exhausted.DROP);
        private long messageTimeoutNs = TimeUnit.SECONDS.toNanos(10);
        private long newLeaderTimeoutNs = TimeUnit.SECONDS.toNanos(30);
        private long keepAliveIntervalNs = TimeUnit.SECONDS.toNanos(1);
        private long resendTimeoutNs = TimeUnit.SECONDS.toNanos(1);
        private org.agrona.ErrorHandler errorHandler;

        /**
         * Check values and fill defaults.
         *
         * @throws IllegalArgumentException naming the bad value.
         */
        public void conclude()
        {
            if (null == ingressEndpoints || ingressEndpoints.isBlank())
            {
                throw new IllegalArgumentException("sequencer ingress endpoints are required (0=host:port,...)");
            }
            if (SequencerProtocol.ANY_FEED != feedId)
            {
                SequencerProtocol.checkFeedId(feedId);
            }
            if (null == secret)
            {
                secret = secretFromEnvironment();
            }
            if (windowBytes < 4096 || windowMessages < 1)
            {
                throw new IllegalArgumentException(
                    "sequencer client window too small: bytes=" + windowBytes + " messages=" + windowMessages);
            }
        }

        private static String secretFromEnvironment()
        {
            return SecretSource.read(SECRET_FILE_PROP, SECRET_FILE_ENV, SECRET_ENV);
        }

        /**
         * @param aeronDirectoryName driver directory for the client's own Aeron instance.
         * @return this.
         */
        public Context aeronDirectoryName(final String aeronDirectoryName)
        {
            this.aeronDirectoryName = aeronDirectoryName;
            return this;
        }

        /**
         * @param aeron an Aeron client to share (not closed by this client).
         * @return this.
         */
        public Context aeron(final Aeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        /**
         * @param feedId the feed this client sends as, 0..65535; its messages must carry it.
         * @return this.
         */
        public Context feedId(final int feedId)
        {
            this.feedId = feedId;
            return this;
        }

        /**
         * @param secret the feed's secret (in code or tests; operators use the environment or a file).
         * @return this.
         */
        public Context secret(final String secret)
        {
            this.secret = secret;
            return this;
        }

        /**
         * @param ingressEndpoints {@code 0=host:port,1=host:port,...}, see {@code SequencerNode.ingressEndpoints}.
         * @return this.
         */
        public Context ingressEndpoints(final String ingressEndpoints)
        {
            this.ingressEndpoints = ingressEndpoints;
            return this;
        }

        /**
         * @param ingressChannel ingress channel template, {@code aeron:udp} by default.
         * @return this.
         */
        public Context ingressChannel(final String ingressChannel)
        {
            this.ingressChannel = ingressChannel;
            return this;
        }

        /**
         * @param egressChannel where the cluster answers.
         * @return this.
         */
        public Context egressChannel(final String egressChannel)
        {
            this.egressChannel = egressChannel;
            return this;
        }

        /**
         * @param windowBytes bytes of unacknowledged messages kept.
         * @param windowMessages unacknowledged messages kept.
         * @return this.
         */
        public Context window(final int windowBytes, final int windowMessages)
        {
            this.windowBytes = windowBytes;
            this.windowMessages = windowMessages;
            return this;
        }

        /**
         * @param backPressure how long {@code publish} waits for room in a full window, and what it does then.
         * @return this.
         */
        public Context backPressure(final BackPressurePolicy backPressure)
        {
            this.backPressure = backPressure;
            return this;
        }

        /**
         * @param messageTimeoutNs connect timeout.
         * @return this.
         */
        public Context messageTimeoutNs(final long messageTimeoutNs)
        {
            this.messageTimeoutNs = messageTimeoutNs;
            return this;
        }

        /**
         * @param newLeaderTimeoutNs how long the cluster client waits for a new leader before reconnecting.
         * @return this.
         */
        public Context newLeaderTimeoutNs(final long newLeaderTimeoutNs)
        {
            this.newLeaderTimeoutNs = newLeaderTimeoutNs;
            return this;
        }

        /**
         * @param resendTimeoutNs resend the unacknowledged window when no ack has arrived for this long.
         * @return this.
         */
        public Context resendTimeoutNs(final long resendTimeoutNs)
        {
            this.resendTimeoutNs = resendTimeoutNs;
            return this;
        }

        /**
         * @param errorHandler where asynchronous errors go (the feed's error path); default: the client's own
         * {@link ComponentErrors} ({@code sequencer-client-feed-N-PID-errors.dat} in the driver's directory and a
         * {@link ComponentErrors#ERRORS_TYPE_ID} counter).
         * @return this.
         */
        public Context errorHandler(final org.agrona.ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /** @return the feed id. */
        public int feedId()
        {
            return feedId;
        }

        /** @return the ingress endpoints. */
        public String ingressEndpoints()
        {
            return ingressEndpoints;
        }
    }
}
