package io.tickbus.archive;

import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.RecordingDescriptorConsumer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The archive's own agent: discovers recordings through the archive's catalog ({@code listRecordings}), follows
 * each with a {@link RecordingIndexer} to keep the {@link DayCatalog} and time indexes current, and persists the
 * catalog at a fixed interval when it changed. With no catalog on disk it starts every indexer at its
 * recording's start: that is the rebuild. The order in which indexers are polled (and so find their segments) does
 * not matter: the catalog orders a day's segments by recording start time and position.
 * <p>
 * The agent owns the catalog and its archive client. Other threads ask for a retention purge ({@link #purge}),
 * a catalog write ({@link #flush}) or whether it has caught up ({@link #awaitCaughtUp}) by commands through a
 * queue, which the duty cycle drains ({@link Configuration#COMMAND_LIMIT} at most a cycle) before it indexes; the
 * caller waits for the result up to a deadline.
 * <p>
 * Threading: runs on one {@code AgentRunner}; the command methods are for any other thread (never the agent's).
 * Allocation: per new recording, per command and at each catalog write, none per message.
 */
final class CatalogAgent implements Agent, RecordingDescriptorConsumer
{
    /**
     * Defaults of the catalog agent.
     */
    static final class Configuration
    {
        /** How often the archive's catalog is listed for new recordings, by default. */
        static final long DISCOVERY_INTERVAL_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(100);
        /** How often the day catalog is written when it changed, by default. */
        static final long PERSIST_INTERVAL_NS_DEFAULT = TimeUnit.SECONDS.toNanos(1);
        /** How long a caller waits for a command (a purge of many recordings takes a while), by default. */
        static final long COMMAND_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(120);
        /** Commands the queue holds; a caller finding it full retries until its deadline. */
        static final int COMMAND_QUEUE_CAPACITY = 64;
        /** Commands run in one duty cycle at most. */
        static final int COMMAND_LIMIT = 4;
        /** Fragments each indexer reads in one duty cycle at most. */
        static final int FRAGMENT_LIMIT = 256;
        /** Recordings one listing of the archive's catalog reads at most. */
        static final int MAX_RECORDINGS_LISTED = 100_000;

        private Configuration()
        {
        }
    }

    /**
     * What the agent works on and how often; {@link #conclude()} checks it.
     */
    static final class Context
    {
        private AeronArchive archive;
        private Aeron aeron;
        private DayCatalog catalog;
        private Path archiveDir;
        private int replayStreamId = TickbusArchive.Configuration.INDEX_REPLAY_STREAM_DEFAULT;
        private long discoveryIntervalNs = Configuration.DISCOVERY_INTERVAL_NS_DEFAULT;
        private long persistIntervalNs = Configuration.PERSIST_INTERVAL_NS_DEFAULT;
        private long commandTimeoutNs = Configuration.COMMAND_TIMEOUT_NS_DEFAULT;
        private NanoClock clock = SystemNanoClock.INSTANCE;
        private ErrorHandler errorHandler;
        private ArchiveCounters counters;

        /**
         * @throws IllegalArgumentException naming what is missing or out of range.
         */
        void conclude()
        {
            if (null == archive || null == aeron || null == catalog || null == archiveDir || null == clock ||
                null == errorHandler || null == counters)
            {
                throw new IllegalArgumentException("catalog agent needs an archive client, an Aeron client, a " +
                    "catalog, the archive directory, a clock, an error handler and the counters");
            }
            if (discoveryIntervalNs <= 0 || persistIntervalNs <= 0 || commandTimeoutNs <= 0)
            {
                throw new IllegalArgumentException("catalog agent intervals and timeout must be positive: " +
                    discoveryIntervalNs + ", " + persistIntervalNs + ", " + commandTimeoutNs);
            }
        }

        /**
         * @param archive the agent's own archive client (used on its thread only).
         * @return this.
         */
        Context archive(final AeronArchive archive)
        {
            this.archive = archive;
            return this;
        }

        /**
         * @param aeron the Aeron client the indexers' replay subscriptions are added on.
         * @return this.
         */
        Context aeron(final Aeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        /**
         * @param catalog the day catalog the agent owns from now on.
         * @return this.
         */
        Context catalog(final DayCatalog catalog)
        {
            this.catalog = catalog;
            return this;
        }

        /**
         * @param archiveDir where the catalog and its indexes are written.
         * @return this.
         */
        Context archiveDir(final Path archiveDir)
        {
            this.archiveDir = archiveDir;
            return this;
        }

        /**
         * @param streamId stream id of the indexers' replays.
         * @return this.
         */
        Context replayStreamId(final int streamId)
        {
            this.replayStreamId = streamId;
            return this;
        }

        /**
         * @param intervalNs how often the archive's catalog is listed for new recordings.
         * @return this.
         */
        Context discoveryIntervalNs(final long intervalNs)
        {
            this.discoveryIntervalNs = intervalNs;
            return this;
        }

        /**
         * @param intervalNs how often the catalog is written when it changed.
         * @return this.
         */
        Context persistIntervalNs(final long intervalNs)
        {
            this.persistIntervalNs = intervalNs;
            return this;
        }

        /**
         * @param timeoutNs how long a caller waits for a purge or a catalog write.
         * @return this.
         */
        Context commandTimeoutNs(final long timeoutNs)
        {
            this.commandTimeoutNs = timeoutNs;
            return this;
        }

        /**
         * @param clock the duty cycle's clock.
         * @return this.
         */
        Context clock(final NanoClock clock)
        {
            this.clock = clock;
            return this;
        }

        /**
         * @param errorHandler receives indexing and catalog-write errors.
         * @return this.
         */
        Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /**
         * @param counters the archive's counters.
         * @return this.
         */
        Context counters(final ArchiveCounters counters)
        {
            this.counters = counters;
            return this;
        }
    }

    private final AeronArchive archive;
    private final Aeron aeron;
    private final DayCatalog catalog;
    private final Path archiveDir;
    private final int replayStreamId;
    private final long discoveryIntervalNs;
    private final long persistIntervalNs;
    private final long commandTimeoutNs;
    private final NanoClock clock;
    private final ErrorHandler errorHandler;
    private final ArchiveCounters counters;
    private final RetentionPurge retention;
    private final Long2ObjectHashMap<RecordingIndexer> indexers = new Long2ObjectHashMap<>();
    private final Long2LongHashMap stopPositions = new Long2LongHashMap(Long.MIN_VALUE);
    private final List<RecordingIndexer> followed = new ArrayList<>();
    private final ManyToOneConcurrentArrayQueue<Command<?>> commands =
        new ManyToOneConcurrentArrayQueue<>(Configuration.COMMAND_QUEUE_CAPACITY);
    private final Consumer<Command<?>> runCommand = Command::run;
    private long nextDiscoveryNs;
    private long nextPersistNs;
    private volatile long discoveryRounds;
    private volatile boolean closed;

    CatalogAgent(final Context ctx)
    {
        ctx.conclude();
        this.archive = ctx.archive;
        this.aeron = ctx.aeron;
        this.catalog = ctx.catalog;
        this.archiveDir = ctx.archiveDir;
        this.replayStreamId = ctx.replayStreamId;
        this.discoveryIntervalNs = ctx.discoveryIntervalNs;
        this.persistIntervalNs = ctx.persistIntervalNs;
        this.commandTimeoutNs = ctx.commandTimeoutNs;
        this.clock = ctx.clock;
        this.errorHandler = ctx.errorHandler;
        this.counters = ctx.counters;
        this.retention = new RetentionPurge(
            catalog, archive, archiveDir, counters, this::forget, this::persistIfDirty, errorHandler);
    }

    public String roleName()
    {
        return "tickbus-archive-catalog";
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int work = commands.drain(runCommand, Configuration.COMMAND_LIMIT);
        if (nowNs >= nextDiscoveryNs)
        {
            nextDiscoveryNs = nowNs + discoveryIntervalNs;
            work += discover();
        }
        for (int i = followed.size() - 1; i >= 0; i--)
        {
            final RecordingIndexer indexer = followed.get(i);
            work += indexer.poll(Configuration.FRAGMENT_LIMIT);
        }
        if (nowNs >= nextPersistNs)
        {
            nextPersistNs = nowNs + persistIntervalNs;
            work += persistIfDirty();
        }
        return work;
    }

    public void onClose()
    {
        for (final RecordingIndexer indexer : followed)
        {
            indexer.stopReplay(archive);
        }
        followed.clear();
        persistIfDirty();
        commands.drain((command) -> command.fail(new IllegalStateException("the archive is closing")));
        closed = true;
    }

    /**
     * Purge the trading days before a cutoff ({@link RetentionPurge}), on the agent's thread.
     *
     * @param cutoffEpochDay the first trading day kept (epoch day).
     * @return what was purged and what was skipped.
     * @throws IllegalStateException when the agent does not answer in time, is closed, or the caller is interrupted.
     */
    PurgeReport purge(final long cutoffEpochDay)
    {
        return callUninterruptibly("purge", () -> retention.purge(cutoffEpochDay));
    }

    /**
     * Write the catalog now when it changed, on the agent's thread.
     *
     * @throws IllegalStateException when the agent does not answer in time, is closed, or the caller is interrupted.
     */
    void flush()
    {
        callUninterruptibly("catalog write", this::persistIfDirty);
    }

    /**
     * Wait until the catalog has indexed every recorded byte of every recording, has written it, and a discovery
     * round has run since the wait began.
     *
     * @param timeoutMs most time to wait.
     * @return true when caught up; false on timeout.
     * @throws InterruptedException when interrupted.
     */
    boolean awaitCaughtUp(final long timeoutMs) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() - deadlineNs < 0)
        {
            final long rounds = discoveryRounds;
            final boolean caughtUp;
            try
            {
                caughtUp = call(this::caughtUpAndPersisted, Math.max(1, deadlineNs - System.nanoTime()));
            }
            catch (final TimeoutException ex)
            {
                return false;
            }
            if (caughtUp && discoveryRounds > rounds)
            {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private boolean caughtUpAndPersisted()
    {
        final List<long[]> recordings = new ArrayList<>();
        archive.listRecordings(0, Configuration.MAX_RECORDINGS_LISTED, (controlSessionId, correlationId, id,
            startTimestamp, stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength,
            termBufferLength, mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
            recordings.add(new long[]{id, startPosition, stopPosition}));
        boolean caughtUp = true;
        for (final long[] r : recordings)
        {
            long recorded = AeronArchive.NULL_POSITION == r[2] ? archive.getRecordingPosition(r[0]) : r[2];
            if (AeronArchive.NULL_POSITION == recorded)
            {
                recorded = archive.getMaxRecordedPosition(r[0]);
            }
            final DaySegment last = catalog.lastSegmentOf(r[0]);
            final long indexed = null == last ? r[1] : last.stopPosition;
            if (indexed < recorded)
            {
                caughtUp = false;
            }
        }
        if (caughtUp)
        {
            persistIfDirty();
        }
        return caughtUp;
    }

    private <T> T callUninterruptibly(final String what, final Supplier<T> action)
    {
        try
        {
            return call(action, commandTimeoutNs);
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException("the archive's catalog agent did not complete the " + what + " within " +
                TimeUnit.NANOSECONDS.toMillis(commandTimeoutNs) + " ms", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the catalog agent's " + what, ex);
        }
    }

    /**
     * Run an action on the agent's thread and wait for its result.
     *
     * @throws TimeoutException when the queue stays full or the action has not completed by the deadline (it may
     * still run later).
     * @throws IllegalStateException when the agent is closed; a {@link RuntimeException} the action threw.
     */
    private <T> T call(final Supplier<T> action, final long timeoutNs) throws InterruptedException, TimeoutException
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        final Command<T> command = new Command<>(action);
        while (!commands.offer(command))
        {
            checkOpen();
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new TimeoutException("catalog agent command queue full");
            }
            Thread.sleep(1);
        }
        while (true)
        {
            try
            {
                return command.result.get(Math.min(TimeUnit.MILLISECONDS.toNanos(10),
                    Math.max(0, deadlineNs - System.nanoTime())), TimeUnit.NANOSECONDS);
            }
            catch (final ExecutionException ex)
            {
                final Throwable cause = ex.getCause();
                if (cause instanceof RuntimeException)
                {
                    throw (RuntimeException)cause;
                }
                throw new IllegalStateException(cause);
            }
            catch (final TimeoutException ex)
            {
                if (!command.result.isDone())
                {
                    checkOpen();
                    if (System.nanoTime() - deadlineNs > 0)
                    {
                        throw ex;
                    }
                }
            }
        }
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("the archive is closed");
        }
    }

    private int persistIfDirty()
    {
        if (!catalog.isDirty())
        {
            return 0;
        }
        try
        {
            catalog.store(archiveDir);
            io.tickbus.client.OpenCounters.increment(counters.catalogWrites);
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
        int work = archive.listRecordings(0, Configuration.MAX_RECORDINGS_LISTED, this);
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

    private void forget(final long recordingId)
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

    /**
     * An action another thread asks the agent to run, and its result.
     */
    private static final class Command<T>
    {
        private final Supplier<T> action;
        private final CompletableFuture<T> result = new CompletableFuture<>();

        Command(final Supplier<T> action)
        {
            this.action = action;
        }

        void run()
        {
            try
            {
                result.complete(action.get());
            }
            catch (final RuntimeException ex)
            {
                result.completeExceptionally(ex);
            }
        }

        void fail(final RuntimeException ex)
        {
            result.completeExceptionally(ex);
        }
    }
}
