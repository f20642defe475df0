package io.tickbus.archive.client;

import io.aeron.archive.client.AeronArchive;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;

/**
 * The active recording of a live channel and stream that a late joiner follows, and the one place that chooses
 * it ({@link LateJoinSubscriber} and {@link ReplayThenLiveSource} both ask here).
 * <p>
 * A channel and stream can have several active recordings at once: each publication session is its own
 * recording, and on the sequenced stream every sequencer member publishes the same messages on its own session
 * (like an exchange's A and B lines), live or silent. The choice: among the recordings still recording (stop
 * position unset) and not excluded, the one that has recorded the most bytes (recorded position minus start
 * position); a silent member's recording has recorded nothing, so it is never chosen over one that carries data.
 * Ties go to the newest (highest id). A dead member whose recording the archive has not stopped yet may still be
 * chosen when it recorded the most; the late joiner then rejoins when its image closes.
 * <p>
 * Threading: the caller's thread, which owns the archive client. Allocation: a few objects per choice (at start
 * and at each rejoin), none per message.
 */
final class LiveRecording
{
    final long recordingId;
    final long startPosition;
    final int sessionId;

    private LiveRecording(final long recordingId, final long startPosition, final int sessionId)
    {
        this.recordingId = recordingId;
        this.startPosition = startPosition;
        this.sessionId = sessionId;
    }

    /**
     * Choose the recording to follow, or fail.
     *
     * @param archive archive client.
     * @param channel the live channel as recorded.
     * @param streamId the live stream id.
     * @return the chosen recording.
     * @throws IllegalStateException when the stream has no active recording.
     */
    static LiveRecording require(final AeronArchive archive, final String channel, final int streamId)
    {
        final LiveRecording chosen = choose(archive, channel, streamId, null);
        if (null == chosen)
        {
            throw new IllegalStateException("no active recording of " + channel + " stream " + streamId +
                " to late-join from (is the archive recording it?)");
        }
        return chosen;
    }

    /**
     * Choose the recording to follow.
     *
     * @param archive archive client.
     * @param channel the live channel as recorded.
     * @param streamId the live stream id.
     * @param excluded recording ids not to choose (those already left), or null.
     * @return the chosen recording, or null when there is none.
     */
    static LiveRecording choose(
        final AeronArchive archive, final String channel, final int streamId, final LongHashSet excluded)
    {
        // listed first, then asked for their positions: the archive client takes one request at a time
        final LongArrayList active = new LongArrayList();
        archive.listRecordingsForUri(0, 100_000, channel, streamId, (controlSessionId, correlationId, id,
            startTimestamp, stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength,
            termBufferLength, mtuLength, sessionId, stream, strippedChannel, originalChannel, sourceIdentity) ->
        {
            if (AeronArchive.NULL_POSITION == stopPosition && (null == excluded || !excluded.contains(id)))
            {
                active.addLong(id);
                active.addLong(startPosition);
                active.addLong(sessionId);
            }
        });
        LiveRecording chosen = null;
        long chosenLength = -1;
        for (int i = 0; i < active.size(); i += 3)
        {
            final long id = active.getLong(i);
            final long recorded = archive.getRecordingPosition(id);
            final long length = recorded - active.getLong(i + 1);
            if (AeronArchive.NULL_POSITION != recorded && // else stopped since it was listed
                (length > chosenLength || (length == chosenLength && id > chosen.recordingId)))
            {
                chosen = new LiveRecording(id, active.getLong(i + 1), (int)active.getLong(i + 2));
                chosenLength = length;
            }
        }
        return chosen;
    }
}
