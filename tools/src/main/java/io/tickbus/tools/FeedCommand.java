package io.tickbus.tools;

import io.tickbus.client.ProcessEpochClock;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.client.BusChannels;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.ComponentErrors;
import io.tickbus.client.Durations;
import io.tickbus.client.MessageSink;
import io.tickbus.client.TeeSink;
import io.tickbus.sequencer.ClusterMembers;
import io.tickbus.sequencer.client.SequencerClient;
import io.tickbus.feed.FeedCounters;
import io.tickbus.feed.FeedHandlerAgent;
import io.tickbus.feed.FeedStats;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.UdpSource;
import io.tickbus.feed.Venues;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code tickbus feed}: run a venue feed handler ({@link FeedHandlerAgent}) that reads a capture / venue file or
 * live UDP and publishes normalized messages to a bus stream, with Aeron counters for packets, messages,
 * malformed, gaps, published and dropped.
 * <p>
 * Threading: the command's thread runs the agent's duty cycle with a back-off idle strategy. Allocation: none per
 * message.
 */
@Command(
    name = "feed",
    mixinStandardHelpOptions = true,
    description = {
        "Run a feed handler: venue packets in, normalized messages out.",
        "Run a feed handler: venue packets in (file or live UDP), normalized",
        "Tickbus messages out. From a file it ends at the end of the file;",
        "from UDP it runs until Ctrl-C or --duration."},
    footer = {
        "",
        "UDP sources: udp://HOST:PORT binds HOST:PORT (unicast), or joins HOST",
        "when it is a multicast group, on ?interface=ADDR (default 127.0.0.1).",
        "",
        "Examples:",
        "  tickbus feed --venue itch5 --from udp://127.0.0.1:41000 \\",
        "      --channel aeron:ipc --stream 1001",
        "  tickbus feed --venue itch5 --from v5.0_Multiple.Packets.pcap --speed 1 \\",
        "      --channel aeron:ipc --stream 1001",
        "  tickbus feed --venue iex-tops --from tops.pcap.gz --speed max \\",
        "      --channel aeron:ipc --stream 1002 --await-subscriber 10s --summary"})
public final class FeedCommand implements Callable<Integer>
{
    @Option(names = "--venue", required = true, paramLabel = "VENUE",
        description = "itch5, iex-tops, iex-deep or cme-mdp3.")
    String venue;

    @Option(names = "--from", required = true, paramLabel = "FILE|udp://HOST:PORT", description = "Source.")
    String from;

    @Option(names = "--channel", required = true, paramLabel = "URI", description = "Bus channel to publish on.")
    String channel;

    @Option(names = "--stream", required = true, paramLabel = "ID", description = "Bus stream id.")
    int streamId;

    @Option(names = "--speed", paramLabel = "X|max", defaultValue = "max",
        description = "File pacing: 1 = the capture's own timing, 10 = ten times faster, max = flat out (default).")
    String speed;

    @Option(names = "--feed-id", paramLabel = "N", defaultValue = "1", description = "Feed id stamped in messages.")
    int feedId;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Trading date (ITCH).")
    String date;

    @Option(names = "--back-pressure", paramLabel = "POLICY", description = {
        "drop[:T], fail:T or wait. Default: drop:100us for a UDP source; wait for a file,",
        "which never drops (waiting costs a file nothing; drop is refused there)."})
    String backPressure;

    @Option(names = "--await-subscriber", paramLabel = "T",
        description = "Wait up to T for a subscriber before reading (messages with none are dropped).")
    String awaitSubscriber;

    @Option(names = "--duration", paramLabel = "T", description = "Stop after this long.")
    String duration;

    @Option(names = "--sequenced", description = {
        "Also send every message to the sequencer cluster's ingress (needs --members);",
        "the feed's secret comes from TICKBUS_FEED_SECRET or TICKBUS_FEED_SECRET_FILE."})
    boolean sequenced;

    @Option(names = "--egress-channel", paramLabel = "URI",
        description = {"Channel the sequencer answers this feed on (default: the property",
            "tickbus.sequencer.client.egress.channel, else aeron:udp?endpoint=127.0.0.1:0);",
            "across hosts give this host's address, e.g. aeron:udp?endpoint=10.0.0.5:0."})
    String egressChannel;

    @Option(names = "--members", paramLabel = "MEMBERS",
        description = "Sequencer members, as for 'tickbus sequencer --members' (e.g. 127.0.0.1:43000,...).")
    String members;

    @Option(names = "--summary", description = "Print the parse-style JSON summary when the handler ends.")
    boolean summary;

    @Mixin
    DriverOptions driver;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Test hook: set to stop the handler. */
    volatile boolean stopRequested;

    public Integer call() throws Exception
    {
        Venues.validate(venue);
        CliChecks.channel("--channel", channel);
        final double speedFactor = FeedHandlerAgent.Context.parseSpeed(speed);
        final BackPressurePolicy policy = policyFor(from, backPressure);
        final long durationNs = null == duration ? 0 : Durations.parseNanos(duration);
        final long awaitNs = null == awaitSubscriber ? 0 : Durations.parseNanos(awaitSubscriber);
        if (UdpSource.isUdpUri(from))
        {
            UdpSource.parse(from);
        }
        else if (!Files.exists(Path.of(from)))
        {
            throw new IllegalArgumentException("file not found: " + from);
        }
        if (feedId < 0 || feedId > 0xFFFF)
        {
            throw new IllegalArgumentException("--feed-id must be 0..65535");
        }
        final String ingressEndpoints;
        if (sequenced)
        {
            if (null == members || members.isBlank())
            {
                throw new IllegalArgumentException("--sequenced needs --members");
            }
            ingressEndpoints = ClusterMembers.ingressEndpoints(members);
            if (null != egressChannel)
            {
                CliChecks.channel("--egress-channel", egressChannel);
            }
        }
        else
        {
            ingressEndpoints = null;
        }
        driver.validate();

        final PrintWriter out = spec.commandLine().getOut();
        final ParseSummary stats = new ParseSummary(0);
        try (DriverOptions.Connection connection = driver.connect("feed-" + venue);
            ComponentErrors errors = ComponentErrors.create(connection.aeron(), "feed-" + venue + "-" + feedId,
                (t) -> spec.commandLine().getErr().println("tickbus feed: " + t.getMessage()));
            BusPublisher publisher = new BusPublisher(
                connection.aeron(), channel, streamId, policy, ProcessEpochClock.get());
            FeedCounters counters = new FeedCounters(
                connection.aeron(), venue + " feed " + feedId, errors.errorHandler());
            SequencerClient sequencer = sequenced ? new SequencerClient(sequencerContext(connection, ingressEndpoints,
                policy).errorHandler(errors.errorHandler())) : null;
            StopSignal stop = StopSignal.register())
        {
            final MessageSink sink = null == sequencer ? publisher : new TeeSink(publisher, sequencer);
            final FeedHandlerAgent.Context ctx = new FeedHandlerAgent.Context()
                .venue(venue)
                .from(from)
                .speed(speedFactor)
                .feedId(feedId)
                .tradingDate(ParseCommand.parseDate(date))
                .sink(sink)
                .stats(FeedStats.compose(counters, stats))
                .errorHandler(errors.errorHandler());
            final IdleStrategy idle = new BackoffIdleStrategy(1, 1, 1_000, 1_000_000);
            final long start = System.nanoTime();
            while (awaitNs > 0 && !publisher.isConnected() && System.nanoTime() - start < awaitNs &&
                !stop.isRequested())
            {
                connection.checkAlive();
                idle.idle(0);
            }
            try (FeedHandlerAgent agent = new FeedHandlerAgent(ctx))
            {
                final long runStart = System.nanoTime();
                while (!agent.isDone() && !stop.isRequested() && !stopRequested &&
                    (0 == durationNs || System.nanoTime() - runStart < durationNs))
                {
                    final int work = agent.doWork() + (null == sequencer ? 0 : sequencer.doWork());
                    if (0 == work)
                    {
                        connection.checkAlive();
                    }
                    idle.idle(work);
                }
            }
            if (null != sequencer && !sequencer.awaitAcknowledged(TimeUnit.SECONDS.toNanos(10)))
            {
                spec.commandLine().getErr().println("tickbus feed: " + sequencer.unacknowledged() +
                    " messages not acknowledged by the sequencer within 10 s");
            }
            if (summary)
            {
                final String json = withPublished(stats.toJson(), publisher);
                out.println(null == sequencer ? json : withAcks(json, sequencer));
            }
            else
            {
                out.println("tickbus feed: " + venue + " packets=" + counters.packets() + " messages=" +
                    counters.messages() + " malformed=" + counters.malformed() + " gaps=" + counters.gaps() +
                    " published=" + counters.published() + " dropped=" + counters.dropped());
            }
            out.flush();
            // Market data nobody listens to is not queued: for a live source that is not a loss, for a file whose
            // messages went nowhere else (not sequenced) it is.
            final long unheard = UdpSource.isUdpUri(from) || null != sequencer ? 0 : publisher.notConnectedCount();
            final long lost = publisher.droppedCount() + unheard + (null == sequencer ? 0 : sequencer.droppedCount());
            if (lost > 0)
            {
                spec.commandLine().getErr().println("tickbus feed: " + lost + " messages not published (dropped " +
                    publisher.droppedCount() + " by back pressure, " + unheard + " with no subscriber" + (null == sequencer ? "" : ", " + sequencer.droppedCount() +
                    " by the sequencer window") + ")");
                return TickbusCli.EXIT_RUNTIME;
            }
        }
        return TickbusCli.EXIT_OK;
    }

    /**
     * The back-pressure policy: as given, or the source's default. A file never drops: {@code drop} is refused for
     * one, and its default is {@link BackPressurePolicy#WAIT}.
     */
    static BackPressurePolicy policyFor(final String from, final String backPressure)
    {
        final boolean live = UdpSource.isUdpUri(from);
        if (null == backPressure)
        {
            return live ? BackPressurePolicy.DEFAULT : BackPressurePolicy.WAIT;
        }
        final BackPressurePolicy policy = BackPressurePolicy.parse(backPressure);
        if (!live && BackPressurePolicy.Exhausted.DROP == policy.exhausted())
        {
            throw new IllegalArgumentException("--back-pressure " + backPressure + " is for live (UDP) sources: " +
                "a file source waits for the bus (the default, wait) or fails after a bound (fail:T)");
        }
        return policy;
    }

    /**
     * The summary with what the bus publisher did: {@code "published":N,"backPressured":N,"notConnected":N,
     * "dropped":N} (back-pressured counts refused offers that were retried, not lost messages).
     */
    static String withPublished(final String summaryJson, final BusPublisher publisher)
    {
        return summaryJson.substring(0, summaryJson.lastIndexOf('}')) +
            ",\"published\":" + publisher.publishedCount() +
            ",\"backPressured\":" + publisher.backPressuredCount() +
            ",\"notConnected\":" + publisher.notConnectedCount() +
            ",\"dropped\":" + publisher.droppedCount() + "}";
    }

    /**
     * The summary with what the sequencer acknowledged: {@code "sequencer":{"feedId":N,"lastAckedSourceSeq":N,
     * "lastAckedGlobalSeq":N,"unacknowledged":N,"dropped":N,"gapNotices":N,"rejected":N,"resent":N,"leaderChanges":N}}, appended
     * as the last field (acks are cumulative: every source sequence up to lastAckedSourceSeq that was sent is
     * sequenced).
     */
    static String withAcks(final String summaryJson, final SequencerClient sequencer)
    {
        return summaryJson.substring(0, summaryJson.lastIndexOf('}')) +
            ",\"sequencer\":{\"feedId\":" + sequencer.feedId() +
            ",\"lastAckedSourceSeq\":" + sequencer.lastAckedSourceSeq() +
            ",\"lastAckedGlobalSeq\":" + sequencer.lastAckedGlobalSeq() +
            ",\"unacknowledged\":" + sequencer.unacknowledged() +
            ",\"dropped\":" + sequencer.droppedCount() +
            ",\"gapNotices\":" + sequencer.gapNoticeCount() +
            ",\"rejected\":" + sequencer.rejectedCount() +
            ",\"resent\":" + sequencer.resentCount() +
            ",\"leaderChanges\":" + sequencer.leaderChanges() + "}}";
    }

    private SequencerClient.Context sequencerContext(
        final DriverOptions.Connection connection, final String ingressEndpoints, final BackPressurePolicy policy)
    {
        final SequencerClient.Context ctx = new SequencerClient.Context()
            .aeron(connection.aeron())
            .feedId(feedId)
            .ingressEndpoints(ingressEndpoints)
            .backPressure(policy);
        if (null != egressChannel)
        {
            ctx.egressChannel(egressChannel); // otherwise the context's own default (system property or loopback)
        }
        return ctx;
    }
}
