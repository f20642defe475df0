package io.tickbus.archive;

import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.RecordingDescriptorConsumer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The archive's own agent: discovers recordings through the archive's catalog ({@code listRecordings}), follows
 * each with a {@link RecordingIndexer} to keep the {@link DayCatalog} and time indexes current, and persists the
 * catalog at a fixed interval when it changed. With no catalog on disk it starts every indexer at its
 * recording's start: that is the rebuild. The order in which indexers are polled (and so find their segments) does
 * not matter: the catalog orders a day's segments by recording start time and position.
 * <p>
 * Threading: runs on one {@code AgentRunner}; {@link #catalog()} is guarded by its monitor for
 * {@link TickbusArchive#purge}. Allocation: per new recording and at each catalog write, none per message.
 */
final class CatalogAgent implements Agent, RecordingDescriptorConsumer
{
    private static final int FRAGMENT_LIMIT = 256;
    private static final int MAX_RECORDINGS_LISTED = 100_000;

    private final AeronArchive archive;
    private final Aeron aeron;
    private final DayCatalog catalog;
    private final Path archiveDir;
    private final int replayStreamId;
    private final long discoveryIntervalNs;
    private final long persistIntervalNs;
    private final NanoClock clock;
    private final ErrorHandler errorHandler;
    private final ArchiveCounters counters;
    private final Long2ObjectHashMap<RecordingIndexer> indexers = new Long2ObjectHashMap<>();
    private final Long2LongHashMap stopPositions = new Long2LongHashMap(Long.MIN_VALUE);
    private final List<RecordingIndexer> followed = new ArrayList<>();
    private long nextDiscoveryNs;
    private long nextPersistNs;
    private volatile long discoveryRounds;

    CatalogAgent(
        final AeronArchive archive,
        final Aeron aeron,
        final DayCatalog catalog,
        final Path archiveDir,
        final int replayStreamId,
        final long discoveryIntervalNs,
        final long persistIntervalNs,
        final NanoClock clock,
        final ErrorHandler errorHandler,
        final ArchiveCounters counters)
    {
        this.archive = archive;
        this.aeron = aeron;
        this.catalog = catalog;
        this.archiveDir = archiveDir;
        this.replayStreamId = replayStreamId;
        this.discoveryIntervalNs = discoveryIntervalNs;
        this.persistIntervalNs = persistIntervalNs;
        this.clock = clock;
        this.errorHandler = errorHandler;
        this.counters = counters;
    }

    DayCatalog catalog()
    {
        return catalog;
    }

    long discoveryRounds()
    {
        return discoveryRounds;
    }

    public String roleName()
    {
        return "tickbus-archive-catalog";
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int work = 0;
        synchronized (catalog)
        {
            if (nowNs >= nextDiscoveryNs)
            {
                nextDiscoveryNs = nowNs + discoveryIntervalNs;
                work += discover();
            }
            for (int i = followed.size() - 1; i >= 0; i--)
            {
                final RecordingIndexer indexer = followed.get(i);
                work += indexer.poll(FRAGMENT_LIMIT);
            }
            if (nowNs >= nextPersistNs)
            {
                nextPersistNs = nowNs + persistIntervalNs;
                work += persistIfDirty();
            }
        }
        return work;
    }

    public void onClose()
    {
        synchronized (catalog)
        {
            for (final RecordingIndexer indexer : followed)
            {
                indexer.stopReplay(archive);
            }
            followed.clear();
            persistIfDirty();
        }
    }

    int persistIfDirty()
    {
        if (!catalog.isDirty())
        {
            return 0;
        }
        try
        {
            catalog.store(archiveDir);
            counters.catalogWrites.increment();
            return 1;
        }
        catch (final IOException ex)
        {
            errorHandler.onError(new IOException("cannot write day catalog in " + archiveDir + ": " + ex, ex));
            return 0;
        }
    }

    private int discover()
    {
        int work = archive.listRecordings(0, MAX_RECORDINGS_LISTED, this);
        for (int i = followed.size() - 1; i >= 0; i--)
        {
            final RecordingIndexer indexer = followed.get(i);
            final long recordingId = indexer.recordingId();
            final long known = stopPositions.get(recordingId);
            final long stop = Long.MIN_VALUE == known ? AeronArchive.NULL_POSITION : known;
            try
            {
                if (indexer.startIfIdle(archive, aeron, replayStreamId, stop))
                {
                    work++;
                }
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(new IllegalStateException(
                    "cannot follow recording " + recordingId + " for the day catalog: " + ex.getMessage(), ex));
            }
        }
        discoveryRounds++;
        return work;
    }

    void forget(final long recordingId)
    {
        final RecordingIndexer indexer = indexers.remove(recordingId);
        if (null != indexer)
        {
            indexer.stopReplay(archive);
            followed.remove(indexer);
        }
        stopPositions.remove(recordingId);
    }

    public void onRecordingDescriptor(
        final long controlSessionId,
        final long correlationId,
        final long recordingId,
        final long startTimestamp,
        final long stopTimestamp,
        final long startPosition,
        final long stopPosition,
        final int initialTermId,
        final int segmentFileLength,
        final int termBufferLength,
        final int mtuLength,
        final int sessionId,
        final int streamId,
        final String strippedChannel,
        final String originalChannel,
        final String sourceIdentity)
    {
        stopPositions.put(recordingId, stopPosition);
        if (!indexers.containsKey(recordingId))
        {
            final RecordingIndexer indexer = new RecordingIndexer(
                recordingId, streamId, sessionId, strippedChannel, startTimestamp, startPosition, catalog, counters);
            indexers.put(recordingId, indexer);
            followed.add(indexer);
        }
    }
}
