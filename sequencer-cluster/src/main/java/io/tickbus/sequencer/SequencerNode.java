package io.tickbus.sequencer;

import io.aeron.Aeron;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.NanosecondClusterClock;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.tickbus.client.BusChannels;
import io.tickbus.driver.DriverDirectoryInUseException;
import io.tickbus.driver.DriverProfile;
import io.tickbus.driver.OwnerOnlyDirectory;
import io.tickbus.driver.TickbusDriver;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpLock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One member of the sequencer cluster: its own media driver (unless told to use an existing one), Aeron Archive,
 * consensus module and clustered service container running {@link SequencerService}, all under one base directory
 * ({@code driver/}, {@code archive/}, {@code cluster/}).
 * <p>
 * {@link #launchEmbedded(String, int)} starts a single-member cluster for the demo and tests.
 * <p>
 * Threading: launch and close from one thread; the components run on their own threads, with back-off idle
 * strategies under the {@code small} profile. Allocation: at launch only.
 */
public final class SequencerNode implements AutoCloseable
{
    /**
     * Control stream id of the member's archive, local and remote (the cluster replicates between members with the
     * local id): the same as a Tickbus archive's remote one ({@code TickbusArchive.Configuration.CONTROL_STREAM_ID}),
     * so a remote client reaches either kind the same way. A Tickbus archive's local (IPC) id differs, so two
     * archives on one driver (the demo) never share requests.
     */
    public static final int ARCHIVE_CONTROL_STREAM_ID = 7110;

    private final Context ctx;
    private final TickbusDriver driver;
    private final Aeron aeron;
    private final AtomicCounter authRejected;
    private final Archive archive;
    private final AeronArchive outputRecorder;
    private final ConsensusModule consensusModule;
    private final ClusteredServiceContainer container;
    private final SequencerService service;

    private SequencerNode(final Context ctx)
    {
        this.ctx = ctx;
        TickbusDriver driver = null;
        Aeron aeron = null;
        AtomicCounter authRejected = null;
        Archive archive = null;
        AeronArchive outputRecorder = null;
        ConsensusModule consensusModule = null;
        ClusteredServiceContainer container = null;
        try
        {
            if (!ctx.baseDir.isDirectory() && !ctx.baseDir.mkdirs())
            {
                throw new IllegalStateException("cannot create the member's directory " + ctx.baseDir);
            }
            OwnerOnlyDirectory.restrict(ctx.baseDir.toPath()); // driver, archive and cluster dirs are below it
            if (ctx.launchDriver)
            {
                driver = TickbusDriver.launch(new TickbusDriver.Context()
                    .dir(ctx.aeronDirectoryName)
                    .profile(ctx.profile)
                    .deleteOnClose(true));
            }
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(ctx.aeronDirectoryName));
            authRejected = aeron.addCounter(SequencerCounters.AUTH_REJECTED,
                "tickbus-seq auth-rejected: member=" + ctx.memberId);

            final String host = ClusterMembers.host(ctx.members, ctx.memberId);
            final String replicationChannel = BusChannels.udp(host, 0);
            final Supplier<IdleStrategy> idle = ctx.idleStrategySupplier();

            archive = Archive.launch(new Archive.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName)
                .archiveDir(new File(ctx.baseDir, "archive"))
                .deleteArchiveOnStart(ctx.deleteOnStart)
                .archiveId(ctx.memberId)
                .controlChannel("aeron:udp?endpoint=" + ClusterMembers.archiveEndpoint(ctx.members, ctx.memberId))
                .controlStreamId(ARCHIVE_CONTROL_STREAM_ID)
                .localControlChannel("aeron:ipc?term-length=64k")
                .localControlStreamId(ARCHIVE_CONTROL_STREAM_ID)
                .replicationChannel(replicationChannel)
                .archiveClientContext(new AeronArchive.Context().controlResponseChannel(replicationChannel))
                .recordingEventsEnabled(false)
                .segmentFileLength(ctx.logTermLength * 4)
                .threadingMode(DriverProfile.DEDICATED == ctx.profile ?
                    ArchiveThreadingMode.DEDICATED : ArchiveThreadingMode.SHARED)
                .idleStrategySupplier(idle));

            final AeronArchive.Context archiveClient = new AeronArchive.Context()
                .lock(NoOpLock.INSTANCE)
                .controlRequestChannel(archive.context().localControlChannel())
                .controlRequestStreamId(archive.context().localControlStreamId())
                .controlResponseChannel(archive.context().localControlChannel())
                .aeronDirectoryName(ctx.aeronDirectoryName);

            if (ctx.recordOutput)
            {
                // Every member records its own copy of the sequenced stream (a spy on its own publication), so a
                // durable copy of every committed message exists on every member's host; subscribers repair from
                // these archives as from any other (io.tickbus.archive.client.SequencedSubscriber).
                outputRecorder = AeronArchive.connect(archiveClient.clone().aeron(aeron).ownsAeronClient(false)
                    .controlResponseStreamId(ARCHIVE_CONTROL_STREAM_ID + 3));
                outputRecorder.startRecording(ctx.sequencedChannel, ctx.sequencedStreamId, SourceLocation.LOCAL, true);
            }

            final File clusterDir = new File(ctx.baseDir, "cluster");
            consensusModule = ConsensusModule.launch(new ConsensusModule.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName)
                .clusterMemberId(ctx.memberId)
                .clusterMembers(ClusterMembers.toAeron(ctx.members))
                .clusterDir(clusterDir)
                .deleteDirOnStart(ctx.deleteOnStart)
                .ingressChannel("aeron:udp")
                .logChannel("aeron:udp?term-length=" + ctx.logTermLength)
                .replicationChannel(replicationChannel)
                .archiveContext(archiveClient.clone())
                .clusterClock(new NanosecondClusterClock())
                .leaderHeartbeatTimeoutNs(ctx.leaderHeartbeatTimeoutNs)
                .leaderHeartbeatIntervalNs(
                    Math.max(TimeUnit.MILLISECONDS.toNanos(50), ctx.leaderHeartbeatTimeoutNs / 10))
                .startupCanvassTimeoutNs(ctx.startupCanvassTimeoutNs)
                .electionTimeoutNs(Math.min(TimeUnit.SECONDS.toNanos(1), ctx.leaderHeartbeatTimeoutNs / 2))
                .authenticatorSupplier(FeedAuthenticator.supplier(ctx.credentials, authRejected))
                .idleStrategySupplier(idle));

            service = new SequencerService(ctx.memberId, ctx.sequencedChannel, ctx.sequencedStreamId, ctx.retainedBytes,
                ctx.retainedMessages, ctx.recordOutput);
            container = ClusteredServiceContainer.launch(new ClusteredServiceContainer.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName)
                .archiveContext(archiveClient.clone())
                .clusterDir(clusterDir)
                .clusteredService(service)
                .idleStrategySupplier(idle));
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(container, consensusModule, outputRecorder, archive, authRejected, aeron, driver);
            throw ex;
        }
        this.driver = driver;
        this.aeron = aeron;
        this.authRejected = authRejected;
        this.archive = archive;
        this.outputRecorder = outputRecorder;
        this.consensusModule = consensusModule;
        this.container = container;
    }

    /**
     * Launch a member.
     *
     * @param ctx settings; {@link Context#conclude()} is called here.
     * @return the running member.
     */
    public static SequencerNode launch(final Context ctx)
    {
        ctx.conclude();
        final long deadlineNs = System.nanoTime() + ctx.staleMarkFileWaitNs;
        boolean reported = false;
        while (true)
        {
            try
            {
                return new SequencerNode(ctx);
            }
            catch (final IllegalStateException ex)
            {
                // A member that crashed leaves mark files that look alive until their liveness timeout (10 s)
                // passes: wait for that rather than fail, so that a supervisor can restart a crashed member at once.
                final boolean stale = ex instanceof DriverDirectoryInUseException ||
                    MemberMarkFiles.anyActive(
                        ctx.baseDir, SystemEpochClock.INSTANCE, TimeUnit.NANOSECONDS.toMillis(ctx.staleMarkFileWaitNs));
                if (!stale || System.nanoTime() - deadlineNs >= 0)
                {
                    throw ex;
                }
                if (!reported)
                {
                    reported = true;
                    System.err.println("tickbus sequencer: member " + ctx.memberId + " waiting for the files of a " +
                        "previous instance to go stale: " + ex.getMessage());
                }
                try
                {
                    Thread.sleep(500);
                }
                catch (final InterruptedException ie)
                {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
            }
        }
    }

    /**
     * A single-member cluster with its own driver under /dev/shm, no authentication, the sequenced stream on
     * {@code aeron:ipc} of its driver; everything is deleted on close. For the demo and tests.
     *
     * @param name a short name for the directory.
     * @param portBase first of the five UDP ports on 127.0.0.1 the member uses.
     * @return the running member.
     */
    public static SequencerNode launchEmbedded(final String name, final int portBase)
    {
        final String baseDir = TickbusDriver.uniqueEmbeddedDir(name);
        return launch(new Context()
            .memberId(0)
            .members("127.0.0.1:" + portBase)
            .baseDir(new File(baseDir))
            .deleteOnStart(true)
            .deleteOnClose(true)
            .allowAnyFeed(true));
    }

    /** @return the Aeron directory of this member's driver: where IPC subscribers of the sequenced stream go. */
    public String aeronDirectoryName()
    {
        return ctx.aeronDirectoryName;
    }

    /** @return the sequenced stream's channel. */
    public String sequencedChannel()
    {
        return ctx.sequencedChannel;
    }

    /** @return the sequenced stream's id. */
    public int sequencedStreamId()
    {
        return ctx.sequencedStreamId;
    }

    /** @return what a {@link io.tickbus.sequencer.client.SequencerClient} connects to. */
    public String ingressEndpoints()
    {
        return ClusterMembers.ingressEndpoints(ctx.members);
    }

    /** @return this member's current role, null once its Aeron client has closed. */
    public Cluster.Role role()
    {
        // The counter lives in the driver's mapped CnC file: once the consensus module's Aeron client has closed
        // (the driver gone, the member terminated) reading it would touch unmapped memory (a SIGSEGV seen on a
        // member whose driver went away while its main loop still polled the role).
        final io.aeron.Aeron aeron = consensusModule.context().aeron();
        if (null == aeron || aeron.isClosed())
        {
            return null;
        }
        return Cluster.Role.get(consensusModule.context().clusterNodeRoleCounter().get());
    }

    /** @return this member's id. */
    public int memberId()
    {
        return ctx.memberId;
    }

    /** @return snapshots this member has taken. */
    public long snapshotCount()
    {
        return consensusModule.context().snapshotCounter().get();
    }

    /**
     * Ask the cluster to take a snapshot (effective on the leader).
     *
     * @return true when the request was placed.
     */
    public boolean requestSnapshot()
    {
        final AtomicCounter toggle = ClusterControl.findControlToggle(aeron.countersReader(),
            consensusModule.context().clusterId());
        return null != toggle && ClusterControl.ToggleState.SNAPSHOT.toggle(toggle);
    }

    /**
     * @param typeId a {@link SequencerCounters} type id.
     * @return the value of this member's counter of that type, -1 when absent.
     */
    public long counter(final int typeId)
    {
        return SequencerCounters.value(aeron.countersReader(), typeId);
    }

    /** @return connect requests rejected by authentication. */
    public long authRejectedCount()
    {
        return authRejected.get();
    }

    /** @return the service, for reading its state in tests (read from other threads only when quiescent). */
    public SequencerService service()
    {
        return service;
    }

    /** @return the settings. */
    public Context context()
    {
        return ctx;
    }

    /** Stop the member: service, consensus module, archive, driver; directories deleted if the context says so. */
    public void close()
    {
        CloseHelper.closeAll(container, consensusModule, outputRecorder, archive, authRejected, aeron, driver);
        if (ctx.deleteOnClose)
        {
            IoUtil.delete(ctx.baseDir, true);
        }
    }

    /**
     * Settings of a member, from system properties ({@code tickbus.sequencer.*}) or a properties file, then setters;
     * validated in {@link #conclude()}.
     */
    public static final class Context
    {
        /** Member id. */
        public static final String MEMBER_ID_PROP = "tickbus.sequencer.member.id";
        /** Cluster members, {@code host:portBase,...} or Aeron's form. */
        public static final String MEMBERS_PROP = "tickbus.sequencer.members";
        /** Base directory of the member. */
        public static final String DIR_PROP = "tickbus.sequencer.dir";
        /** Sequenced stream channel. */
        public static final String SEQUENCED_CHANNEL_PROP = "tickbus.sequencer.sequenced.channel";
        /** Default sequenced channel. */
        public static final String SEQUENCED_CHANNEL_DEFAULT = BusChannels.IPC;
        /** Sequenced stream id. */
        public static final String SEQUENCED_STREAM_PROP = "tickbus.sequencer.sequenced.stream";
        /** Default sequenced stream id. */
        public static final int SEQUENCED_STREAM_DEFAULT = 2000;
        /** Leader heartbeat timeout, e.g. {@code 2s}: how long before followers elect a new leader. */
        public static final String LEADER_HEARTBEAT_TIMEOUT_PROP = "tickbus.sequencer.leader.heartbeat.timeout";
        /** Default leader heartbeat timeout: 2 s (Aeron's own default is 10 s). */
        public static final long LEADER_HEARTBEAT_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(2);
        /** Retained tail, bytes. */
        public static final String RETAINED_BYTES_PROP = "tickbus.sequencer.retained.bytes";
        /** Default retained tail: 8 MiB. */
        public static final int RETAINED_BYTES_DEFAULT = 8 * 1024 * 1024;
        /** Retained tail, messages. */
        public static final String RETAINED_MESSAGES_PROP = "tickbus.sequencer.retained.messages";
        /** Whether the member records its own output in its archive (default true). */
        public static final String RECORD_OUTPUT_PROP = "tickbus.sequencer.record.output";
        /** Default retained messages. */
        public static final int RETAINED_MESSAGES_DEFAULT = 65536;
        /** Driver profile. */
        public static final String PROFILE_PROP = "tickbus.sequencer.profile";
        /**
         * Longest park of the cluster's own threads (consensus module, service, archive) when idle under the
         * {@code small} profile, e.g. {@code 100us}: every hop of a message through the cluster can wait this long.
         */
        public static final String IDLE_MAX_PARK_PROP = "tickbus.sequencer.idle.max.park";
        /** Default longest idle park: 1 ms. */
        public static final long IDLE_MAX_PARK_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(1);
        /** Driver directory, default {@code BASE/driver}; a restarted member may use a fresh one. */
        public static final String AERON_DIR_PROP = "tickbus.sequencer.aeron.dir";
        /** Start from empty directories. */
        public static final String DELETE_ON_START_PROP = "tickbus.sequencer.delete.on.start";

        private int memberId = Integer.getInteger(MEMBER_ID_PROP, -1);
        private String members = System.getProperty(MEMBERS_PROP);
        private File baseDir = null == System.getProperty(DIR_PROP) ? null : new File(System.getProperty(DIR_PROP));
        private String aeronDirectoryName = System.getProperty(AERON_DIR_PROP);
        private boolean launchDriver = true;
        private DriverProfile profile = DriverProfile.parse(System.getProperty(PROFILE_PROP, "small"));
        private String sequencedChannel = System.getProperty(SEQUENCED_CHANNEL_PROP, SEQUENCED_CHANNEL_DEFAULT);
        private int sequencedStreamId = Integer.getInteger(SEQUENCED_STREAM_PROP, SEQUENCED_STREAM_DEFAULT);
        private long leaderHeartbeatTimeoutNs = LEADER_HEARTBEAT_TIMEOUT_DEFAULT_NS;
        private long idleMaxParkNs = IDLE_MAX_PARK_DEFAULT_NS;
        private long startupCanvassTimeoutNs = TimeUnit.SECONDS.toNanos(10);
        private int retainedBytes = Integer.getInteger(RETAINED_BYTES_PROP, RETAINED_BYTES_DEFAULT);
        private boolean recordOutput = !"false".equals(System.getProperty(RECORD_OUTPUT_PROP));
        private int retainedMessages = Integer.getInteger(RETAINED_MESSAGES_PROP, RETAINED_MESSAGES_DEFAULT);
        private int logTermLength = 8 * 1024 * 1024;
        private FeedCredentials credentials;
        private boolean allowAnyFeed;
        private boolean deleteOnStart = Boolean.getBoolean(DELETE_ON_START_PROP);
        private boolean deleteOnClose;
        private long staleMarkFileWaitNs = TimeUnit.SECONDS.toNanos(20);

        /** Fill from system properties that need parsing. */
        public Context()
        {
            final String timeout = System.getProperty(LEADER_HEARTBEAT_TIMEOUT_PROP);
            if (null != timeout)
            {
                leaderHeartbeatTimeoutNs = io.tickbus.client.Durations.parseNanos(timeout);
            }
            final String maxPark = System.getProperty(IDLE_MAX_PARK_PROP);
            if (null != maxPark)
            {
                idleMaxParkNs = io.tickbus.client.Durations.parseNanos(maxPark);
            }
        }

        /**
         * Apply a properties file with the {@code tickbus.sequencer.*} keys.
         *
         * @param file the file.
         * @return this.
         */
        public Context load(final Path file)
        {
            final Properties props = new Properties();
            try (var in = Files.newInputStream(file))
            {
                props.load(in);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot read " + file, ex);
            }
            if (props.containsKey(MEMBER_ID_PROP))
            {
                memberId = Integer.parseInt(props.getProperty(MEMBER_ID_PROP).trim());
            }
            members = props.getProperty(MEMBERS_PROP, members);
            if (props.containsKey(DIR_PROP))
            {
                baseDir = new File(props.getProperty(DIR_PROP).trim());
            }
            sequencedChannel = props.getProperty(SEQUENCED_CHANNEL_PROP, sequencedChannel);
            if (props.containsKey(SEQUENCED_STREAM_PROP))
            {
                sequencedStreamId = Integer.parseInt(props.getProperty(SEQUENCED_STREAM_PROP).trim());
            }
            if (props.containsKey(LEADER_HEARTBEAT_TIMEOUT_PROP))
            {
                leaderHeartbeatTimeoutNs = io.tickbus.client.Durations.parseNanos(
                    props.getProperty(LEADER_HEARTBEAT_TIMEOUT_PROP));
            }
            if (props.containsKey(PROFILE_PROP))
            {
                profile = DriverProfile.parse(props.getProperty(PROFILE_PROP));
            }
            if (props.containsKey(IDLE_MAX_PARK_PROP))
            {
                idleMaxParkNs = io.tickbus.client.Durations.parseNanos(props.getProperty(IDLE_MAX_PARK_PROP));
            }
            return this;
        }

        /**
         * Check values and fill defaults; credentials come from the environment when none were set.
         *
         * @throws IllegalArgumentException naming the bad value.
         */
        public void conclude()
        {
            final String aeronMembers = ClusterMembers.toAeron(members);
            if (memberId < 0)
            {
                throw new IllegalArgumentException("member id is required (0.." +
                    (ClusterMembers.count(aeronMembers) - 1) + ")");
            }
            ClusterMembers.host(aeronMembers, memberId);
            if (null == baseDir)
            {
                throw new IllegalArgumentException("member base directory is required");
            }
            if (null == aeronDirectoryName)
            {
                aeronDirectoryName = new File(baseDir, "driver").getAbsolutePath();
            }
            BusChannels.validate(sequencedChannel);
            if (leaderHeartbeatTimeoutNs < TimeUnit.MILLISECONDS.toNanos(200))
            {
                throw new IllegalArgumentException("leader heartbeat timeout must be at least 200ms");
            }
            if (idleMaxParkNs < TimeUnit.MICROSECONDS.toNanos(1) || idleMaxParkNs > TimeUnit.SECONDS.toNanos(1))
            {
                throw new IllegalArgumentException("idle max park must be between 1us and 1s, not " +
                    idleMaxParkNs + "ns");
            }
            if (null == credentials && !allowAnyFeed)
            {
                try
                {
                    credentials = FeedCredentials.fromEnvironment();
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
                if (null == credentials)
                {
                    throw new IllegalArgumentException("no feed credentials: set " + FeedCredentials.ENV_FILE +
                        " (a file of feed.ID=SECRET lines) or " + FeedCredentials.ENV_INLINE +
                        ", or allow any feed explicitly");
                }
            }
        }

        Supplier<IdleStrategy> idleStrategySupplier()
        {
            if (DriverProfile.DEDICATED == profile)
            {
                return BusySpinIdleStrategy::new;
            }
            final long maxParkNs = idleMaxParkNs;
            return () -> new BackoffIdleStrategy(
                10, 20, TimeUnit.MICROSECONDS.toNanos(1), maxParkNs);
        }

        /**
         * @param memberId this member's id.
         * @return this.
         */
        public Context memberId(final int memberId)
        {
            this.memberId = memberId;
            return this;
        }

        /**
         * @param members {@code host:portBase,...} or Aeron's cluster members string.
         * @return this.
         */
        public Context members(final String members)
        {
            this.members = members;
            return this;
        }

        /**
         * @param baseDir the member's directory (driver, archive, cluster below it).
         * @return this.
         */
        public Context baseDir(final File baseDir)
        {
            this.baseDir = baseDir;
            return this;
        }

        /**
         * @param aeronDirectoryName driver directory, default {@code BASE/driver}.
         * @return this.
         */
        public Context aeronDirectoryName(final String aeronDirectoryName)
        {
            this.aeronDirectoryName = aeronDirectoryName;
            return this;
        }

        /**
         * @param launchDriver false to use a driver already running at {@link #aeronDirectoryName(String)}.
         * @return this.
         */
        public Context launchDriver(final boolean launchDriver)
        {
            this.launchDriver = launchDriver;
            return this;
        }

        /**
         * @param profile driver and idle profile.
         * @return this.
         */
        public Context profile(final DriverProfile profile)
        {
            this.profile = profile;
            return this;
        }

        /**
         * @param channel sequenced stream channel.
         * @param streamId sequenced stream id.
         * @return this.
         */
        public Context sequenced(final String channel, final int streamId)
        {
            this.sequencedChannel = channel;
            this.sequencedStreamId = streamId;
            return this;
        }

        /**
         * @param leaderHeartbeatTimeoutNs how long followers wait for the leader before an election.
         * @return this.
         */
        public Context leaderHeartbeatTimeoutNs(final long leaderHeartbeatTimeoutNs)
        {
            this.leaderHeartbeatTimeoutNs = leaderHeartbeatTimeoutNs;
            return this;
        }

        /**
         * @param idleMaxParkNs longest park of the cluster's threads when idle under the {@code small} profile
         * (default {@value #IDLE_MAX_PARK_DEFAULT_NS} ns); lower cuts latency at low rates for more idle CPU.
         * @return this.
         */
        public Context idleMaxParkNs(final long idleMaxParkNs)
        {
            this.idleMaxParkNs = idleMaxParkNs;
            return this;
        }

        /** @return longest idle park of the cluster's threads under the {@code small} profile, ns. */
        public long idleMaxParkNs()
        {
            return idleMaxParkNs;
        }

        /**
         * @param startupCanvassTimeoutNs how long a starting member waits for all others before electing.
         * @return this.
         */
        public Context startupCanvassTimeoutNs(final long startupCanvassTimeoutNs)
        {
            this.startupCanvassTimeoutNs = startupCanvassTimeoutNs;
            return this;
        }

        /**
         * @param recordOutput whether the member records its own copy of the sequenced stream in its archive.
         * @return this.
         */
        public Context recordOutput(final boolean recordOutput)
        {
            this.recordOutput = recordOutput;
            return this;
        }

        /**
         * @param retainedBytes bytes of the retained tail.
         * @param retainedMessages messages of the retained tail.
         * @return this.
         */
        public Context retained(final int retainedBytes, final int retainedMessages)
        {
            this.retainedBytes = retainedBytes;
            this.retainedMessages = retainedMessages;
            return this;
        }

        /**
         * @param credentials the feeds allowed to connect.
         * @return this.
         */
        public Context credentials(final FeedCredentials credentials)
        {
            this.credentials = credentials;
            return this;
        }

        /**
         * @param allowAnyFeed accept clients without credentials when none are configured (demo only).
         * @return this.
         */
        public Context allowAnyFeed(final boolean allowAnyFeed)
        {
            this.allowAnyFeed = allowAnyFeed;
            return this;
        }

        /**
         * @param deleteOnStart start from empty directories (a new cluster), not from the previous state.
         * @return this.
         */
        public Context deleteOnStart(final boolean deleteOnStart)
        {
            this.deleteOnStart = deleteOnStart;
            return this;
        }

        /**
         * @param deleteOnClose delete the base directory on close.
         * @return this.
         */
        public Context deleteOnClose(final boolean deleteOnClose)
        {
            this.deleteOnClose = deleteOnClose;
            return this;
        }

        /** @return member id. */
        public int memberId()
        {
            return memberId;
        }

        /** @return cluster members as given. */
        public String members()
        {
            return members;
        }

        /** @return base directory. */
        public File baseDir()
        {
            return baseDir;
        }

        /** @return profile. */
        public DriverProfile profile()
        {
            return profile;
        }

        /** @return leader heartbeat timeout, ns. */
        public long leaderHeartbeatTimeoutNs()
        {
            return leaderHeartbeatTimeoutNs;
        }
    }
}
