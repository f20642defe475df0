package io.tickbus.archive;

import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import org.agrona.ErrorHandler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Retention: purges whole trading days older than a cutoff from the archive and the {@link DayCatalog}. A recording
 * holding only such days is purged; a recording that continues into a kept day loses its segment files before that
 * day (Aeron's {@code purgeSegments}). A day that a replay holds ({@link ReplayLocks}) or whose recording is still
 * being written is skipped, and said so in the {@link PurgeReport}.
 * <p>
 * Threading: the thread that owns the catalog and the archive client. Allocation: per purge, not on a hot path.
 */
final class RetentionPurge
{
    private final DayCatalog catalog;
    private final AeronArchive archive;
    private final Path archiveDir;
    private final ArchiveCounters counters;
    private final LongConsumer forget;
    private final Runnable persistIfDirty;
    private final ErrorHandler errorHandler;

    /**
     * @param catalog the day catalog purged days leave.
     * @param archive the archive client that lists and purges recordings.
     * @param archiveDir where the catalog is stored.
     * @param counters counts the purged days.
     * @param forget stops following a recording before it is purged.
     * @param persistIfDirty writes the catalog when an indexer changed it.
     * @param errorHandler receives a failure to store the catalog.
     */
    RetentionPurge(
        final DayCatalog catalog,
        final AeronArchive archive,
        final Path archiveDir,
        final ArchiveCounters counters,
        final LongConsumer forget,
        final Runnable persistIfDirty,
        final ErrorHandler errorHandler)
    {
        this.catalog = catalog;
        this.archive = archive;
        this.archiveDir = archiveDir;
        this.counters = counters;
        this.forget = forget;
        this.persistIfDirty = persistIfDirty;
        this.errorHandler = errorHandler;
    }

    /**
     * Purge the days before the cutoff, then write the catalog.
     *
     * @param cutoffEpochDay the first trading day kept (epoch day).
     * @return what was purged and what was skipped, one line per (day, stream).
     */
    PurgeReport purge(final long cutoffEpochDay)
    {
        final PurgeReport report = new PurgeReport();
        final List<Long> recordingIds = new ArrayList<>();
        for (final DaySegment s : catalog.segments())
        {
            if (s.epochDay < cutoffEpochDay && !recordingIds.contains(s.recordingId))
            {
                recordingIds.add(s.recordingId);
            }
        }
        for (final long recordingId : recordingIds)
        {
            purgeRecording(recordingId, cutoffEpochDay, report);
        }
        persistIfDirty.run();
        if (report.purged.size() > 0)
        {
            try
            {
                catalog.store(archiveDir);
            }
            catch (final IOException ex)
            {
                errorHandler.onError(ex);
            }
        }
        return report;
    }

    private void purgeRecording(final long recordingId, final long cutoff, final PurgeReport report)
    {
        final List<DaySegment> old = new ArrayList<>();
        DaySegment firstKept = null;
        for (final DaySegment s : catalog.segments())
        {
            if (s.recordingId == recordingId)
            {
                if (s.epochDay < cutoff)
                {
                    old.add(s);
                }
                else if (null == firstKept)
                {
                    firstKept = s;
                }
            }
        }
        for (final DaySegment s : old)
        {
            if (ReplayLocks.isReplaying(archiveDir, s.day(), s.streamId))
            {
                report.skipped.add(s.day() + " stream " + s.streamId + ": being replayed");
                return;
            }
        }
        final long[] descriptor = new long[4];
        final int found = archive.listRecording(recordingId, (controlSessionId, correlationId, id, startTimestamp,
            stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength,
            sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
        {
            descriptor[0] = startPosition;
            descriptor[1] = stopPosition;
            descriptor[2] = termBufferLength;
            descriptor[3] = segmentFileLength;
        });
        try
        {
            if (0 == found)
            {
                catalog.removeRecording(recordingId);
            }
            else if (null == firstKept)
            {
                if (AeronArchive.NULL_POSITION == descriptor[1])
                {
                    for (final DaySegment s : old)
                    {
                        report.skipped.add(s.day() + " stream " + s.streamId + ": recording " + recordingId +
                            " is still being written");
                    }
                    return;
                }
                forget.accept(recordingId);
                archive.purgeRecording(recordingId);
                catalog.removeRecording(recordingId);
            }
            else
            {
                final long base = AeronArchive.segmentFileBasePosition(
                    descriptor[0], firstKept.startPosition, (int)descriptor[2], (int)descriptor[3]);
                if (base > descriptor[0])
                {
                    archive.purgeSegments(recordingId, base);
                }
                for (final DaySegment s : old)
                {
                    catalog.remove(s, archiveDir);
                }
            }
            for (final DaySegment s : old)
            {
                report.purged.add(s.day() + " stream " + s.streamId + ": recording " + recordingId + ", " +
                    s.messages + " messages");
                io.tickbus.client.OpenCounters.increment(counters.purgedDays);
            }
        }
        catch (final ArchiveException | IOException ex)
        {
            for (final DaySegment s : old)
            {
                report.skipped.add(s.day() + " stream " + s.streamId + ": " + ex.getMessage());
            }
        }
    }
}
