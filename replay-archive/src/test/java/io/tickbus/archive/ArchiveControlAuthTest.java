package io.tickbus.archive;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.archive.codecs.ReplayRequestDecoder;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.archive.codecs.StartRecordingRequestDecoder;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Archive control authentication with a real Aeron Archive: clients without the control secret or with a wrong
 * one are refused, on the local IPC control channel and on the UDP control channel, with Aeron's reason; the right
 * secret connects and replays what was recorded (the archive's own catalog agent authenticates too, so the day
 * catalog is indexed); an archive whose UDP control channel is not on loopback refuses to start without a secret.
 * The read-only secret: its client lists recordings and replays them byte for byte, and is refused (Aeron's
 * UNAUTHORISED_ACTION, counted) every request that would change what is recorded; a read-only secret without a
 * control secret, or equal to it, is a configuration error.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ArchiveControlAuthTest
{
    private static final int STREAM = 1301;
    private static final int REPLAY_STREAM = 1302;
    private static final String SECRET = "s3cret-archive-control";
    private static final String READER_SECRET = "archive-reader-secret";
    private static final String UDP_CONTROL = "aeron:udp?endpoint=127.0.0.1:17010";

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

    private void launch(final String secret)
    {
        archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir)
            .controlChannel(UDP_CONTROL)
            .controlSecret(secret)
            .persistIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .record("aeron:ipc:" + STREAM));
    }

    private AeronArchive connectUdp(final String secret)
    {
        final AeronArchive.Context ctx = new AeronArchive.Context()
            .aeron(archive.aeron())
            .ownsAeronClient(false)
            .controlRequestChannel(UDP_CONTROL)
            .controlRequestStreamId(TickbusArchive.Configuration.CONTROL_STREAM_ID)
            .controlResponseChannel("aeron:udp?endpoint=127.0.0.1:0")
            .controlResponseStreamId(1303)
            .messageTimeoutNs(TimeUnit.SECONDS.toNanos(5))
            .idleStrategy(new BackoffIdleStrategy(1, 10, 1_000, 1_000_000));
        if (null != secret)
        {
            ctx.credentialsSupplier(ArchiveControlAuthenticator.credentials(secret));
        }
        return AeronArchive.connect(ctx);
    }

    private static void assertRejected(final ArchiveException ex)
    {
        System.out.println("refused: " + ex.getMessage());
        final String message = String.valueOf(ex.getMessage()).toLowerCase();
        assertTrue(message.contains("authentication") && message.contains("reject"), ex.getMessage());
    }

    @Test
    void clientsWithoutOrWithWrongSecretAreRefusedAtArchiveControl()
    {
        launch(SECRET);
        final Aeron aeron = archive.aeron();

        assertRejected(assertThrows(ArchiveException.class, () -> closeables.add(
            TickbusArchive.connectLocal(aeron, null)), "IPC control, no credentials"));
        assertRejected(assertThrows(ArchiveException.class, () -> closeables.add(
            TickbusArchive.connectLocal(aeron, "wrong-secret")), "IPC control, wrong secret"));
        assertRejected(assertThrows(ArchiveException.class, () -> closeables.add(
            connectUdp(null)), "UDP control, no credentials"));
        assertRejected(assertThrows(ArchiveException.class, () -> closeables.add(
            connectUdp(SECRET.substring(0, SECRET.length() - 1))), "UDP control, secret missing its last char"));

        assertEquals(4, archive.counters().authRejected(), "every refusal counted");

        final AeronArchive udp = connectUdp(SECRET);
        closeables.add(udp);
        assertTrue(udp.archiveId() != 0 || udp.controlSessionId() >= 0);
        assertEquals(4, archive.counters().authRejected(), "the right secret is not counted as a refusal");
    }

    @Test
    void rightSecretConnectsAndReplaysWhatWasRecorded() throws Exception
    {
        launch(SECRET);
        final Properties info = ArchiveDirectory.runningInfo(dir);
        assertEquals("true", info.getProperty("control.authenticated"));

        final int messages = 500;
        final MarketDataGenerator generator = publish(messages);
        // the catalog agent is an archive control client of its own: it indexes only if it authenticated
        assertTrue(archive.awaitCatalogCaughtUp(20_000), "catalog agent caught up");
        assertEquals(messages, archive.counters().indexedMessages());

        final AeronArchive client = TickbusArchive.connectLocal(archive.aeron(), SECRET);
        closeables.add(client);
        final ReceivedMessages received = replay(client, stoppedRecording(client));
        assertEquals(generator.checksums, received.checksums, "replayed bytes equal the published bytes");
        assertEquals(0, archive.counters().authRejected());
    }

    @Test
    void archiveAndLocalClientsTakeTheSecretFromTheSameFile() throws Exception
    {
        final Path secretFile = Files.writeString(dir.resolve("archive.secret"), SECRET + "\n");
        final Path archiveDir = dir.resolve("archive");
        System.setProperty(TickbusArchive.Configuration.SECRET_FILE_PROP_NAME, secretFile.toString());
        try
        {
            archive = TickbusArchive.launch(new TickbusArchive.Context().archiveDir(archiveDir).controlChannel(null));
            assertTrue(archive.context().controlAuthenticated(), "secret read from the file");
            closeables.add(TickbusArchive.connectLocal(archive.aeron()));
            assertRejected(assertThrows(ArchiveException.class, () -> closeables.add(
                TickbusArchive.connectLocal(archive.aeron(), null))));
        }
        finally
        {
            System.clearProperty(TickbusArchive.Configuration.SECRET_FILE_PROP_NAME);
        }
    }

    @Test
    void withoutSecretLoopbackControlIsOpenAsBefore()
    {
        launch(null);
        assertEquals("false", ArchiveDirectory.runningInfo(dir).getProperty("control.authenticated"));
        closeables.add(TickbusArchive.connectLocal(archive.aeron(), null));
        closeables.add(connectUdp(null));
        assertEquals(0, archive.counters().authRejected());
    }

    @Test
    void nonLoopbackControlChannelRequiresASecret()
    {
        final TickbusArchive.Context ctx = new TickbusArchive.Context()
            .archiveDir(dir)
            .controlChannel("aeron:udp?endpoint=0.0.0.0:17011");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () ->
            archive = TickbusArchive.launch(ctx));
        assertTrue(ex.getMessage().contains("not a loopback address"), ex.getMessage());
        assertTrue(ex.getMessage().contains(TickbusArchive.Configuration.SECRET_FILE_ENV), ex.getMessage());
        assertFalse(dir.resolve(ArchiveDirectory.INFO_FILE).toFile().exists(), "nothing was started");

        // with a secret the same channel is accepted (checked without binding: tests stay on 127.0.0.1)
        assertDoesNotThrow(() -> new TickbusArchive.Context()
            .archiveDir(dir)
            .controlChannel("aeron:udp?endpoint=0.0.0.0:17011")
            .controlSecret(SECRET)
            .conclude());
        assertTrue(TickbusArchive.Context.isLoopback("aeron:udp?endpoint=localhost:17012"));
        assertFalse(TickbusArchive.Context.isLoopback("aeron:udp?endpoint=192.0.2.1:17012"));
    }

    @Test
    void readerListsAndReplaysButCannotChangeWhatIsRecorded() throws Exception
    {
        archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir)
            .controlChannel(null)
            .controlSecret(SECRET)
            .readerSecret(READER_SECRET)
            .persistIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .record("aeron:ipc:" + STREAM));
        assertEquals("true", ArchiveDirectory.runningInfo(dir).getProperty("control.readers"));

        final int messages = 300;
        final MarketDataGenerator generator = publish(messages);
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

        final AeronArchive control = TickbusArchive.connectLocal(archive.aeron(), SECRET);
        closeables.add(control);
        assertEquals(recording[1], control.getStopPosition(recording[0]), "the recording is intact");
        assertEquals(generator.checksums, replay(control, recording).checksums, "and replays the same");
        final long subscriptionId = control.startRecording("aeron:ipc", STREAM + 10, SourceLocation.LOCAL);
        // A reader may not stop a recording either: by subscription id, or by channel and stream.
        assertUnauthorised(() -> reader.stopRecording(subscriptionId));
        assertUnauthorised(() -> reader.stopRecording("aeron:ipc", STREAM + 10));
        assertEquals(5, archive.counters().authDenied(), "both stop-recording refusals counted");
        control.stopRecording(subscriptionId);
        assertEquals(5, archive.counters().authDenied(), "the control secret is never refused");
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
                .controlSecret(SECRET).readerSecret(SECRET).conclude());
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

    /** Publish messages 1 ms apart on the recorded stream, then close the publication (the recording stops). */
    private MarketDataGenerator publish(final int messages) throws InterruptedException
    {
        final MarketDataGenerator generator = new MarketDataGenerator();
        try (ExclusivePublication publication = archive.aeron().addExclusivePublication("aeron:ipc", STREAM))
        {
            DayReplayerTest.awaitConnected(publication);
            final long t0 = MarketDataGenerator.epochNs("2026-11-18T14:30:00Z");
            for (int i = 0; i < messages; i++)
            {
                generator.publish(publication, t0 + i * 1_000_000L);
            }
        }
        return generator;
    }

    /** Replay a whole stopped recording to this process. */
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
