package io.tickbus.sequencer;

import io.aeron.Aeron;
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
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.ProcessEpochClock;
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
 * (feed id, source seq), and has the leader publish the result on the sequenced stream.
 * <p>
 * State, identical on every member because it is built only from the replicated log: the last global sequence,
 * the last source sequence of each feed (a message at or below it is a duplicate, dropped and counted), and a
 * retained tail of the most recently sequenced messages. State goes into cluster snapshots (global sequence and
 * per-feed sequences; the tail is rebuilt from the log that follows the snapshot).
 * <p>
 * Output across leader changes: every member keeps the tail; followers never publish. A member that becomes
 * leader republishes its whole retained tail, then continues live, so whatever the old leader had not yet
 * published before it died is sent; subscribers drop what they already have by global sequence (the bus client's
 * {@link io.tickbus.client.MessageDispatcher} does). See docs/sequencer.md.
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

    private final int memberId;
    private final String sequencedChannel;
    private final int sequencedStreamId;
    private final long leaderPublishGraceNs;
    private final MessageRing tail;

    private final long[] lastSourceSeqByFeed = new long[FEED_COUNT];
    private final long[] ackSessionByFeed = new long[FEED_COUNT];
    private final int[] unackedByFeed = new int[FEED_COUNT];
    private final boolean[] ackTimerScheduled = new boolean[FEED_COUNT];
    private final Long2LongHashMap feedBySession = new Long2LongHashMap(NO_FEED);
    private final UnsafeBuffer ackBuffer = new UnsafeBuffer(new byte[SequencerProtocol.ACK_LENGTH]);
    private final UnsafeBuffer snapshotBuffer = new UnsafeBuffer(new byte[SNAPSHOT_HEADER_LENGTH]);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();

    private Cluster cluster;
    private BusPublisher publisher;
    private long globalSeq;
    private long sequencedCount;
    private long duplicateCount;
    private long malformedCount;
    private long wrongFeedCount;
    private boolean leader;
    private boolean publishing;
    private long leaderSinceNs;
    private long publishCursor;

    private AtomicCounter sequencedCounter;
    private AtomicCounter duplicatesCounter;
    private AtomicCounter malformedCounter;
    private AtomicCounter wrongFeedCounter;
    private AtomicCounter globalSeqCounter;
    private AtomicCounter republishedCounter;
    private AtomicCounter unpublishedEvictedCounter;

    /**
     * @param memberId this member's id, for counter labels.
     * @param sequencedChannel channel of the sequenced stream, e.g. {@code aeron:ipc}.
     * @param sequencedStreamId stream id of the sequenced stream.
     * @param retainedBytes bytes of recently sequenced messages kept for republishing after a leader change.
     * @param retainedMessages messages kept at most for republishing.
     * @param leaderPublishGraceNs how long a new leader waits for a subscriber to connect before republishing.
     */
    public SequencerService(
        final int memberId,
        final String sequencedChannel,
        final int sequencedStreamId,
        final int retainedBytes,
        final int retainedMessages,
        final long leaderPublishGraceNs)
    {
        this.memberId = memberId;
        this.sequencedChannel = sequencedChannel;
        this.sequencedStreamId = sequencedStreamId;
        this.leaderPublishGraceNs = leaderPublishGraceNs;
        this.tail = new MessageRing(retainedBytes, retainedMessages);
    }

    /** {@inheritDoc} */
    public void onStart(final Cluster cluster, final Image snapshotImage)
    {
        this.cluster = cluster;
        final Aeron aeron = cluster.aeron();
        // The member id from the launcher: cluster.memberId() is not yet known when the service starts.
        final String suffix = ": member=" + memberId;
        sequencedCounter = aeron.addCounter(SequencerCounters.SEQUENCED, "tickbus-seq sequenced" + suffix);
        duplicatesCounter = aeron.addCounter(SequencerCounters.DUPLICATES, "tickbus-seq duplicates" + suffix);
        malformedCounter = aeron.addCounter(SequencerCounters.MALFORMED, "tickbus-seq malformed" + suffix);
        wrongFeedCounter = aeron.addCounter(SequencerCounters.WRONG_FEED, "tickbus-seq wrong-feed" + suffix);
        globalSeqCounter = aeron.addCounter(SequencerCounters.GLOBAL_SEQ, "tickbus-seq global-seq" + suffix);
        republishedCounter = aeron.addCounter(SequencerCounters.REPUBLISHED, "tickbus-seq republished" + suffix);
        unpublishedEvictedCounter = aeron.addCounter(
            SequencerCounters.UNPUBLISHED_EVICTED, "tickbus-seq unpublished-evicted" + suffix);

        // Every member opens the publication so that a new leader's is already connected to subscribers.
        // Forwarded with offerAsIs: the publisher never stamps, the clock is only its default.
        publisher = new BusPublisher(aeron, sequencedChannel, sequencedStreamId, BackPressurePolicy.DEFAULT,
            ProcessEpochClock.get());

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
            if (leader)
            {
                unpublishedEvictedCounter.getAndAddRelease(tail.firstIndex() - publishCursor);
            }
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
            if (lastSourceSeqByFeed[i] > 0)
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
            if (lastSourceSeqByFeed[i] > 0)
            {
                snapshotBuffer.putShort(0, SNAPSHOT_FEED, ORDER);
                snapshotBuffer.putShort(2, (short)0, ORDER);
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
        final boolean wasLeader = leader;
        leader = Cluster.Role.LEADER == newRole;
        if (leader && !wasLeader)
        {
            publishing = false;
            leaderSinceNs = 0;
            publishCursor = tail.firstIndex();
        }
        else if (!leader)
        {
            publishing = false;
        }
    }

    /** {@inheritDoc} */
    public void onTerminate(final Cluster cluster)
    {
        CloseHelper.closeAll(publisher, sequencedCounter, duplicatesCounter, malformedCounter, wrongFeedCounter,
            globalSeqCounter, republishedCounter, unpublishedEvictedCounter);
    }

    /** {@inheritDoc} */
    public int doBackgroundWork(final long nowNs)
    {
        int work = 0;
        if (leader && !publishing)
        {
            if (0 == leaderSinceNs)
            {
                leaderSinceNs = nowNs;
            }
            if (publisher.isConnected() || nowNs - leaderSinceNs >= leaderPublishGraceNs)
            {
                publishing = true;
                republishedCounter.getAndAddRelease(tail.nextIndex() - publishCursor);
                work += publishPending();
            }
        }
        return work;
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

    private int publishPending()
    {
        if (!publishing)
        {
            return 0;
        }
        int published = 0;
        final MessageRing tail = this.tail;
        while (publishCursor < tail.nextIndex())
        {
            final long index = publishCursor++;
            publisher.offerAsIs(tail.buffer(), tail.offset(index), tail.length(index));
            published++;
        }
        return published;
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
            SequencerProtocol.encodeAck(ackBuffer, 0, feedId, lastSourceSeqByFeed[feedId], globalSeq);
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
                lastSourceSeqByFeed[buffer.getInt(offset + 4, ORDER) & 0xFFFF] = buffer.getLong(offset + 8, ORDER);
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
