package io.tickbus.sequencer;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.cluster.client.ClusterException;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.tickbus.client.CommonBlock;
import io.tickbus.sbe.EndOfSessionDecoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.MessageHeaderDecoder;
import io.tickbus.sequencer.client.MessageRing;
import io.tickbus.sequencer.client.SequencerProtocol;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The sequencer: an Aeron Cluster service that gives every Tickbus message arriving on cluster ingress a global
 * sequence number and the cluster time (stamped in place in the common block), exactly once per
 * (feed id, source seq), and publishes the result on the sequenced stream.
 * <p>
 * State, identical on every member because it is built only from the replicated log: the last global sequence,
 * the last source sequence of each feed (a message at or below it is a duplicate, dropped and counted), and a
 * retained tail of the most recently sequenced messages. State goes into cluster snapshots (global sequence and
 * per-feed sequences; the tail is rebuilt from the log that follows the snapshot).
 * <p>
 * Output: every member publishes the sequenced stream, each on its own publication (its own Aeron session), the
 * way a venue sends an A and a B line. Every member applies the same committed log, so the copies are identical
 * message for message; subscribers take the first copy of each global sequence and drop the rest (the bus
 * client's {@link io.tickbus.client.MessageDispatcher} and {@code SequencedSubscriber} do). A leader change needs
 * no republishing: the surviving members were publishing all along.
 * <p>
 * Never dropping: a member offers from its retained tail with a cursor. A refused offer (back pressure, not
 * connected, admin action) leaves the cursor where it is, is counted ({@code publish-refused}), and is retried from
 * {@link #doBackgroundWork(long)}, at most {@value #PUBLISH_BATCH} messages per call so the service thread never
 * blocks the log. The only loss possible in one member's output is an eviction from the bounded tail before the
 * publication took the message, counted in {@code unpublished-evicted}; the other members' output and the archive
 * still carry it. See docs/sequencer.md.
 * <p>
 * Acknowledgements: the service sends a feed's session an ack (last source sequence) on egress after every 32
 * messages of the feed, on every duplicate, and from a 1 ms cluster timer for the rest; only the leader's acks
 * actually leave the member (the container may not send egress from background work).
 * <p>
 * Threading: the clustered service container's thread. Allocation: none per message in steady state.
 */
public final class SequencerService implements ClusteredService
{
    private static final int FEED_COUNT = 0x10000;
    private static final long NO_FEED = Long.MIN_VALUE;
    private static final int SNAPSHOT_MAGIC = 0x54425351;
    private static final int SNAPSHOT_VERSION = 1;
    private static final short SNAPSHOT_HEADER = 1;
    private static final short SNAPSHOT_FEED = 2;
    private static final short SNAPSHOT_END = 3;
    private static final int SNAPSHOT_HEADER_LENGTH = 48;
    private static final int SNAPSHOT_FEED_LENGTH = 16;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int ACK_INTERVAL = 32;
    private static final long ACK_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Delay before the last ack of a burst is repeated, in case it was lost. */
    private static final long REACK_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Messages offered at most per call, so a backlog never holds the service thread. */
    static final int PUBLISH_BATCH = 256;

    private final int memberId;
    private final String sequencedChannel;
    private final int sequencedStreamId;
    private final MessageRing tail;
    private final boolean recordOutput;

    private final long[] lastSourceSeqByFeed = new long[FEED_COUNT];
    private final int[] epochByFeed = new int[FEED_COUNT];
    private final long[] ackSessionByFeed = new long[FEED_COUNT];
    private final int[] unackedByFeed = new int[FEED_COUNT];
    private final boolean[] ackTimerScheduled = new boolean[FEED_COUNT];
    private final Long2LongHashMap feedBySession = new Long2LongHashMap(NO_FEED);
    private final UnsafeBuffer ackBuffer = new UnsafeBuffer(new byte[SequencerProtocol.ACK_LENGTH]);
    private final UnsafeBuffer snapshotBuffer = new UnsafeBuffer(new byte[SNAPSHOT_HEADER_LENGTH]);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();

    private Cluster cluster;
    private ExclusivePublication publication;
    private long globalSeq;
    private long sequencedCount;
    private long duplicateCount;
    private long malformedCount;
    private long wrongFeedCount;
    private long publishCursor;
    private long refusedCount;
    private long evictedCount;
    private long backlogReported = -1;
    private boolean publicationFailed;

    private AtomicCounter sequencedCounter;
    private AtomicCounter duplicatesCounter;
    private AtomicCounter malformedCounter;
    private AtomicCounter wrongFeedCounter;
    private AtomicCounter globalSeqCounter;
    private AtomicCounter publishRefusedCounter;
    private AtomicCounter unpublishedEvictedCounter;
    private AtomicCounter publishBacklogCounter;
    private volatile long serviceThreadId = -1;

    /**
     * @param memberId this member's id, for counter labels.
     * @param sequencedChannel channel of the sequenced stream, e.g. {@code aeron:ipc}.
     * @param sequencedStreamId stream id of the sequenced stream.
     * @param retainedBytes bytes of sequenced messages kept until this member's publication has taken them.
     * @param retainedMessages messages kept at most.
     * @param recordOutput true when this member's archive records its output (a spy that counts as a subscriber).
     */
    public SequencerService(
        final int memberId,
        final String sequencedChannel,
        final int sequencedStreamId,
        final int retainedBytes,
        final int retainedMessages,
        final boolean recordOutput)
    {
        this.recordOutput = recordOutput;
        this.memberId = memberId;
        this.sequencedChannel = sequencedChannel;
        this.sequencedStreamId = sequencedStreamId;
        this.tail = new MessageRing(retainedBytes, retainedMessages);
    }

    /** {@inheritDoc} */
    public void onStart(final Cluster cluster, final Image snapshotImage)
    {
        this.cluster = cluster;
        serviceThreadId = Thread.currentThread().getId();
        final Aeron aeron = cluster.aeron();
        // The member id from the launcher: cluster.memberId() is not yet known when the service starts.
        final String suffix = ": member=" + memberId;
        sequencedCounter = aeron.addCounter(SequencerCounters.SEQUENCED, "tickbus-seq sequenced" + suffix);
        duplicatesCounter = aeron.addCounter(SequencerCounters.DUPLICATES, "tickbus-seq duplicates" + suffix);
        malformedCounter = aeron.addCounter(SequencerCounters.MALFORMED, "tickbus-seq malformed" + suffix);
        wrongFeedCounter = aeron.addCounter(SequencerCounters.WRONG_FEED, "tickbus-seq wrong-feed" + suffix);
        globalSeqCounter = aeron.addCounter(SequencerCounters.GLOBAL_SEQ, "tickbus-seq global-seq" + suffix);
        publishRefusedCounter = aeron.addCounter(
            SequencerCounters.PUBLISH_REFUSED, "tickbus-seq publish-refused" + suffix);
        unpublishedEvictedCounter = aeron.addCounter(
            SequencerCounters.UNPUBLISHED_EVICTED, "tickbus-seq unpublished-evicted" + suffix);
        publishBacklogCounter = aeron.addCounter(
            SequencerCounters.PUBLISH_BACKLOG, "tickbus-seq publish-backlog" + suffix);

        // Every member publishes (see the class comment). Raw offers: the messages are stamped already, and a
        // refusal must keep the cursor, which no back-pressure policy of BusPublisher does.
        publication = aeron.addExclusivePublication(publicationChannel(sequencedChannel, recordOutput), sequencedStreamId);

        if (null != snapshotImage)
        {
            loadSnapshot(snapshotImage);
        }
        for (final ClientSession session : cluster.clientSessions())
        {
            feedBySession.put(session.id(), SequencerProtocol.decodePrincipal(session.encodedPrincipal()));
        }
        updateCounters();
    }

    /** {@inheritDoc} */
    public void onSessionOpen(final ClientSession session, final long timestamp)
    {
        final int feedId = SequencerProtocol.decodePrincipal(session.encodedPrincipal());
        feedBySession.put(session.id(), feedId);
        if (SequencerProtocol.ANY_FEED != feedId)
        {
            markAck(feedId, session.id(), true);
        }
    }

    /** {@inheritDoc} */
    public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
    {
        feedBySession.remove(session.id());
    }

    /** {@inheritDoc} */
    public void onSessionMessage(
        final ClientSession session,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        if (null != session && SequencerProtocol.isAckRequest(buffer, offset, length))
        {
            onAckRequest(session, SequencerProtocol.ackFeedId(buffer, offset));
            return;
        }
        if (null == session || !isWellFormed(buffer, offset, length))
        {
            malformedCount++;
            malformedCounter.setRelease(malformedCount);
            return;
        }

        final int feedId = CommonBlock.feedId(buffer, offset);
        final long sessionFeed = feedBySession.get(session.id());
        if (SequencerProtocol.ANY_FEED != sessionFeed && feedId != sessionFeed)
        {
            wrongFeedCount++;
            wrongFeedCounter.setRelease(wrongFeedCount);
            return;
        }

        final long sourceSeq = CommonBlock.sourceSeq(buffer, offset);
        final int epoch = CommonBlock.epoch(buffer, offset);
        if (epoch != epochByFeed[feedId])
        {
            if (CommonBlock.isNewerEpoch(epoch, epochByFeed[feedId]))
            {
                // A venue session change or sequence reset: the new session numbers from low again.
                epochByFeed[feedId] = epoch;
                lastSourceSeqByFeed[feedId] = 0;
            }
            else
            {
                duplicateCount++; // a late message of a session already ended: taken once, in its own epoch
                duplicatesCounter.setRelease(duplicateCount);
                markAck(feedId, session.id(), true);
                return;
            }
        }
        if (sourceSeq <= lastSourceSeqByFeed[feedId])
        {
            duplicateCount++;
            duplicatesCounter.setRelease(duplicateCount);
            markAck(feedId, session.id(), true);
            return;
        }

        lastSourceSeqByFeed[feedId] = sourceSeq;
        final long seq = ++globalSeq;
        final long index = tail.appendEvicting(buffer, offset, length, seq);
        CommonBlock.sequence(tail.buffer(), tail.offset(index), seq, cluster.timeUnit().toNanos(timestamp));
        sequencedCount++;
        if (publishCursor < tail.firstIndex())
        {
            evictedCount += tail.firstIndex() - publishCursor;
            unpublishedEvictedCounter.setRelease(evictedCount);
            publishCursor = tail.firstIndex();
        }
        updateCounters();
        markAck(feedId, session.id(), false);
        publishPending();
    }

    /** {@inheritDoc} */
    public void onTimerEvent(final long correlationId, final long timestamp)
    {
        if (correlationId >= 0 && correlationId < FEED_COUNT)
        {
            final int feedId = (int)correlationId;
            ackTimerScheduled[feedId] = false;
            if (unackedByFeed[feedId] > 0)
            {
                sendAck(feedId);
                // The last ack of a burst may be lost (egress back pressure): repeat it once when the feed stays
                // quiet, so the client is not left waiting for its resend timeout. Scheduled on every member alike.
                cluster.scheduleTimer(FEED_COUNT + feedId,
                    cluster.time() + Math.max(1, cluster.timeUnit().convert(REACK_DELAY_NS, TimeUnit.NANOSECONDS)));
            }
        }
        else if (correlationId >= FEED_COUNT && correlationId < 2L * FEED_COUNT)
        {
            final int feedId = (int)(correlationId - FEED_COUNT);
            if (0 == unackedByFeed[feedId] && !ackTimerScheduled[feedId])
            {
                sendAck(feedId); // acks are cumulative: repeating the latest one is harmless
            }
        }
    }

    /** {@inheritDoc} */
    public void onTakeSnapshot(final ExclusivePublication snapshotPublication)
    {
        int feeds = 0;
        for (int i = 0; i < FEED_COUNT; i++)
        {
            if (lastSourceSeqByFeed[i] > 0 || 0 != epochByFeed[i])
            {
                feeds++;
            }
        }
        snapshotBuffer.putShort(0, SNAPSHOT_HEADER, ORDER);
        snapshotBuffer.putShort(2, (short)SNAPSHOT_VERSION, ORDER);
        snapshotBuffer.putInt(4, SNAPSHOT_MAGIC, ORDER);
        snapshotBuffer.putLong(8, globalSeq, ORDER);
        snapshotBuffer.putLong(16, sequencedCount, ORDER);
        snapshotBuffer.putLong(24, duplicateCount, ORDER);
        snapshotBuffer.putLong(32, malformedCount, ORDER);
        snapshotBuffer.putInt(40, feeds, ORDER);
        snapshotBuffer.putInt(44, (int)Math.min(Integer.MAX_VALUE, wrongFeedCount), ORDER);
        offerSnapshot(snapshotPublication, SNAPSHOT_HEADER_LENGTH);

        for (int i = 0; i < FEED_COUNT; i++)
        {
            if (lastSourceSeqByFeed[i] > 0 || 0 != epochByFeed[i])
            {
                snapshotBuffer.putShort(0, SNAPSHOT_FEED, ORDER);
                snapshotBuffer.putShort(2, (short)epochByFeed[i], ORDER); // 0 in snapshots before epochs
                snapshotBuffer.putInt(4, i, ORDER);
                snapshotBuffer.putLong(8, lastSourceSeqByFeed[i], ORDER);
                offerSnapshot(snapshotPublication, SNAPSHOT_FEED_LENGTH);
            }
        }
        snapshotBuffer.putShort(0, SNAPSHOT_END, ORDER);
        snapshotBuffer.putShort(2, (short)0, ORDER);
        snapshotBuffer.putInt(4, feeds, ORDER);
        snapshotBuffer.putLong(8, globalSeq, ORDER);
        offerSnapshot(snapshotPublication, SNAPSHOT_FEED_LENGTH);
    }

    /** {@inheritDoc} */
    public void onRoleChange(final Cluster.Role newRole)
    {
        // Nothing to do: every member publishes whatever its role.
    }

    /** {@inheritDoc} */
    public void onTerminate(final Cluster cluster)
    {
        CloseHelper.closeAll(publication, sequencedCounter, duplicatesCounter, malformedCounter, wrongFeedCounter,
            globalSeqCounter, publishRefusedCounter, unpublishedEvictedCounter, publishBacklogCounter);
    }

    /**
     * @return the id of the thread the service runs on (the clustered service container's), -1 before it started:
     * for allocation checks and thread dumps.
     */
    public long serviceThreadId()
    {
        return serviceThreadId;
    }

    /** {@inheritDoc} */
    public int doBackgroundWork(final long nowNs)
    {
        return publishPending();
    }

    /** @return sequenced messages this member has not yet handed to its publication. */
    public long publishBacklog()
    {
        return tail.nextIndex() - publishCursor;
    }

    /** @return the last global sequence assigned. */
    public long globalSeq()
    {
        return globalSeq;
    }

    /** @return duplicates dropped. */
    public long duplicateCount()
    {
        return duplicateCount;
    }

    /** @return malformed ingress messages dropped. */
    public long malformedCount()
    {
        return malformedCount;
    }

    /** @return messages dropped for a feed id other than the session's. */
    public long wrongFeedCount()
    {
        return wrongFeedCount;
    }

    /**
     * @param feedId a feed.
     * @return the last source sequence sequenced for it, 0 when none.
     */
    public long lastSourceSeq(final int feedId)
    {
        return lastSourceSeqByFeed[feedId];
    }

    /**
     * @param feedId a feed.
     * @return its venue session epoch: the source sequences of an older one are dropped, a newer one starts them anew.
     */
    public int epoch(final int feedId)
    {
        return epochByFeed[feedId];
    }

    /**
     * The sequenced channel, with spies simulating a connection when this member records its own output: the
     * member's archive (a spy) is then a subscriber like any other, and its copy is recorded with no one else on
     * the network.
     */
    static String publicationChannel(final String channel, final boolean recordOutput)
    {
        final ChannelUri uri = ChannelUri.parse(channel);
        if (recordOutput && CommonContext.UDP_MEDIA.equals(uri.media()) &&
            null == uri.get(CommonContext.SPIES_SIMULATE_CONNECTION_PARAM_NAME))
        {
            uri.put(CommonContext.SPIES_SIMULATE_CONNECTION_PARAM_NAME, "true");
        }
        return uri.toString();
    }

    private boolean isWellFormed(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!CommonBlock.isTickbusMessage(buffer, offset, length) || length > tail.capacityBytes())
        {
            return false;
        }
        headerDecoder.wrap(buffer, offset);
        final int templateId = headerDecoder.templateId();
        final int blockLength = headerDecoder.blockLength();
        return templateId >= InstrumentDefinitionDecoder.TEMPLATE_ID && templateId <= EndOfSessionDecoder.TEMPLATE_ID &&
            blockLength >= CommonBlock.LENGTH && CommonBlock.OFFSET + blockLength <= length &&
            CommonBlock.sourceSeq(buffer, offset) > 0;
    }

    /**
     * Offer from the cursor until the tail is published, the publication refuses, or a batch is done. A refusal
     * keeps the cursor: the same message is offered again on the next call.
     */
    private int publishPending()
    {
        final MessageRing tail = this.tail;
        final ExclusivePublication publication = this.publication;
        int published = 0;
        while (publishCursor < tail.nextIndex() && published < PUBLISH_BATCH)
        {
            final long index = publishCursor;
            final long result = publication.offer(tail.buffer(), tail.offset(index), tail.length(index));
            if (result < 0)
            {
                onRefused(result);
                break;
            }
            publishCursor = index + 1;
            published++;
        }
        final long backlog = tail.nextIndex() - publishCursor;
        if (backlog != backlogReported)
        {
            backlogReported = backlog;
            publishBacklogCounter.setRelease(backlog);
        }
        return published;
    }

    private void onRefused(final long result)
    {
        refusedCount++;
        publishRefusedCounter.setRelease(refusedCount);
        if ((Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result) && !publicationFailed)
        {
            // The publication cannot take anything again. Report it once to the container's counted error handler
            // (error log and counter); the cursor stays, so this member's output stops rather than skips, and the
            // other members' output and the archive carry the stream.
            publicationFailed = true;
            cluster.context().countedErrorHandler().onError(new ClusterException(
                "sequenced publication unusable: " + Publication.errorString(result) + " member=" + memberId));
        }
    }

    /**
     * A client asks where its feed stands (a restarted handler resumes after the feed's last source sequence): the
     * ack goes to that session now. Another feed's request on an authenticated session is counted as wrong-feed.
     */
    private void onAckRequest(final ClientSession session, final int feedId)
    {
        final long sessionFeed = feedBySession.get(session.id());
        if (feedId < 0 || feedId >= FEED_COUNT || (SequencerProtocol.ANY_FEED != sessionFeed && feedId != sessionFeed))
        {
            wrongFeedCount++;
            wrongFeedCounter.setRelease(wrongFeedCount);
            return;
        }
        ackSessionByFeed[feedId] = session.id();
        sendAck(feedId);
    }

    private void markAck(final int feedId, final long sessionId, final boolean now)
    {
        ackSessionByFeed[feedId] = sessionId;
        unackedByFeed[feedId]++;
        if (now || unackedByFeed[feedId] >= ACK_INTERVAL)
        {
            sendAck(feedId);
        }
        else if (!ackTimerScheduled[feedId])
        {
            ackTimerScheduled[feedId] = true;
            final long delay = cluster.timeUnit().convert(ACK_DELAY_NS, TimeUnit.NANOSECONDS);
            cluster.scheduleTimer(feedId, cluster.time() + Math.max(1, delay));
        }
    }

    /**
     * Best effort: an ack lost here (egress back pressure, not yet connected) is made up by the next one, and a
     * client that hears nothing resends, which earns an ack for the duplicates. Scheduling never depends on the
     * outcome of the offer, so every member makes the same timer calls.
     */
    private void sendAck(final int feedId)
    {
        unackedByFeed[feedId] = 0;
        final ClientSession session = cluster.getClientSession(ackSessionByFeed[feedId]);
        if (null != session && !session.isClosing())
        {
            SequencerProtocol.encodeAck(
                ackBuffer, 0, feedId, epochByFeed[feedId], lastSourceSeqByFeed[feedId], globalSeq);
            session.offer(ackBuffer, 0, SequencerProtocol.ACK_LENGTH);
        }
    }

    private void updateCounters()
    {
        sequencedCounter.setRelease(sequencedCount);
        globalSeqCounter.setRelease(globalSeq);
    }

    private void offerSnapshot(final ExclusivePublication publication, final int length)
    {
        final IdleStrategy idle = cluster.idleStrategy();
        idle.reset();
        while (true)
        {
            final long result = publication.offer(snapshotBuffer, 0, length);
            if (result > 0)
            {
                return;
            }
            if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
            {
                throw new ClusterException("sequencer snapshot publication failed: " + Publication.errorString(result));
            }
            idle.idle();
        }
    }

    private void loadSnapshot(final Image image)
    {
        final boolean[] done = new boolean[1];
        final long[] feedsExpected = {-1};
        final long[] feedsRead = {0};
        final FragmentHandler handler = (buffer, offset, length, header) ->
        {
            final short type = buffer.getShort(offset, ORDER);
            if (SNAPSHOT_HEADER == type)
            {
                if (SNAPSHOT_MAGIC != buffer.getInt(offset + 4, ORDER) ||
                    SNAPSHOT_VERSION != buffer.getShort(offset + 2, ORDER))
                {
                    throw new ClusterException("not a Tickbus sequencer snapshot (version " +
                        buffer.getShort(offset + 2, ORDER) + ")");
                }
                globalSeq = buffer.getLong(offset + 8, ORDER);
                sequencedCount = buffer.getLong(offset + 16, ORDER);
                duplicateCount = buffer.getLong(offset + 24, ORDER);
                malformedCount = buffer.getLong(offset + 32, ORDER);
                feedsExpected[0] = buffer.getInt(offset + 40, ORDER);
                wrongFeedCount = buffer.getInt(offset + 44, ORDER);
            }
            else if (SNAPSHOT_FEED == type)
            {
                final int feed = buffer.getInt(offset + 4, ORDER) & 0xFFFF;
                lastSourceSeqByFeed[feed] = buffer.getLong(offset + 8, ORDER);
                epochByFeed[feed] = buffer.getShort(offset + 2, ORDER) & 0xFFFF;
                feedsRead[0]++;
            }
            else if (SNAPSHOT_END == type)
            {
                done[0] = true;
            }
        };
        final IdleStrategy idle = cluster.idleStrategy();
        while (!done[0])
        {
            final int fragments = image.poll(handler, 100);
            if (0 == fragments && image.isEndOfStream())
            {
                break;
            }
            idle.idle(fragments);
        }
        if (!done[0] || feedsRead[0] != feedsExpected[0])
        {
            throw new ClusterException("sequencer snapshot incomplete: feeds expected=" + feedsExpected[0] +
                " read=" + feedsRead[0]);
        }
        duplicatesCounter.setRelease(duplicateCount);
        malformedCounter.setRelease(malformedCount);
        wrongFeedCounter.setRelease(wrongFeedCount);
    }
}
