package io.tickbus.embedded;

import io.aeron.Aeron;
import io.tickbus.archive.TickbusArchive;
import io.tickbus.archive.TradingDayRule;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.client.BusChannels;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.MessageSink;
import io.tickbus.client.ProcessEpochClock;
import io.tickbus.client.TeeSink;
import io.tickbus.driver.TickbusDriver;
import io.tickbus.feed.FeedCounters;
import io.tickbus.feed.FeedHandlerAgent;
import io.tickbus.sequencer.SequencerNode;
import io.tickbus.sequencer.client.SequencerClient;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.IoUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The whole bus in one process, for the demo, perf harnesses and tests: an embedded media driver (small profile:
 * SHARED threading, back-off idle) with one Aeron client, and on it, each optional, an archive recording the direct
 * and sequenced streams, a single-member sequencer cluster on loopback, and one feed handler publishing on the
 * direct stream and (with the sequencer) through the sequencer's ingress. Built from a {@link Context}; every
 * directory it creates is removed on {@link #close()}, also after a failed launch.
 * <p>
 * Threading: launch, {@link #startFeed()}, {@link #stopFeed()} and close from one thread. The driver, archive and
 * sequencer run on their own threads; the feed handler (with its sequencer client) on one back-off thread from
 * {@link #startFeed()} until {@link #stopFeed()}. Allocation: at launch only.
 */
public final class EmbeddedBus implements AutoCloseable
{
    /**
     * Names and defaults of an {@link EmbeddedBus}'s settings.
     */
    public static final class Configuration
    {
        /** System property: stream id of the direct stream. */
        public static final String DIRECT_STREAM_ID_PROP_NAME = "tickbus.embedded.direct.stream.id";
        /** Default direct stream id. */
        public static final int DIRECT_STREAM_ID_DEFAULT = 1001;
        /** System property: stream id of the sequenced stream. */
        public static final String SEQUENCED_STREAM_ID_PROP_NAME = "tickbus.embedded.sequenced.stream.id";
        /** Default sequenced stream id. */
        public static final int SEQUENCED_STREAM_ID_DEFAULT = 2001;
        /** System property: first of the sequencer member's loopback UDP ports. */
        public static final String SEQUENCER_PORT_PROP_NAME = "tickbus.embedded.sequencer.port";
        /** Default first sequencer port. */
        public static final int SEQUENCER_PORT_DEFAULT = 20720;
        /** System property: feed id of the feed handler. */
        public static final String FEED_ID_PROP_NAME = "tickbus.embedded.feed.id";
        /** Default feed id. */
        public static final int FEED_ID_DEFAULT = 1;
        /** Default bound a publisher waits on back pressure before it drops a message. */
        public static final long BACK_PRESSURE_BOUND_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(100);

        private Configuration()
        {
        }

        /** @return the direct stream id from {@link #DIRECT_STREAM_ID_PROP_NAME}. */
        public static int directStreamId()
        {
            return Integer.getInteger(DIRECT_STREAM_ID_PROP_NAME, DIRECT_STREAM_ID_DEFAULT);
        }

        /** @return the sequenced stream id from {@link #SEQUENCED_STREAM_ID_PROP_NAME}. */
        public static int sequencedStreamId()
        {
            return Integer.getInteger(SEQUENCED_STREAM_ID_PROP_NAME, SEQUENCED_STREAM_ID_DEFAULT);
        }

        /** @return the first sequencer port from {@link #SEQUENCER_PORT_PROP_NAME}. */
        public static int sequencerPort()
        {
            return Integer.getInteger(SEQUENCER_PORT_PROP_NAME, SEQUENCER_PORT_DEFAULT);
        }

        /** @return the feed id from {@link #FEED_ID_PROP_NAME}. */
        public static int feedId()
        {
            return Integer.getInteger(FEED_ID_PROP_NAME, FEED_ID_DEFAULT);
        }
    }

    /**
     * Settings of an {@link EmbeddedBus}: which components, their streams and ports. Validated and completed by
     * {@link #conclude()}.
     */
    public static final class Context
    {
        private String name = "bus";
        private int directStreamId = Configuration.directStreamId();
        private int sequencedStreamId = Configuration.sequencedStreamId();
        private boolean archive = true;
        private Path archiveDir;
        private TradingDayRule dayRule;
        private boolean sequencer = true;
        private int sequencerPort = Configuration.sequencerPort();
        private FeedHandlerAgent.Context feed;
        private int feedId = Configuration.feedId();
        private BackPressurePolicy backPressure;
        private IdleStrategy feedIdleStrategy;
        private EpochNanoClock epochClock;
        private ErrorHandler errorHandler;

        /**
         * @param name a short name that appears in the directories' names ({@code tickbus-NAME-...}), the
         * archive's ({@code NAME-archive}) and the sequencer's ({@code NAME-sequencer}); default {@code bus}.
         * @return this.
         */
        public Context name(final String name)
        {
            this.name = name;
            return this;
        }

        /** @return the name. */
        public String name()
        {
            return name;
        }

        /**
         * @param streamId the direct stream's id (IPC on the bus's driver), where the feed handler publishes.
         * @return this.
         */
        public Context directStreamId(final int streamId)
        {
            this.directStreamId = streamId;
            return this;
        }

        /** @return the direct stream id. */
        public int directStreamId()
        {
            return directStreamId;
        }

        /**
         * @param streamId the sequenced stream's id (IPC on the bus's driver), where the sequencer publishes.
         * @return this.
         */
        public Context sequencedStreamId(final int streamId)
        {
            this.sequencedStreamId = streamId;
            return this;
        }

        /** @return the sequenced stream id. */
        public int sequencedStreamId()
        {
            return sequencedStreamId;
        }

        /**
         * @param archive whether to launch an archive recording the direct stream and (with the sequencer) the
         * sequenced stream; default true. Its control is local (IPC) only.
         * @return this.
         */
        public Context archive(final boolean archive)
        {
            this.archive = archive;
            return this;
        }

        /** @return whether an archive is launched. */
        public boolean archive()
        {
            return archive;
        }

        /**
         * @param dir the archive's directory, kept on close (the caller's); default a fresh one under the embedded
         * root, deleted on close.
         * @return this.
         */
        public Context archiveDir(final Path dir)
        {
            this.archiveDir = dir;
            return this;
        }

        /** @return the archive's directory, or null before {@link #conclude()} for a fresh one. */
        public Path archiveDir()
        {
            return archiveDir;
        }

        /**
         * @param dayRule the archive's trading-day rule; default the archive's own.
         * @return this.
         */
        public Context dayRule(final TradingDayRule dayRule)
        {
            this.dayRule = dayRule;
            return this;
        }

        /** @return the trading-day rule, or null for the archive's default. */
        public TradingDayRule dayRule()
        {
            return dayRule;
        }

        /**
         * @param sequencer whether to launch a single-member sequencer cluster; default true.
         * @return this.
         */
        public Context sequencer(final boolean sequencer)
        {
            this.sequencer = sequencer;
            return this;
        }

        /** @return whether a sequencer is launched. */
        public boolean sequencer()
        {
            return sequencer;
        }

        /**
         * @param port the first of the sequencer member's loopback UDP ports (it uses five from here).
         * @return this.
         */
        public Context sequencerPort(final int port)
        {
            this.sequencerPort = port;
            return this;
        }

        /** @return the first sequencer port. */
        public int sequencerPort()
        {
            return sequencerPort;
        }

        /**
         * @param feed the feed handler's source settings (venue, from, speed, trading date, ...), or null (default)
         * for no feed handler. The bus sets its feed id, epoch clock, sink (the direct stream, teed into the
         * sequencer when there is one) and counters.
         * @return this.
         */
        public Context feed(final FeedHandlerAgent.Context feed)
        {
            this.feed = feed;
            return this;
        }

        /** @return the feed handler's settings, or null. */
        public FeedHandlerAgent.Context feed()
        {
            return feed;
        }

        /**
         * @param feedId the feed handler's feed id.
         * @return this.
         */
        public Context feedId(final int feedId)
        {
            this.feedId = feedId;
            return this;
        }

        /** @return the feed id. */
        public int feedId()
        {
            return feedId;
        }

        /**
         * @param policy back-pressure policy of the direct publisher and the sequencer client; default: wait up to
         * {@link Configuration#BACK_PRESSURE_BOUND_NS_DEFAULT}, then drop (counted).
         * @return this.
         */
        public Context backPressure(final BackPressurePolicy policy)
        {
            this.backPressure = policy;
            return this;
        }

        /** @return the back-pressure policy. */
        public BackPressurePolicy backPressure()
        {
            return backPressure;
        }

        /**
         * @param idleStrategy of the feed handler's thread; default back-off (1 us .. 200 us).
         * @return this.
         */
        public Context feedIdleStrategy(final IdleStrategy idleStrategy)
        {
            this.feedIdleStrategy = idleStrategy;
            return this;
        }

        /** @return the feed handler's idle strategy. */
        public IdleStrategy feedIdleStrategy()
        {
            return feedIdleStrategy;
        }

        /**
         * @param clock the one clock for every timestamp the bus's publishers and feed take (two separately
         * calibrated clocks can disagree by hundreds of microseconds, which would read as latency between hops);
         * default {@link ProcessEpochClock#get()}.
         * @return this.
         */
        public Context epochClock(final EpochNanoClock clock)
        {
            this.epochClock = clock;
            return this;
        }

        /** @return the epoch clock. */
        public EpochNanoClock epochClock()
        {
            return epochClock;
        }

        /**
         * @param errorHandler receives the Aeron client's, the feed handler's and the feed thread's errors (each
         * also counted in the feed's counters or the agent runner's); required.
         * @return this.
         */
        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /** @return the error handler. */
        public ErrorHandler errorHandler()
        {
            return errorHandler;
        }

        /**
         * Validate and fill defaults.
         *
         * @return this.
         */
        public Context conclude()
        {
            if (null == name || name.isEmpty())
            {
                throw new IllegalArgumentException("name required");
            }
            if (null == errorHandler)
            {
                throw new IllegalArgumentException("error handler required");
            }
            if (directStreamId == sequencedStreamId)
            {
                throw new IllegalArgumentException(
                    "direct and sequenced streams must differ: both " + directStreamId);
            }
            if (sequencer && (sequencerPort < 1 || sequencerPort > 65_530))
            {
                throw new IllegalArgumentException("sequencer port must be 1..65530: " + sequencerPort);
            }
            if (null == backPressure)
            {
                backPressure = new BackPressurePolicy(
                    Configuration.BACK_PRESSURE_BOUND_NS_DEFAULT, BackPressurePolicy.Exhausted.DROP);
            }
            if (null == feedIdleStrategy)
            {
                feedIdleStrategy = new BackoffIdleStrategy(1, 10, 1_000, 200_000);
            }
            if (null == epochClock)
            {
                epochClock = ProcessEpochClock.get();
            }
            return this;
        }
    }

    private final Context ctx;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<String> createdDirs = new ArrayList<>();
    private TickbusDriver driver;
    private Aeron aeron;
    private TickbusArchive archive;
    private Path archiveDir;
    private SequencerNode sequencer;
    private BusPublisher directPublisher;
    private SequencerClient sequencerClient;
    private FeedCounters feedCounters;
    private FeedHandlerAgent feed;
    private AgentRunner feedRunner;
    private boolean closed;

    private EmbeddedBus(final Context ctx)
    {
        this.ctx = ctx;
    }

    /**
     * Launch the components the context asks for; on a failure, close what was launched and rethrow.
     *
     * @param ctx settings (concluded here).
     * @return the running bus; the feed handler, if any, is built but not started ({@link #startFeed()}).
     * @throws UncheckedIOException when the feed handler cannot open its source.
     */
    public static EmbeddedBus launch(final Context ctx)
    {
        ctx.conclude();
        final EmbeddedBus bus = new EmbeddedBus(ctx);
        try
        {
            bus.launchComponents();
        }
        catch (final RuntimeException ex)
        {
            bus.close();
            throw ex;
        }
        return bus;
    }

    private void launchComponents()
    {
        driver = own(TickbusDriver.launchEmbedded(ctx.name()));
        createdDirs.add(driver.aeronDirectoryName());
        aeron = own(Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName())
            .errorHandler(ctx.errorHandler())));

        if (ctx.archive())
        {
            archiveDir = ctx.archiveDir();
            if (null == archiveDir)
            {
                archiveDir = Path.of(TickbusDriver.uniqueEmbeddedDir(ctx.name() + "-archive"));
                createdDirs.add(archiveDir.toString());
            }
            final TickbusArchive.Context archiveCtx = new TickbusArchive.Context()
                .archiveDir(archiveDir)
                .aeronDirectoryName(driver.aeronDirectoryName())
                .controlChannel(null) // local (IPC) control only: nothing outside this process needs the archive
                .record(BusChannels.IPC + ":" + ctx.directStreamId());
            if (ctx.sequencer())
            {
                archiveCtx.record(BusChannels.IPC + ":" + ctx.sequencedStreamId());
            }
            if (null != ctx.dayRule())
            {
                archiveCtx.dayRule(ctx.dayRule());
            }
            archive = own(TickbusArchive.launch(archiveCtx));
        }

        if (ctx.sequencer())
        {
            final String sequencerDir = TickbusDriver.uniqueEmbeddedDir(ctx.name() + "-sequencer");
            createdDirs.add(sequencerDir);
            sequencer = own(SequencerNode.launch(new SequencerNode.Context()
                .memberId(0)
                .members("127.0.0.1:" + ctx.sequencerPort())
                .baseDir(new File(sequencerDir))
                .aeronDirectoryName(driver.aeronDirectoryName())
                .launchDriver(false)
                .sequenced(BusChannels.IPC, ctx.sequencedStreamId())
                .deleteOnStart(true)
                .deleteOnClose(true)
                .allowAnyFeed(true)));
        }

        if (null != ctx.feed())
        {
            directPublisher = own(new BusPublisher(
                aeron, BusChannels.IPC, ctx.directStreamId(), ctx.backPressure(), ctx.epochClock()));
            MessageSink sink = directPublisher;
            if (null != sequencer)
            {
                sequencerClient = new SequencerClient(new SequencerClient.Context()
                    .aeron(aeron)
                    .feedId(ctx.feedId())
                    .ingressEndpoints(sequencer.ingressEndpoints())
                    .backPressure(ctx.backPressure()));
                sink = new TeeSink(directPublisher, sequencerClient);
            }
            feedCounters = own(new FeedCounters(aeron, ctx.name() + " feed " + ctx.feedId(), ctx.errorHandler()));
            try
            {
                feed = new FeedHandlerAgent(ctx.feed()
                    .feedId(ctx.feedId())
                    .epochClock(ctx.epochClock())
                    .sink(sink)
                    .stats(feedCounters));
            }
            catch (final IOException ex)
            {
                CloseHelper.close(ctx.errorHandler(), sequencerClient);
                throw new UncheckedIOException("feed handler cannot open " + ctx.feed().from(), ex);
            }
            catch (final RuntimeException ex)
            {
                CloseHelper.close(ctx.errorHandler(), sequencerClient);
                throw ex;
            }
            final Agent agent = null == sequencerClient ? feed : new CompositeAgent(feed, sequencerClient);
            feedRunner = own(new AgentRunner(ctx.feedIdleStrategy(), ctx.errorHandler(), null, agent));
        }
    }

    /**
     * Start the feed handler (and its sequencer client) on its own thread.
     *
     * @throws IllegalStateException when the bus has no feed handler.
     */
    public void startFeed()
    {
        if (null == feedRunner)
        {
            throw new IllegalStateException("no feed handler: set Context.feed");
        }
        AgentRunner.startOnThread(feedRunner);
    }

    /**
     * Stop the feed handler's thread and close the feed handler and its sequencer client; their counts stay
     * readable. Does nothing when there is no feed handler or it is already stopped.
     */
    public void stopFeed()
    {
        CloseHelper.close(feedRunner);
    }

    /** @return the settings. */
    public Context context()
    {
        return ctx;
    }

    /** @return the media driver. */
    public TickbusDriver driver()
    {
        return driver;
    }

    /** @return the bus's Aeron client (closed by the bus). */
    public Aeron aeron()
    {
        return aeron;
    }

    /** @return the Aeron directory every component and client of the bus uses. */
    public String aeronDirectoryName()
    {
        return driver.aeronDirectoryName();
    }

    /** @return the archive, or null without one. */
    public TickbusArchive archive()
    {
        return archive;
    }

    /** @return the archive's directory, or null without an archive. */
    public Path archiveDir()
    {
        return archiveDir;
    }

    /** @return the sequencer member, or null without one. */
    public SequencerNode sequencer()
    {
        return sequencer;
    }

    /** @return the channel of the direct and sequenced streams (IPC on the bus's driver). */
    public String channel()
    {
        return BusChannels.IPC;
    }

    /** @return the direct stream id. */
    public int directStreamId()
    {
        return ctx.directStreamId();
    }

    /** @return the sequenced stream id. */
    public int sequencedStreamId()
    {
        return ctx.sequencedStreamId();
    }

    /** @return the feed handler's direct publisher, or null without a feed handler. */
    public BusPublisher directPublisher()
    {
        return directPublisher;
    }

    /** @return the feed handler's sequencer client, or null without a feed handler or a sequencer. */
    public SequencerClient sequencerClient()
    {
        return sequencerClient;
    }

    /** @return the feed handler, or null without one. */
    public FeedHandlerAgent feed()
    {
        return feed;
    }

    /** @return the feed handler's counters, or null without a feed handler. */
    public FeedCounters feedCounters()
    {
        return feedCounters;
    }

    /** @return messages the feed's publishers dropped on back pressure (direct plus sequencer ingress). */
    public long droppedCount()
    {
        return (null == directPublisher ? 0 : directPublisher.droppedCount()) +
            (null == sequencerClient ? 0 : sequencerClient.droppedCount());
    }

    /**
     * Stop the feed, close every component in reverse order of launch (a failure to close one goes to the error
     * handler and the next is closed), and delete the directories it created.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            CloseHelper.close(ctx.errorHandler(), resources.get(i));
        }
        resources.clear();
        for (final String dir : createdDirs)
        {
            IoUtil.delete(new File(dir), true);
        }
    }

    private <T extends AutoCloseable> T own(final T resource)
    {
        resources.add(resource);
        return resource;
    }
}
