package io.tickbus.archive;

import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.archive.codecs.ReplayRequestDecoder;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.archive.codecs.StartRecordingRequestDecoder;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The archive's read-only secret, with a real Aeron Archive: a client presenting it lists recordings and replays
 * them byte for byte, and is refused (Aeron's UNAUTHORISED_ACTION, counted) every request that would change what is
 * recorded: start a recording, purge or truncate one; the recording is intact afterwards and the control secret can
 * still do all of it. A read-only secret without a control secret, or equal to it, is a configuration error.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ArchiveReaderAuthorisationTest
{
    private static final int STREAM = 1321;
    private static final int REPLAY_STREAM = 1322;
    private static final String CONTROL_SECRET = "archive-control-secret";
    private static final String READER_SECRET = "archive-reader-secret";

    @TempDir
    Path dir;

    private TickbusArchive archive;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close()
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(closeables.get(i));
        }
        CloseHelper.close(archive);
    }

    @Test
    void readerListsAndReplaysButCannotChangeWhatIsRecorded() throws Exception
    {
        archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir)
            .controlChannel(null)
            .controlSecret(CONTROL_SECRET)
            .readerSecret(READER_SECRET)
            .persistIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .record("aeron:ipc:" + STREAM));
        assertEquals("true", TickbusArchive.runningInfo(dir).getProperty("control.readers"));

        final int messages = 300;
        final MarketDataGenerator generator = new MarketDataGenerator();
        try (ExclusivePublication publication = archive.aeron().addExclusivePublication("aeron:ipc", STREAM))
        {
            DayReplayerTest.awaitConnected(publication);
            final long t0 = MarketDataGenerator.epochNs("2026-11-20T14:30:00Z");
            for (int i = 0; i < messages; i++)
            {
                generator.publish(publication, t0 + i * 1_000_000L);
            }
        }
        assertTrue(archive.awaitCatalogCaughtUp(20_000), "the catalog agent (control secret) indexed the day");

        final AeronArchive reader = TickbusArchive.connectLocal(archive.aeron(), READER_SECRET);
        closeables.add(reader);
        final long[] recording = stoppedRecording(reader);
        assertEquals(generator.checksums, replay(reader, recording).checksums, "the reader replays the bytes");

        assertUnauthorised(() -> reader.startRecording("aeron:ipc", STREAM + 10, SourceLocation.LOCAL));
        assertUnauthorised(() -> reader.truncateRecording(recording[0], 0));
        assertUnauthorised(() -> reader.purgeRecording(recording[0]));
        assertEquals(3, archive.counters().authDenied(), "every refusal counted");
        assertEquals(0, archive.counters().authRejected(), "the reader authenticated");

        final AeronArchive control = TickbusArchive.connectLocal(archive.aeron(), CONTROL_SECRET);
        closeables.add(control);
        assertEquals(recording[1], control.getStopPosition(recording[0]), "the recording is intact");
        assertEquals(generator.checksums, replay(control, recording).checksums, "and replays the same");
        final long subscriptionId = control.startRecording("aeron:ipc", STREAM + 10, SourceLocation.LOCAL);
        control.stopRecording(subscriptionId);
        assertEquals(3, archive.counters().authDenied(), "the control secret is never refused");
        assertTrue(ArchiveControlAuthorisation.isReaderAction(ReplayRequestDecoder.TEMPLATE_ID));
        assertFalse(ArchiveControlAuthorisation.isReaderAction(StartRecordingRequestDecoder.TEMPLATE_ID));
    }

    @Test
    void readerSecretNeedsADifferentControlSecret()
    {
        final IllegalArgumentException alone = assertThrows(IllegalArgumentException.class, () ->
            new TickbusArchive.Context().archiveDir(dir).controlChannel(null).readerSecret(READER_SECRET).conclude());
        assertTrue(alone.getMessage().contains("needs a control secret"), alone.getMessage());
        final IllegalArgumentException same = assertThrows(IllegalArgumentException.class, () ->
            new TickbusArchive.Context().archiveDir(dir).controlChannel(null)
                .controlSecret(CONTROL_SECRET).readerSecret(CONTROL_SECRET).conclude());
        assertTrue(same.getMessage().contains("must differ"), same.getMessage());
    }

    private static void assertUnauthorised(final org.junit.jupiter.api.function.Executable request)
    {
        final ArchiveException ex = assertThrows(ArchiveException.class, request);
        assertEquals(ArchiveException.UNAUTHORISED_ACTION, ex.errorCode(), ex.getMessage());
    }

    /** @return {recording id, stop position} of the stream's recording once it has stopped. */
    private static long[] stoppedRecording(final AeronArchive client) throws InterruptedException
    {
        final long[] recording = {-1, -1};
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (recording[1] < 0)
        {
            client.listRecordingsForUri(0, 10, "aeron:ipc", STREAM, (controlSessionId, correlationId, recordingId,
                startTimestamp, stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength,
                termBufferLength, mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
            {
                recording[0] = recordingId;
                recording[1] = stopPosition;
            });
            assertTrue(System.nanoTime() < deadline, "recording did not stop");
            Thread.sleep(5);
        }
        return recording;
    }

    private ReceivedMessages replay(final AeronArchive client, final long[] recording) throws InterruptedException
    {
        try (Subscription subscription = archive.aeron().addSubscription("aeron:ipc", REPLAY_STREAM))
        {
            client.startReplay(recording[0], 0, recording[1], "aeron:ipc", REPLAY_STREAM);
            final ReceivedMessages received = new ReceivedMessages();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (received.positions.isEmpty() || received.positions.get(received.count - 1) < recording[1])
            {
                if (0 == subscription.poll(received, 100))
                {
                    assertTrue(System.nanoTime() < deadline, "replay stalled at " + received.count);
                    Thread.sleep(1);
                }
            }
            return received;
        }
    }
}
