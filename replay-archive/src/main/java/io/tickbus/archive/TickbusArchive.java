package io.tickbus.archive;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.archive.codecs.SourceLocation;
import io.tickbus.client.BusChannels;
import io.tickbus.client.SecretSource;
import io.tickbus.driver.TickbusDriver;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The Tickbus archive: Aeron Archive (SHARED threading, back-off idle) on an embedded {@link TickbusDriver} or
 * a standalone driver's directory, recording the configured streams from start-up, plus the {@link CatalogAgent}
 * that keeps the {@link DayCatalog} and time indexes beside the recordings. Retention purges whole days
 * ({@link #purge(int, LocalDate)}).
 * <p>
 * Holds its directory ({@link ArchiveDirectory}: the lock, and the info file by which {@code tickbus replay} and
 * other processes find it) so two archives never share a directory.
 * <p>
 * Threading: launch, record, replicate, purge and close from any thread: record and replicate share the control
 * client under its monitor; purge, {@link #flushCatalog()} and {@link #awaitCatalogCaughtUp(long)} are commands to
 * the catalog agent, which alone touches the catalog. The catalog agent and the archive run on their own threads.
 * Allocation: at launch and per control request.
 */
public final class TickbusArchive implements AutoCloseable
{
    /** Property names and defaults, in Aeron's habit. */
    public static final class Configuration
    {
        /** Archive directory. */
        public static final String DIR_PROP_NAME = "tickbus.archive.dir";
        /** Default archive directory, relative to the working directory. */
        public static final String DIR_DEFAULT = "tickbus-archive";
        /** Control channel for clients on other hosts or drivers; empty to disable. */
        public static final String CONTROL_CHANNEL_PROP_NAME = "tickbus.archive.control.channel";
        /** Default control channel. */
        public static final String CONTROL_CHANNEL_DEFAULT = "aeron:udp?endpoint=127.0.0.1:45010";
        /**
         * Control stream id on the UDP control channel; a sequencer member's own archive listens on the same one, so
         * a remote client (a {@code SequencedSubscriber}) reaches either kind the same way.
         */
        public static final int CONTROL_STREAM_ID = 7110;
        /**
         * Control stream id on the local (IPC) control channel: apart from a sequencer member's archive (which uses
         * {@link #CONTROL_STREAM_ID} locally too), so that two archives on one driver (the demo) never share
         * requests.
         */
        public static final int LOCAL_CONTROL_STREAM_ID = 7112;
        /** Stream id on which the catalog agent receives its replays. */
        public static final String INDEX_REPLAY_STREAM_PROP_NAME = "tickbus.archive.index.replay.stream";
        /** Default index replay stream id. */
        public static final int INDEX_REPLAY_STREAM_DEFAULT = 710_190;
        /** Time index granularity, e.g. {@code 1s}. */
        public static final String INDEX_GRANULARITY_PROP_NAME = "tickbus.archive.index.granularity.ns";
        /** Default time index granularity: one second. */
        public static final long INDEX_GRANULARITY_DEFAULT = 1_000_000_000L;
        /** Zone of the trading day. */
        public static final String ZONE_PROP_NAME = "tickbus.archive.day.zone";
        /** Time of day at which a trading day begins. */
        public static final String ROLL_PROP_NAME = "tickbus.archive.day.roll";
        /** Archive segment file length (bytes, power of two, at least the term length); 0 for Aeron's. */
        public static final String SEGMENT_LENGTH_PROP_NAME = "tickbus.archive.segment.length";
        /**
         * Channel on which this archive receives what it replicates from a source archive (the source replays to
         * it); its host must be reachable from the source. Port 0: an ephemeral port.
         */
        public static final String REPLICATION_CHANNEL_PROP_NAME = "tickbus.archive.replication.channel";
        /** Default replication channel: loopback only. */
        public static final String REPLICATION_CHANNEL_DEFAULT = "aeron:udp?endpoint=127.0.0.1:0";
        /** Environment variable holding the source archive's control secret, when it differs from this one's. */
        public static final String SOURCE_SECRET_ENV = "TICKBUS_ARCHIVE_SOURCE_SECRET";
        /** Environment variable naming a file that holds the source archive's control secret. */
        public static final String SOURCE_SECRET_FILE_ENV = "TICKBUS_ARCHIVE_SOURCE_SECRET_FILE";
        /** System property naming a file that holds the source archive's control secret. */
        public static final String SOURCE_SECRET_FILE_PROP_NAME = "tickbus.archive.source.secret.file";
        /** Environment variable holding the archive control secret (authentication on when set). */
        public static final String SECRET_ENV = "TICKBUS_ARCHIVE_SECRET";
        /** Environment variable naming a file that holds the archive control secret. */
        public static final String SECRET_FILE_ENV = "TICKBUS_ARCHIVE_SECRET_FILE";
        /** System property naming a file that holds the archive control secret (wins over the environment). */
        public static final String SECRET_FILE_PROP_NAME = "tickbus.archive.secret.file";
        /** Environment variable holding the archive's read-only secret (list and replay only). */
        public static final String READER_SECRET_ENV = "TICKBUS_ARCHIVE_READER_SECRET";
        /** Environment variable naming a file that holds the archive's read-only secret. */
        public static final String READER_SECRET_FILE_ENV = "TICKBUS_ARCHIVE_READER_SECRET_FILE";
        /** System property naming a file that holds the archive's read-only secret (wins over the environment). */
        public static final String READER_SECRET_FILE_PROP_NAME = "tickbus.archive.reader.secret.file";

        private Configuration()
        {
        }

        /**
         * The idle strategy of the archive's threads and control clients by default: back off (1 spin, 10 yields,
         * then parks of 1 us growing to 1 ms), for the small box.
         *
         * @return a new idle strategy.
         */
        public static IdleStrategy idleStrategy()
        {
            return new BackoffIdleStrategy(1, 10, 1_000, 1_000_000);
        }

        /**
         * The archive control secret, read the same way by the archive and by its clients: a file named by
         * {@value #SECRET_FILE_PROP_NAME} or {@value #SECRET_FILE_ENV}, else {@value #SECRET_ENV}; never a command-line
         * argument.
         *
         * @return the secret, or null when none is configured (authentication off).
         * @throws IllegalArgumentException when a named file cannot be read or is empty.
         */
        public static String controlSecretFromEnvironment()
        {
            return SecretSource.read(SECRET_FILE_PROP_NAME, SECRET_FILE_ENV, SECRET_ENV);
        }

        /**
         * The archive's read-only secret, read by the archive only (a reading client presents it as its control
         * secret): a file named by {@value #READER_SECRET_FILE_PROP_NAME} or {@value #READER_SECRET_FILE_ENV}, else
         * {@value #READER_SECRET_ENV}.
         *
         * @return the secret, or null when none is configured (no read-only sessions).
         * @throws IllegalArgumentException when a named file cannot be read or is empty.
         */
        public static String readerSecretFromEnvironment()
        {
            return SecretSource.read(READER_SECRET_FILE_PROP_NAME, READER_SECRET_FILE_ENV, READER_SECRET_ENV);
        }

        /**
         * The secret a replica presents to its source archive: a file named by {@value #SOURCE_SECRET_FILE_PROP_NAME}
         * or {@value #SOURCE_SECRET_FILE_ENV}, else {@value #SOURCE_SECRET_ENV}; when none is set, the replica
         * presents its own control secret (one secret shared by the archive hosts).
         *
         * @return the secret, or null when none is configured.
         * @throws IllegalArgumentException when a named file cannot be read or is empty.
         */
        public static String sourceControlSecretFromEnvironment()
        {
            return SecretSource.read(SOURCE_SECRET_FILE_PROP_NAME, SOURCE_SECRET_FILE_ENV, SOURCE_SECRET_ENV);
        }
    }

    private final Context ctx;
    private final TickbusDriver driver;
    private final Archive archive;
    private final Aeron aeron;
    private final AeronArchive control;
    private final AeronArchive agentControl;
    private final ArchiveReplication replication;
    private final ArchiveCounters counters;
    private final CatalogAgent agent;
    private final AgentRunner agentRunner;
    private final ArchiveDirectory directory;
    private final AtomicReference<Throwable> lastError = new AtomicReference<>();
    private volatile ErrorHandler archiveErrors;
    private volatile ArchiveCounters countersForErrors;

    private TickbusArchive(final Context ctx, final ArchiveDirectory directory)
    {
        this.ctx = ctx;
        this.directory = directory;
        TickbusDriver driver = null;
        Archive archive = null;
        Aeron aeron = null;
        AeronArchive control = null;
        AeronArchive agentControl = null;
        ArchiveCounters counters = null;
        try
        {
            final String aeronDir;
            File markFileDir = null != ctx.markFileDir ? ctx.markFileDir.toFile() : null;
            if (null == ctx.aeronDirectoryName)
            {
                driver = TickbusDriver.launch(new TickbusDriver.Context()
                    .dir(TickbusDriver.uniqueEmbeddedDir("archive"))
                    .deleteOnClose(true));
                aeronDir = driver.aeronDirectoryName();
                if (null == markFileDir)
                {
                    markFileDir = new File(aeronDir);
                }
            }
            else
            {
                aeronDir = ctx.aeronDirectoryName;
            }

            final ErrorHandler errorHandler = this::onError;
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir).errorHandler(errorHandler));
            counters = new ArchiveCounters(aeron, ctx.archiveDir.toString());
            countersForErrors = counters;
            final Archive.Context archiveCtx = new Archive.Context()
                .aeronDirectoryName(aeronDir)
                .archiveDir(ctx.archiveDir.toFile())
                .deleteArchiveOnStart(false)
                .threadingMode(ArchiveThreadingMode.SHARED)
                .idleStrategySupplier(ctx.idleStrategySupplier)
                .controlChannelEnabled(null != ctx.controlChannel)
                .controlChannel(null != ctx.controlChannel ? ctx.controlChannel : "aeron:udp?endpoint=127.0.0.1:0")
                .controlStreamId(Configuration.CONTROL_STREAM_ID)
                .localControlChannel("aeron:ipc")
                .localControlStreamId(Configuration.LOCAL_CONTROL_STREAM_ID)
                .replicationChannel(ctx.replicationChannel)
                .recordingEventsEnabled(false)
                .archiveClientContext(new AeronArchive.Context().controlResponseChannel("aeron:ipc"))
                .errorHandler(this::onLoggedError);
            if (null != markFileDir)
            {
                // The mark file is memory-mapped and holds the archive's error log: kept off the data disk, a
                // full disk cannot fault (SIGBUS) the archive while it logs the disk-full error.
                archiveCtx.markFileDir(markFileDir);
            }
            if (null != ctx.controlSecret)
            {
                archiveCtx.authenticatorSupplier(ArchiveControlAuthenticator.supplier(
                        ctx.controlSecret, ctx.readerSecret, counters.authRejected))
                    .authorisationServiceSupplier(ArchiveControlAuthorisation.supplier(counters.authDenied));
            }
            if (ctx.segmentFileLength > 0)
            {
                archiveCtx.segmentFileLength(ctx.segmentFileLength);
            }
            if (ctx.lowStorageSpaceThreshold >= 0)
            {
                archiveCtx.lowStorageSpaceThreshold(ctx.lowStorageSpaceThreshold);
            }
            archive = Archive.launch(archiveCtx);
            // From here every error takes Aeron Archive's own path: its distinct error log in the mark file and
            // its errors counter, then onLoggedError (Tickbus's counter, lastError, the Context's handler).
            archiveErrors = archive.context().countedErrorHandler();

            control = AeronArchive.connect(localClientContext(aeron));
            agentControl = AeronArchive.connect(localClientContext(aeron));

            final DayCatalog catalog = openCatalog(ctx, errorHandler);
            this.agent = new CatalogAgent(new CatalogAgent.Context()
                .archive(agentControl)
                .aeron(aeron)
                .catalog(catalog)
                .archiveDir(ctx.archiveDir)
                .replayStreamId(ctx.indexReplayStreamId)
                .discoveryIntervalNs(ctx.discoveryIntervalNs)
                .persistIntervalNs(ctx.persistIntervalNs)
                .errorHandler(errorHandler)
                .counters(counters));
            this.agentRunner = new AgentRunner(ctx.idleStrategySupplier.get(), errorHandler, null, agent);

            this.replication = new ArchiveReplication(
                aeron, control, ctx.replicationChannel, ctx.sourceControlSecret, ctx.idleStrategySupplier);
            this.driver = driver;
            this.archive = archive;
            this.aeron = aeron;
            this.control = control;
            this.agentControl = agentControl;
            this.counters = counters;
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(counters, agentControl, control, aeron, archive, driver);
            throw ex;
        }
    }

    /**
     * The day catalog on disk, or a new empty one (written at once) when there is none or it is unreadable: the
     * catalog agent then rebuilds it from the archive's recordings.
     */
    private static DayCatalog openCatalog(final Context ctx, final ErrorHandler errorHandler)
    {
        DayCatalog catalog = new DayCatalog(ctx.indexGranularityNs, ctx.dayRule);
        if (DayCatalog.exists(ctx.archiveDir))
        {
            try
            {
                catalog = DayCatalog.load(ctx.archiveDir);
            }
            catch (final IOException ex)
            {
                errorHandler.onError(
                    new IOException("day catalog unreadable, rebuilding from the archive: " + ex, ex));
            }
        }
        if (!DayCatalog.exists(ctx.archiveDir))
        {
            try
            {
                catalog.store(ctx.archiveDir);
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException(
                    "cannot write the day catalog in " + ctx.archiveDir + ": " + ex.getMessage(), ex);
            }
        }
        return catalog;
    }

    /**
     * Launch the archive and start recording the configured streams.
     *
     * @param ctx settings; {@link Context#conclude()} is called here.
     * @return the running archive.
     * @throws IllegalArgumentException for bad settings.
     * @throws IllegalStateException when the directory is unusable or in use, or a recording cannot start.
     */
    public static TickbusArchive launch(final Context ctx)
    {
        ctx.conclude();
        final ArchiveDirectory directory = ArchiveDirectory.lock(ctx.archiveDir, ctx.markFileDir);
        final TickbusArchive tickbusArchive;
        try
        {
            tickbusArchive = new TickbusArchive(ctx, directory);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(directory);
            throw ex;
        }
        try
        {
            directory.writeInfo(
                tickbusArchive.aeronDirectoryName(),
                Configuration.LOCAL_CONTROL_STREAM_ID,
                ctx.controlChannel,
                Configuration.CONTROL_STREAM_ID,
                null != ctx.controlSecret,
                null != ctx.readerSecret);
            AgentRunner.startOnThread(tickbusArchive.agentRunner);
            for (final String spec : ctx.recordings)
            {
                final int colon = spec.lastIndexOf(':');
                tickbusArchive.record(spec.substring(0, colon), Integer.parseInt(spec.substring(colon + 1)));
            }
        }
        catch (final RuntimeException ex)
        {
            tickbusArchive.close();
            throw ex;
        }
        return tickbusArchive;
    }

    private AeronArchive.Context localClientContext(final Aeron aeron)
    {
        return ArchiveClientContexts.local(aeron, ctx.controlSecret, ctx.idleStrategySupplier.get())
            .errorHandler(this::onError);
    }

    /**
     * Start recording a stream (each publication session on it becomes one Aeron recording).
     *
     * @param channel the channel, {@code aeron:ipc} or {@code aeron:udp?...}.
     * @param streamId the stream id.
     * @return the archive's subscription id for the recording.
     * @throws IllegalArgumentException for an invalid channel.
     * @throws IllegalStateException when the archive refuses (already recorded, low storage).
     */
    public long record(final String channel, final int streamId)
    {
        BusChannels.validate(channel);
        final SourceLocation location = ChannelUri.parse(channel).isIpc() ? SourceLocation.LOCAL : SourceLocation.REMOTE;
        synchronized (control)
        {
            try
            {
                return control.startRecording(channel, streamId, location);
            }
            catch (final ArchiveException ex)
            {
                throw new IllegalStateException(
                    "cannot record " + channel + " stream " + streamId + ": " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * Replicate a stream's recording from a source archive (another host's {@code tickbus archive}) into a new
     * recording here, and keep following it: see {@link ArchiveReplication#replicate(String, int, String, long)}.
     *
     * @param srcControlChannel the source archive's UDP control channel, e.g. {@code aeron:udp?endpoint=HOST:PORT}.
     * @param streamId the recorded stream id.
     * @param liveDestination channel to merge onto the live stream, or null to follow the source by replay only.
     * @param timeoutMs most time to wait for the source to answer and to hold a recording of the stream.
     * @return the replication id (for {@code stopReplication}).
     * @throws IllegalArgumentException for an invalid channel.
     * @throws IllegalStateException when the source cannot be reached, refuses, or has no recording in time.
     */
    public long replicate(
        final String srcControlChannel, final int streamId, final String liveDestination, final long timeoutMs)
    {
        return replication.replicate(srcControlChannel, streamId, liveDestination, timeoutMs);
    }

    /**
     * Purge whole trading days older than {@code days} before {@code today}: a recording holding only such days
     * is purged; a recording that continues into a kept day loses its segment files before that day. A day that
     * a replay holds ({@link ReplayLocks}) or whose recording is still being written is skipped.
     *
     * It runs on the catalog agent's thread; this thread waits for it.
     *
     * @param days keep this many days before today (0 keeps only today).
     * @param today the current trading day.
     * @return what was purged and what was skipped, one line per (day, stream).
     * @throws IllegalArgumentException when {@code days} is negative.
     * @throws IllegalStateException when the archive is closed or the purge has not completed within 120 s.
     */
    public PurgeReport purge(final int days, final LocalDate today)
    {
        if (days < 0)
        {
            throw new IllegalArgumentException("--older-than must be 0 or more days: " + days);
        }
        return agent.purge(today.toEpochDay() - days);
    }

    /**
     * Write the catalog now (it is otherwise written at the persist interval), on the catalog agent's thread.
     *
     * @throws IllegalStateException when the archive is closed or the write has not completed within 120 s.
     */
    public void flushCatalog()
    {
        agent.flush();
    }

    /**
     * Wait until the catalog has indexed every recorded byte of the stream's recordings and written it to disk.
     *
     * @param timeoutMs most time to wait.
     * @return true when caught up; false on timeout.
     * @throws InterruptedException when interrupted.
     */
    public boolean awaitCatalogCaughtUp(final long timeoutMs) throws InterruptedException
    {
        return agent.awaitCaughtUp(timeoutMs);
    }

    private void onError(final Throwable ex)
    {
        final ErrorHandler logged = archiveErrors;
        if (null != logged)
        {
            logged.onError(ex);
        }
        else
        {
            onLoggedError(ex);
        }
    }

    /** An error already in the mark file's error log (or raised before the archive had one). */
    private void onLoggedError(final Throwable ex)
    {
        lastError.set(ex);
        final ArchiveCounters counters = this.countersForErrors;
        if (null != counters && !counters.errors.isClosed())
        {
            counters.errors.increment(); // several archive threads log: an atomic add, never once the client closed
        }
        if (null != ctx.errorHandler)
        {
            ctx.errorHandler.onError(ex);
        }
    }

    /**
     * Connect an archive client to the archive running on a directory (same host, through its driver), presenting
     * the control secret from {@link Configuration#controlSecretFromEnvironment()} when one is configured.
     *
     * @param aeron an Aeron client connected to the archive's driver.
     * @return the connected client; the caller closes it.
     * @throws io.aeron.archive.client.ArchiveException when the archive rejects the credentials.
     */
    public static AeronArchive connectLocal(final Aeron aeron)
    {
        return connectLocal(aeron, Configuration.controlSecretFromEnvironment());
    }

    /**
     * Connect an archive client to the archive running on a directory (same host, through its driver).
     *
     * @param aeron an Aeron client connected to the archive's driver.
     * @param secret the archive control secret, or null to present none.
     * @return the connected client; the caller closes it.
     * @throws io.aeron.archive.client.ArchiveException when the archive rejects the credentials.
     */
    public static AeronArchive connectLocal(final Aeron aeron, final String secret)
    {
        return AeronArchive.connect(ArchiveClientContexts.local(aeron, secret, Configuration.idleStrategy()));
    }

    /** @return true when the previous archive on this directory did not stop cleanly (killed, crashed). */
    public boolean recoveredFromUncleanStop()
    {
        return directory.recoveredFromUncleanStop();
    }

    /** @return the Aeron directory clients of this archive connect to. */
    public String aeronDirectoryName()
    {
        return aeron.context().aeronDirectoryName();
    }

    /** @return this archive's Aeron client (shared; do not close). */
    public Aeron aeron()
    {
        return aeron;
    }

    /** @return the archive directory. */
    public Path archiveDir()
    {
        return ctx.archiveDir;
    }

    /** @return the counters. */
    public ArchiveCounters counters()
    {
        return counters;
    }

    /** @return the most recent error, or null. */
    public Throwable lastError()
    {
        return lastError.get();
    }

    /** @return the settings. */
    public Context context()
    {
        return ctx;
    }

    /**
     * Stop recording, write the catalog, stop the archive (and the embedded driver).
     */
    public void close()
    {
        CloseHelper.quietClose(agentRunner);
        archiveErrors = null;
        countersForErrors = null;
        directory.deleteInfo();
        CloseHelper.quietCloseAll(counters, agentControl, control, aeron, archive, driver, directory);
    }

    /**
     * Settings: filled from system properties (see {@link Configuration}), then setters, checked in
     * {@link #conclude()}.
     */
    public static final class Context
    {
        private Path archiveDir = Paths.get(System.getProperty(Configuration.DIR_PROP_NAME, Configuration.DIR_DEFAULT));
        private String aeronDirectoryName;
        private String controlChannel = emptyToNull(
            System.getProperty(Configuration.CONTROL_CHANNEL_PROP_NAME, Configuration.CONTROL_CHANNEL_DEFAULT));
        private int indexReplayStreamId = Integer.getInteger(
            Configuration.INDEX_REPLAY_STREAM_PROP_NAME, Configuration.INDEX_REPLAY_STREAM_DEFAULT);
        private long indexGranularityNs = Long.getLong(
            Configuration.INDEX_GRANULARITY_PROP_NAME, Configuration.INDEX_GRANULARITY_DEFAULT);
        private TradingDayRule dayRule = TradingDayRule.parse(
            System.getProperty(Configuration.ZONE_PROP_NAME, "UTC"),
            System.getProperty(Configuration.ROLL_PROP_NAME, "00:00"));
        private int segmentFileLength = Integer.getInteger(Configuration.SEGMENT_LENGTH_PROP_NAME, 0);
        private long lowStorageSpaceThreshold = -1;
        private Path markFileDir;
        private long discoveryIntervalNs = CatalogAgent.Configuration.DISCOVERY_INTERVAL_NS_DEFAULT;
        private long persistIntervalNs = CatalogAgent.Configuration.PERSIST_INTERVAL_NS_DEFAULT;
        private final List<String> recordings = new ArrayList<>();
        private String controlSecret;
        private String readerSecret;
        private String replicationChannel = emptyToNull(
            System.getProperty(Configuration.REPLICATION_CHANNEL_PROP_NAME, Configuration.REPLICATION_CHANNEL_DEFAULT));
        private String sourceControlSecret;
        private ErrorHandler errorHandler;
        private Supplier<IdleStrategy> idleStrategySupplier = Configuration::idleStrategy;

        private static String emptyToNull(final String s)
        {
            return null == s || s.isBlank() ? null : s;
        }

        /**
         * Check values.
         *
         * @throws IllegalArgumentException naming the bad value.
         */
        public void conclude()
        {
            if (null == archiveDir)
            {
                throw new IllegalArgumentException("archive directory is required");
            }
            archiveDir = archiveDir.toAbsolutePath();
            if (null == controlSecret)
            {
                controlSecret = Configuration.controlSecretFromEnvironment();
            }
            if (null == readerSecret)
            {
                readerSecret = Configuration.readerSecretFromEnvironment();
            }
            if (null != readerSecret)
            {
                if (null == controlSecret)
                {
                    throw new IllegalArgumentException("a read-only archive secret needs a control secret too (set " +
                        Configuration.SECRET_FILE_ENV + " or " + Configuration.SECRET_ENV + "): without one, control " +
                        "is not authenticated at all");
                }
                if (readerSecret.equals(controlSecret))
                {
                    throw new IllegalArgumentException(
                        "the read-only archive secret must differ from the control secret");
                }
            }
            if (null != controlChannel)
            {
                BusChannels.validate(controlChannel);
                if (null == controlSecret && !isLoopback(controlChannel))
                {
                    throw new IllegalArgumentException("archive control channel " + controlChannel +
                        " is reachable from other hosts (not a loopback address) and no control secret is " +
                        "configured: set " + Configuration.SECRET_FILE_ENV + " (a file holding the secret) or " +
                        Configuration.SECRET_ENV + ", or bind the control channel to 127.0.0.1");
                }
            }
            if (null == replicationChannel)
            {
                replicationChannel = Configuration.REPLICATION_CHANNEL_DEFAULT;
            }
            BusChannels.validate(replicationChannel);
            final ChannelUri replication = ChannelUri.parse(replicationChannel);
            final String replicationEndpoint = replication.get(CommonContext.ENDPOINT_PARAM_NAME);
            if (replication.isIpc() || null == replicationEndpoint || replicationEndpoint.lastIndexOf(':') < 1)
            {
                throw new IllegalArgumentException("replication channel wants aeron:udp?endpoint=HOST:PORT (this " +
                    "host's address, port 0 for an ephemeral one): " + replicationChannel);
            }
            if (null == sourceControlSecret)
            {
                final String fromEnvironment = Configuration.sourceControlSecretFromEnvironment();
                sourceControlSecret = null != fromEnvironment ? fromEnvironment : controlSecret;
            }
            if (null == idleStrategySupplier)
            {
                throw new IllegalArgumentException("an idle strategy supplier is required");
            }
            if (indexGranularityNs <= 0)
            {
                throw new IllegalArgumentException("index granularity must be positive: " + indexGranularityNs);
            }
            if (segmentFileLength < 0 || (segmentFileLength > 0 && Integer.bitCount(segmentFileLength) != 1))
            {
                throw new IllegalArgumentException("segment length must be a power of two: " + segmentFileLength);
            }
            for (final String spec : recordings)
            {
                parseRecording(spec);
            }
        }

        /**
         * @param channel a UDP control channel.
         * @return true when its endpoint is a loopback address (only processes on this host reach it).
         * @throws IllegalArgumentException when the endpoint is missing or its host cannot be resolved.
         */
        static boolean isLoopback(final String channel)
        {
            final ChannelUri uri = ChannelUri.parse(channel);
            if (uri.isIpc())
            {
                return true;
            }
            final String endpoint = uri.get(CommonContext.ENDPOINT_PARAM_NAME);
            if (null == endpoint || endpoint.isBlank())
            {
                throw new IllegalArgumentException("archive control channel has no endpoint: " + channel);
            }
            final int colon = endpoint.lastIndexOf(':');
            String host = colon > 0 ? endpoint.substring(0, colon) : endpoint;
            if (host.startsWith("[") && host.endsWith("]"))
            {
                host = host.substring(1, host.length() - 1);
            }
            try
            {
                return InetAddress.getByName(host).isLoopbackAddress();
            }
            catch (final UnknownHostException ex)
            {
                throw new IllegalArgumentException("archive control channel host cannot be resolved: " + host);
            }
        }

        /**
         * @param secret the archive control secret every control client must present (authentication on); null
         * (default) reads {@link Configuration#controlSecretFromEnvironment()} in {@link #conclude()}. Give it from
         * code, a file or the environment, never from a command-line argument.
         * @return this.
         */
        public Context controlSecret(final String secret)
        {
            this.controlSecret = emptyToNull(secret);
            return this;
        }

        /**
         * @param secret the archive's read-only secret: a control client presenting it may list recordings and
         * replay, nothing else ({@link ArchiveControlAuthorisation}); needs a {@link #controlSecret(String)}. Null
         * (default) reads {@link Configuration#readerSecretFromEnvironment()} in {@link #conclude()}.
         * @return this.
         */
        public Context readerSecret(final String secret)
        {
            this.readerSecret = emptyToNull(secret);
            return this;
        }

        /**
         * @param replicationChannel where this archive receives replicated recordings, {@code aeron:udp?endpoint=
         * HOST:PORT} with this host's address reachable from the source (port 0: ephemeral); the source also answers
         * control requests on HOST. Default {@value Configuration#REPLICATION_CHANNEL_DEFAULT}.
         * @return this.
         */
        public Context replicationChannel(final String replicationChannel)
        {
            this.replicationChannel = emptyToNull(replicationChannel);
            return this;
        }

        /**
         * @param secret the control secret of the source archive this one replicates from; null (default) reads
         * {@link Configuration#sourceControlSecretFromEnvironment()} in {@link #conclude()}, else uses
         * {@link #controlSecret(String)}.
         * @return this.
         */
        public Context sourceControlSecret(final String secret)
        {
            this.sourceControlSecret = emptyToNull(secret);
            return this;
        }

        /** @return true when control clients must authenticate (known after {@link #conclude()}). */
        public boolean controlAuthenticated()
        {
            return null != controlSecret;
        }

        /**
         * Check a {@code CHANNEL:STREAM} specification.
         *
         * @param spec e.g. {@code aeron:ipc:1001} or {@code aeron:udp?endpoint=127.0.0.1:45001:1001}.
         * @throws IllegalArgumentException when malformed.
         */
        public static void parseRecording(final String spec)
        {
            final int colon = spec.lastIndexOf(':');
            if (colon < 1 || colon == spec.length() - 1)
            {
                throw new IllegalArgumentException("--record wants CHANNEL:STREAM, e.g. aeron:ipc:1001: '" + spec + "'");
            }
            try
            {
                Integer.parseInt(spec.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("--record stream id is not a number: '" + spec + "'");
            }
            BusChannels.validate(spec.substring(0, colon));
        }

        /**
         * @param archiveDir where recordings, Aeron's catalog and the day catalog live.
         * @return this.
         */
        public Context archiveDir(final Path archiveDir)
        {
            this.archiveDir = archiveDir;
            return this;
        }

        /**
         * @param aeronDirectoryName a running driver's directory; null (default) launches an embedded driver.
         * @return this.
         */
        public Context aeronDirectoryName(final String aeronDirectoryName)
        {
            this.aeronDirectoryName = aeronDirectoryName;
            return this;
        }

        /**
         * @param controlChannel UDP control channel for remote clients, or null for local (IPC) clients only.
         * @return this.
         */
        public Context controlChannel(final String controlChannel)
        {
            this.controlChannel = emptyToNull(controlChannel);
            return this;
        }

        /**
         * @param spec a stream to record from start-up, {@code CHANNEL:STREAM}.
         * @return this.
         */
        public Context record(final String spec)
        {
            recordings.add(spec);
            return this;
        }

        /**
         * @param granularityNs time index bucket width.
         * @return this.
         */
        public Context indexGranularityNs(final long granularityNs)
        {
            this.indexGranularityNs = granularityNs;
            return this;
        }

        /**
         * @param dayRule how exchange times map to trading days.
         * @return this.
         */
        public Context dayRule(final TradingDayRule dayRule)
        {
            this.dayRule = dayRule;
            return this;
        }

        /**
         * @param segmentFileLength archive segment file length, 0 for Aeron's default.
         * @return this.
         */
        public Context segmentFileLength(final int segmentFileLength)
        {
            this.segmentFileLength = segmentFileLength;
            return this;
        }

        /**
         * @param threshold free bytes below which the archive refuses new recordings; -1 for Aeron's default.
         * @return this.
         */
        public Context lowStorageSpaceThreshold(final long threshold)
        {
            this.lowStorageSpaceThreshold = threshold;
            return this;
        }

        /**
         * @param markFileDir where Aeron Archive keeps its memory-mapped mark file (and error log); default: the
         * embedded driver's directory, or the archive directory with a standalone driver.
         * @return this.
         */
        public Context markFileDir(final Path markFileDir)
        {
            this.markFileDir = markFileDir;
            return this;
        }

        /**
         * @param intervalNs how often the catalog is written when it changed.
         * @return this.
         */
        public Context persistIntervalNs(final long intervalNs)
        {
            this.persistIntervalNs = intervalNs;
            return this;
        }

        /**
         * @param streamId stream id for the catalog agent's replays.
         * @return this.
         */
        public Context indexReplayStreamId(final int streamId)
        {
            this.indexReplayStreamId = streamId;
            return this;
        }

        /**
         * @param errorHandler also receives archive, recording and catalog errors, after they are written to the
         * distinct error log in Aeron Archive's mark file and counted (Aeron Archive's errors counter and
         * {@link ArchiveCounters#ERRORS_TYPE_ID}); default: none, the log and counters are the error path.
         * @return this.
         */
        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /**
         * @param supplier idle strategies for the archive's threads (Aeron Archive's, the catalog agent's) and its
         * control clients; default {@link Configuration#idleStrategy()}.
         * @return this.
         */
        public Context idleStrategySupplier(final Supplier<IdleStrategy> supplier)
        {
            this.idleStrategySupplier = supplier;
            return this;
        }

        /** @return the archive directory. */
        public Path archiveDir()
        {
            return archiveDir;
        }

        /** @return the trading-day rule. */
        public TradingDayRule dayRule()
        {
            return dayRule;
        }
    }
}
