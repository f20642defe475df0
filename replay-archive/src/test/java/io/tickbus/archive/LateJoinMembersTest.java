package io.tickbus.archive;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.archive.client.AeronArchive;
import io.tickbus.archive.client.LateJoinSubscriber;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Late join on the sequenced stream over UDP, where every sequencer member publishes the same sequenced messages
 * on its own session (so each member is its own recording of one channel and stream): the late joiner follows a
 * recording that carries data, not merely the newest one, and when the followed member's session ends it rejoins
 * on another member's, delivering each global sequence once, in order, with none missing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LateJoinMembersTest
{
    private static final int STREAM = 1141;
    private static final long T0 = MarketDataGenerator.epochNs("2026-11-21T14:30:00Z");

    @TempDir
    Path dir;

    private TickbusArchive archive;
    private AeronArchive client;
    private LateJoinSubscriber late;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void close()
    {
        executor.shutdownNow();
        CloseHelper.closeAll(late, client, archive);
    }

    @Test
    void followsTheMemberThatCarriesDataNotTheNewestSilentOne() throws Exception
    {
        final String channel = "aeron:udp?endpoint=127.0.0.1:14101";
        launchArchive(channel);
        final Aeron aeron = archive.aeron();
        final int part = 500;
        try (ExclusivePublication data = aeron.addExclusivePublication(channel, STREAM))
        {
            DayReplayerTest.awaitConnected(data);
            final MarketDataGenerator generator = new MarketDataGenerator().sequenced();
            for (int i = 0; i < part; i++)
            {
                generator.publish(data, T0 + i * 1_000_000L);
            }
            final long dataRecording = awaitRecorded(data);
            try (ExclusivePublication silent = aeron.addExclusivePublication(channel, STREAM))
            {
                DayReplayerTest.awaitConnected(silent);
                assertTrue(awaitRecorded(silent) > dataRecording, "the silent member's recording is the newer one");

                final ReceivedMessages received = new ReceivedMessages();
                late = new LateJoinSubscriber(
                    aeron, client, new LateJoinSubscriber.Context().live(channel, STREAM), received);
                for (int i = part; i < 2 * part; i++)
                {
                    generator.publish(data, T0 + i * 1_000_000L);
                }
                pollUntil(received, 2 * part, 10, null);

                assertEquals(dataRecording, late.recordingId(), "followed the recording that carries data");
                assertEquals(data.sessionId(), late.sessionId());
                assertEquals(0, late.rejoinCount());
                assertSequence(2 * part, received.globalSeqs);
            }
        }
    }

    @Test
    void rejoinsOnAnotherMemberWhenTheFollowedOneClosesAndDeliversEachGlobalSequenceOnce() throws Exception
    {
        final String channel = "aeron:udp?endpoint=127.0.0.1:14102";
        launchArchive(channel);
        final int total = 3_000;
        final Members members = new Members(archive.aeron(), channel, total, 1_000, 2_000, 100, true);
        final ReceivedMessages received = new ReceivedMessages();
        final Future<?> publishing = joinMembers(channel, members, received);
        final long firstRecording = late.recordingId();
        assertEquals(members.leaderSession, members.followedSession.get(), "followed the member that is ahead");

        pollUntil(received, total, 15, members.followedLive);
        members.finished.countDown();
        publishing.get(10, TimeUnit.SECONDS);

        assertNotEquals(firstRecording, late.recordingId(), "rejoined on the other member's recording");
        assertNotEquals(members.leaderSession, late.sessionId());
        assertEquals(1, late.rejoinCount());
        assertTrue(late.repeatsSkipped() > 0, "the lagging member's copies of delivered sequences were skipped");
        assertEquals(total, late.highestGlobalSeq());
        assertSequence(total, received.globalSeqs);
    }

    @Test
    void rejoinsOnAnotherMemberWhenTheFollowedRecordingStopsDuringTheReplay() throws Exception
    {
        final String channel = "aeron:udp?endpoint=127.0.0.1:14103";
        launchArchive(channel);
        final int total = 2_000;
        final Members members = new Members(archive.aeron(), channel, total, 1_000, 1_000, 100, false);
        final ReceivedMessages received = new ReceivedMessages();
        final Future<?> publishing = joinMembers(channel, members, received);
        final long firstRecording = late.recordingId();
        assertTrue(members.followedClosed.await(10, TimeUnit.SECONDS), "followed member closed");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (AeronArchive.NULL_POSITION != client.getRecordingPosition(firstRecording))
        {
            Thread.sleep(1);
            assertTrue(System.nanoTime() < deadline, "the followed member's recording did not stop");
        }
        assertEquals(LateJoinSubscriber.State.REPLAY, late.state(), "not polled yet");

        pollUntil(received, total, 15, null);
        members.finished.countDown();
        publishing.get(10, TimeUnit.SECONDS);

        assertNotEquals(firstRecording, late.recordingId(), "rejoined on the other member's recording");
        assertEquals(1, late.rejoinCount());
        assertSequence(total, received.globalSeqs);
    }

    private void launchArchive(final String channel)
    {
        archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir).controlChannel(null).record(channel + ":" + STREAM));
        client = TickbusArchive.connectLocal(archive.aeron());
    }

    /** Wait until the archive has recorded everything the publication sent; return its recording id. */
    private long awaitRecorded(final ExclusivePublication publication) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            final long recordingId = recordingOf(publication.sessionId());
            if (Aeron.NULL_VALUE != recordingId && client.getRecordingPosition(recordingId) == publication.position())
            {
                return recordingId;
            }
            assertTrue(System.nanoTime() < deadline, "session " + publication.sessionId() + " not recorded");
            Thread.sleep(1);
        }
    }

    private long recordingOf(final int sessionId)
    {
        final long[] found = {Aeron.NULL_VALUE};
        client.listRecordings(0, 100, (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp,
            startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, session,
            streamId, strippedChannel, originalChannel, sourceIdentity) ->
        {
            if (session == sessionId)
            {
                found[0] = recordingId;
            }
        });
        return found[0];
    }

    private int sessionOf(final long recordingId)
    {
        final int[] found = {0};
        client.listRecording(recordingId, (controlSessionId, correlationId, id, startTimestamp, stopTimestamp,
            startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, session,
            streamId, strippedChannel, originalChannel, sourceIdentity) -> found[0] = session);
        return found[0];
    }

    /**
     * Start the members, join late once the leader has published up to the members' join point, and tell the
     * members which session the late joiner follows.
     */
    private Future<?> joinMembers(final String channel, final Members members, final ReceivedMessages received)
        throws InterruptedException
    {
        final Future<?> publishing = executor.submit(members);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (members.leaderPublished.get() < members.joinAt)
        {
            Thread.sleep(1);
            assertTrue(System.nanoTime() < deadline, "members stalled at " + members.leaderPublished.get());
        }
        late = new LateJoinSubscriber(
            archive.aeron(), client, new LateJoinSubscriber.Context().live(channel, STREAM), received);
        members.followedSession.set(sessionOf(late.recordingId()));
        members.joined.countDown();
        return publishing;
    }

    /** Poll the late joiner until it has delivered {@code count} messages; count {@code onLive} down once live. */
    private void pollUntil(
        final ReceivedMessages received, final int count, final int seconds, final CountDownLatch onLive)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (received.count < count)
        {
            if (0 == late.poll(64))
            {
                Thread.sleep(0, 100_000);
            }
            if (null != onLive && late.isLive())
            {
                onLive.countDown();
            }
            assertTrue(System.nanoTime() < deadline, "late joiner stalled at " + received.count + " in " +
                late.state() + " on recording " + late.recordingId());
        }
    }

    private static void assertSequence(final int count, final List<Long> globalSeqs)
    {
        assertEquals(count, globalSeqs.size(), "messages");
        for (int i = 0; i < count; i++)
        {
            assertEquals(i + 1, globalSeqs.get(i), "global sequence at index " + i);
        }
    }

    /**
     * Two sequencer members on one channel and stream, each on its own session, publishing the same sequenced
     * messages (global sequence 1..total); the second lags the first by {@code lag} messages. After the first
     * part the members wait until the late joiner exists; once the leader has published {@code closeAt} (and, with
     * {@code closeWhenLive}, the late joiner is live), the member it follows closes and the other publishes the
     * rest.
     */
    private static final class Members implements Callable<Void>
    {
        final AtomicInteger leaderPublished = new AtomicInteger();
        final AtomicInteger followedSession = new AtomicInteger();
        final CountDownLatch joined = new CountDownLatch(1);
        final CountDownLatch followedLive = new CountDownLatch(1);
        final CountDownLatch finished = new CountDownLatch(1);
        final CountDownLatch followedClosed = new CountDownLatch(1);
        final int leaderSession;
        private final ExclusivePublication leader;
        private final ExclusivePublication lagging;
        private final int total;
        final int joinAt;
        private final int closeAt;
        private final int lag;
        private final boolean closeWhenLive;

        Members(
            final Aeron aeron, final String channel, final int total, final int joinAt, final int closeAt,
            final int lag, final boolean closeWhenLive)
        {
            this.closeWhenLive = closeWhenLive;
            this.leader = aeron.addExclusivePublication(channel, STREAM);
            this.lagging = aeron.addExclusivePublication(channel, STREAM);
            this.leaderSession = leader.sessionId();
            this.total = total;
            this.joinAt = joinAt;
            this.closeAt = closeAt;
            this.lag = lag;
        }

        public Void call() throws Exception
        {
            try
            {
                DayReplayerTest.awaitConnected(leader);
                DayReplayerTest.awaitConnected(lagging);
                final MarketDataGenerator leaderMessages = new MarketDataGenerator().sequenced();
                final MarketDataGenerator laggingMessages = new MarketDataGenerator().sequenced();
                ExclusivePublication survivor = leader;
                for (int i = 0; i < total; i++)
                {
                    if (i == joinAt && !joined.await(10, TimeUnit.SECONDS))
                    {
                        throw new IllegalStateException("no late joiner");
                    }
                    if (i == closeAt)
                    {
                        if (closeWhenLive && !followedLive.await(10, TimeUnit.SECONDS))
                        {
                            throw new IllegalStateException("the late joiner never went live");
                        }
                        final boolean leaderFollowed = followedSession.get() == leader.sessionId();
                        survivor = leaderFollowed ? lagging : leader;
                        CloseHelper.close(leaderFollowed ? leader : lagging);
                        followedClosed.countDown();
                        break;
                    }
                    leaderMessages.publish(leader, T0 + i * 1_000_000L);
                    leaderPublished.incrementAndGet();
                    if (i >= lag)
                    {
                        laggingMessages.publish(lagging, T0 + (i - lag) * 1_000_000L);
                    }
                    if (i % 10 == 0)
                    {
                        Thread.sleep(1);
                    }
                }
                // the survivor publishes what it has not published yet, then stays open until the test is done
                final MarketDataGenerator survivorMessages = survivor == leader ? leaderMessages : laggingMessages;
                for (long seq = survivorMessages.sourceSeq(); seq < total; seq++)
                {
                    survivorMessages.publish(survivor, T0 + seq * 1_000_000L);
                }
                finished.await(20, TimeUnit.SECONDS);
            }
            finally
            {
                CloseHelper.closeAll(leader, lagging);
            }
            return null;
        }
    }
}
