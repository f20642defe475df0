package io.tickbus.archive;

import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Archive replication between two real Tickbus archives, each on its own embedded driver, over UDP on loopback:
 * the source records a UDP stream and authenticates control clients; the replica (another secret of its own)
 * replicates the source's recording presenting the source's secret, while the source is still recording, and
 * follows it. Both recordings replay the published messages byte for byte (CRC32 per message, from the
 * publisher's own record), and both day catalogs count them. Ports 32010-32019.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ArchiveReplicationTest
{
    private static final int STREAM = 1401;
    private static final int REPLAY_STREAM = 1402;
    private static final String SOURCE_SECRET = "source-archive-secret";
    private static final String SOURCE_READER_SECRET = "source-archive-reader-secret";
    private static final String REPLICA_SECRET = "replica-archive-secret";
    private static final String SOURCE_CONTROL = "aeron:udp?endpoint=127.0.0.1:32010";
    private static final String RECORDED = "aeron:udp?endpoint=127.0.0.1:32011";
    private static final String REPLICA_CONTROL = "aeron:udp?endpoint=127.0.0.1:32012";
    private static final String REPLICATION = "aeron:udp?endpoint=127.0.0.1:0";
    private static final int BEFORE = 600;
    private static final int AFTER = 900;

    @TempDir
    Path dir;

    private TickbusArchive source;
    private TickbusArchive replica;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close()
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(closeables.get(i));
        }
        CloseHelper.closeAll(replica, source);
    }

    @Test
    void replicaFollowsTheSourceRecordingAndReplaysTheSameBytes() throws Exception
    {
        replicateAndCompare(SOURCE_SECRET);
    }

    /** The source's read-only secret is enough to replicate from it: replication needs only reader actions. */
    @Test
    void replicaWithOnlyTheSourcesReadOnlySecretReplicatesToo() throws Exception
    {
        replicateAndCompare(SOURCE_READER_SECRET);
        assertEquals(0, source.counters().authDenied(), "replication asked the source for nothing a reader may not do");
    }

    private void replicateAndCompare(final String presentedSourceSecret) throws Exception
    {
        source = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir.resolve("source"))
            .controlChannel(SOURCE_CONTROL)
            .controlSecret(SOURCE_SECRET)
            .readerSecret(SOURCE_READER_SECRET)
            .persistIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .record(RECORDED + ":" + STREAM));
        replica = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir.resolve("replica"))
            .controlChannel(REPLICA_CONTROL)
            .controlSecret(REPLICA_SECRET)
            .sourceControlSecret(presentedSourceSecret)
            .replicationChannel(REPLICATION)
            .persistIntervalNs(TimeUnit.MILLISECONDS.toNanos(50)));

        final MarketDataGenerator generator = new MarketDataGenerator();
        final long t0 = MarketDataGenerator.epochNs("2026-11-18T14:30:00Z");
        final ExclusivePublication publication = source.aeron().addExclusivePublication(RECORDED, STREAM);
        closeables.add(publication);
        DayReplayerTest.awaitConnected(publication);
        for (int i = 0; i < BEFORE; i++)
        {
            generator.publish(publication, t0 + i * 1_000_000L);
        }

        replica.replicate(SOURCE_CONTROL, STREAM, null, 10_000);

        // published after replication began: the replica must follow the still-active source recording
        for (int i = BEFORE; i < BEFORE + AFTER; i++)
        {
            generator.publish(publication, t0 + i * 1_000_000L);
        }
        final long published = publication.position();

        final AeronArchive sourceClient = TickbusArchive.connectLocal(source.aeron(), SOURCE_SECRET);
        closeables.add(sourceClient);
        final AeronArchive replicaClient = TickbusArchive.connectLocal(replica.aeron(), REPLICA_SECRET);
        closeables.add(replicaClient);
        final long sourceRecording = awaitRecordedTo(sourceClient, published);
        final long replicaRecording = awaitRecordedTo(replicaClient, published);

        final ReceivedMessages fromSource = replay(source, sourceClient, sourceRecording, published);
        final ReceivedMessages fromReplica = replay(replica, replicaClient, replicaRecording, published);
        assertEquals(BEFORE + AFTER, generator.checksums.size());
        assertEquals(generator.checksums, fromSource.checksums, "source replays what was published");
        assertEquals(generator.checksums, fromReplica.checksums, "replica replays what was published");
        assertEquals(fromSource.positions, fromReplica.positions, "same frames at the same positions");

        assertTrue(source.awaitCatalogCaughtUp(20_000), "source catalog caught up");
        assertTrue(replica.awaitCatalogCaughtUp(20_000), "replica catalog caught up");
        assertEquals(BEFORE + AFTER, catalogMessages(source), "source day catalog");
        assertEquals(BEFORE + AFTER, catalogMessages(replica), "replica day catalog");
        assertEquals(0, source.counters().authRejected(), "the replica presented the source's secret");
    }

    @Test
    void replicationWithTheWrongSourceSecretIsRefused()
    {
        source = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir.resolve("source"))
            .controlChannel(SOURCE_CONTROL)
            .controlSecret(SOURCE_SECRET)
            .record(RECORDED + ":" + STREAM));
        replica = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir.resolve("replica"))
            .controlChannel(null)
            .controlSecret(REPLICA_SECRET)
            .replicationChannel(REPLICATION));

        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> replica.replicate(SOURCE_CONTROL, STREAM, null, 5_000));
        assertTrue(ex.getMessage().contains("cannot reach source archive"), ex.getMessage());
        assertTrue(source.counters().authRejected() >= 1, "the source counted the refusal");
    }

    @Test
    void replicationChannelMustBeUdpWithAnEndpoint()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new TickbusArchive.Context().archiveDir(dir).controlChannel(null)
                .replicationChannel("aeron:ipc").conclude());
        assertTrue(ex.getMessage().contains("replication channel"), ex.getMessage());
    }

    private static long awaitRecordedTo(final AeronArchive client, final long position) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true)
        {
            final long[] recording = {-1};
            client.listRecordingsForUri(0, 10, "", STREAM, (controlSessionId, correlationId, recordingId,
                startTimestamp, stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength,
                termBufferLength, mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
                recording[0] = recordingId);
            if (recording[0] >= 0)
            {
                long recorded = client.getRecordingPosition(recording[0]);
                if (AeronArchive.NULL_POSITION == recorded)
                {
                    recorded = client.getStopPosition(recording[0]);
                }
                if (recorded >= position)
                {
                    return recording[0];
                }
            }
            assertTrue(System.nanoTime() < deadline, "recording did not reach " + position);
            Thread.sleep(10);
        }
    }

    private ReceivedMessages replay(
        final TickbusArchive archive, final AeronArchive client, final long recordingId, final long length)
        throws InterruptedException
    {
        final Subscription subscription = archive.aeron().addSubscription("aeron:ipc", REPLAY_STREAM);
        closeables.add(subscription);
        client.startReplay(recordingId, 0, length, "aeron:ipc", REPLAY_STREAM);
        final ReceivedMessages received = new ReceivedMessages();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (received.count < BEFORE + AFTER)
        {
            if (0 == subscription.poll(received, 100))
            {
                assertTrue(System.nanoTime() < deadline, "replay stalled at " + received.count);
                Thread.sleep(1);
            }
        }
        CloseHelper.close(subscription);
        closeables.remove(subscription);
        return received;
    }

    private static long catalogMessages(final TickbusArchive archive) throws Exception
    {
        long messages = 0;
        for (final DayCatalog.DaySummary day : DayCatalog.load(archive.archiveDir()).days())
        {
            if (STREAM == day.streamId())
            {
                messages += day.messages();
            }
        }
        return messages;
    }
}
