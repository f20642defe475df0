package io.tickbus.archive;

import io.aeron.ChannelUriStringBuilder;
import io.aeron.ExclusivePublication;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.codecs.SourceLocation;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recording that stopped and was later extended ({@code extendRecording}, the way Aeron resumes a stream into the
 * same recording, and the way a replica's replicated recording starts: created stopped, then made active) is
 * indexed to its new end: the day catalog never gives up on a stopped recording.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecordingExtensionIndexTest
{
    private static final int STREAM = 1411;
    private static final int BEFORE = 300;
    private static final int AFTER = 400;

    @TempDir
    Path dir;

    private TickbusArchive archive;
    private AeronArchive client;
    private ExclusivePublication publication;

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(publication, client, archive);
    }

    @Test
    void aStoppedRecordingThatIsExtendedIsIndexedToItsNewEnd() throws Exception
    {
        archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir)
            .controlChannel(null)
            .persistIntervalNs(TimeUnit.MILLISECONDS.toNanos(50)));
        client = TickbusArchive.connectLocal(archive.aeron(), null);

        final MarketDataGenerator generator = new MarketDataGenerator();
        final long t0 = MarketDataGenerator.epochNs("2026-11-20T14:30:00Z");
        final long subscriptionId = client.startRecording("aeron:ipc", STREAM, SourceLocation.LOCAL);
        publication = archive.aeron().addExclusivePublication("aeron:ipc", STREAM);
        DayReplayerTest.awaitConnected(publication);
        for (int i = 0; i < BEFORE; i++)
        {
            generator.publish(publication, t0 + i * 1_000_000L);
        }
        final long firstEnd = publication.position();
        final int initialTermId = publication.initialTermId();
        final int termLength = publication.termBufferLength();
        final int sessionId = publication.sessionId();
        final long recordingId = awaitRecordedTo(firstEnd);
        client.stopRecording(subscriptionId);
        CloseHelper.close(publication);
        awaitStoppedAt(recordingId, firstEnd);

        assertTrue(archive.awaitCatalogCaughtUp(20_000), "catalog caught up with the stopped recording");
        assertEquals(BEFORE, catalogMessages(), "messages before the stop");

        // resume the stream where the recording stopped, into the same recording: a new publication (its own session
        // id: the closed one may linger in the driver) with the same term geometry, starting at the stop position
        final String resumed = new ChannelUriStringBuilder().media("ipc")
            .initialPosition(firstEnd, initialTermId, termLength).sessionId(sessionId + 1).build();
        client.extendRecording(recordingId, resumed, STREAM, SourceLocation.LOCAL);
        publication = archive.aeron().addExclusivePublication(resumed, STREAM);
        DayReplayerTest.awaitConnected(publication);
        for (int i = BEFORE; i < BEFORE + AFTER; i++)
        {
            generator.publish(publication, t0 + i * 1_000_000L);
        }
        awaitRecordedTo(publication.position());

        assertTrue(archive.awaitCatalogCaughtUp(20_000), "catalog caught up with the extension");
        assertEquals(BEFORE + AFTER, catalogMessages(), "messages before the stop and after the extension");
    }

    private long awaitRecordedTo(final long position) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true)
        {
            final long recordingId = onlyRecording();
            if (recordingId >= 0 && client.getRecordingPosition(recordingId) >= position)
            {
                return recordingId;
            }
            assertTrue(System.nanoTime() < deadline, "recording did not reach " + position);
            Thread.sleep(5);
        }
    }

    private void awaitStoppedAt(final long recordingId, final long position) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (client.getStopPosition(recordingId) != position)
        {
            assertTrue(System.nanoTime() < deadline, "recording did not stop at " + position);
            Thread.sleep(5);
        }
    }

    private long onlyRecording()
    {
        final long[] found = {-1};
        client.listRecordingsForUri(0, 10, "aeron:ipc", STREAM, (controlSessionId, correlationId, recordingId,
            startTimestamp, stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength,
            termBufferLength, mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
            found[0] = recordingId);
        return found[0];
    }

    private long catalogMessages() throws Exception
    {
        long messages = 0;
        for (final DayCatalog.DaySummary day : DayCatalog.load(dir).days())
        {
            if (STREAM == day.streamId())
            {
                messages += day.messages();
            }
        }
        return messages;
    }
}
