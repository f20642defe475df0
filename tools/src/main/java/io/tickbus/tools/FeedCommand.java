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
import io.tickbus.feed.DerivedSequence;
import io.tickbus.feed.FeedCounters;
import io.tickbus.feed.FeedHandlerAgent;
import io.tickbus.feed.FeedStats;
import io.tickbus.feed.LineCounters;
import io.tickbus.feed.RecoveryCounters;
import io.tickbus.feed.RecoveryStats;
import io.tickbus.feed.LineStats;
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
        "A/B lines: give --from once per line. The first copy of each venue",
        "packet is used, the other counted and dropped; packets after a gap wait",
        "--ab-hold for the other line to fill it; a line silent for --line-timeout",
        "while the other has traffic is reported down (one stderr line) and the",
        "feed goes on with the other. Per line counters in 'tickbus stat' and",
        "\"arbitration\" in the --summary JSON.",
        "",
        "MoldUDP64 re-request (itch5, UDP): --rerequest udp://HOST:PORT sends a",
        "request for a gap no line filled within --ab-hold (one line or A/B), at",
        "most --rerequest-count messages, waits --rerequest-timeout, retries",
        "--rerequest-retries times, then announces the gap (GapNotice). Packets",
        "that find the hold full are left to the re-request (\"deferred\") while",
        "the server answers; a full hold with a silent server gives the gap up",
        "(\"givenUpHoldFull\"). Every announced gap is counted \"givenUp\", so",
        "gaps = givenUp. Counts are \"rerequest\" in the --summary JSON and",
        "counters in 'tickbus stat'.",
        "",
        "Examples:",
        "  tickbus feed --venue itch5 --from udp://127.0.0.1:41000 \\",
        "      --channel aeron:ipc --stream 1001",
        "  tickbus feed --venue itch5 --from udp://127.0.0.1:41000 \\",
        "      --from udp://127.0.0.1:41001 --channel aeron:ipc --stream 1001 --summary",
        "  tickbus feed --venue itch5 --from udp://127.0.0.1:41000 \\",
        "      --rerequest udp://127.0.0.1:41100 --channel aeron:ipc --stream 1001",
        "  tickbus feed --venue itch5 --from v5.0_Multiple.Packets.pcap --speed 1 \\",
        "      --channel aeron:ipc --stream 1001",
        "  tickbus feed --venue iex-tops --from tops.pcap.gz --speed max \\",
        "      --channel aeron:ipc --stream 1002 --await-subscriber 10s --summary"})
public final class FeedCommand implements Callable<Integer>
{
    @Option(names = "--venue", required = true, paramLabel = "VENUE",
        description = "itch5, iex-tops, iex-deep or cme-mdp3.")
    String venue;

    @Option(names = "--from", required = true, paramLabel = "FILE|udp://HOST:PORT",
        description = "Source; repeat for the venue's A and B lines (UDP).")
    java.util.List<String> froms;

    @Option(names = "--ab-hold", paramLabel = "T", defaultValue = "2ms",
        description = "A/B: how long packets after a gap wait for the other line (default 2ms).")
    String abHold;

    @Option(names = "--line-timeout", paramLabel = "T", defaultValue = "1s",
        description = "A/B: silence after which a line is reported down (default 1s).")
    String lineTimeout;

    @Option(names = "--rerequest", paramLabel = "udp://HOST:PORT",
        description = "itch5: the venue's MoldUDP64 re-request endpoint; gaps are re-requested there.")
    String rerequest;

    @Option(names = "--rerequest-timeout", paramLabel = "T", defaultValue = "50ms",
        description = "How long a re-request waits for its answer (default 50ms).")
    String rerequestTimeout;

    @Option(names = "--rerequest-retries", paramLabel = "N", defaultValue = "2",
        description = "Re-requests sent again for one gap before it is announced (default 2).")
    int rerequestRetries;

    @Option(names = "--rerequest-count", paramLabel = "N", defaultValue = "1024",
        description = "Messages one re-request asks for at most (default 1024).")
    int rerequestCount;

    @Option(names = "--channel", required = true, paramLabel = "URI", description = "Bus channel to publish on.")
    String channel;

    @Option(names = "--stream", required = true, paramLabel = "ID", description = "Bus stream id.")
    int streamId;

    @Option(names = "--receive-time", paramLabel = "capture|read", defaultValue = "capture",
        converter = ReceiveTime.Converter.class,
        description = "Receive time of a message read from a file: capture (default: the capture's packet time; " +
            "a day file has none, so the read time) or read (the time the handler read it). Live: socket time.")
    ReceiveTime receiveTime;

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

    @Option(names = "--resume", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = {"With --sequenced (default on): before reading, wait for the sequencer's ack and",
            "expect the venue sequence after the feed's last sequenced message, so what a",
            "restarted handler missed is re-requested or announced as a GapNotice."})
    boolean resume;

    private long resumedVenueSeq = -1;

    @Option(names = "--resume-wait", paramLabel = "T", defaultValue = "10s",
        description = "How long --resume waits for the sequencer's first ack (default 10s).")
    String resumeWait;

    @Option(names = "--egress-channel", paramLabel = "URI",
        description = {"Channel the sequencer answers this feed on (default: the property",
            "tickbus.sequencer.client.egress.channel, else aeron:udp?endpoint=127.0.0.1:0);",
            "across hosts give this host's address, e.g. aeron:udp?endpoint=10.0.0.5:0."})
    String egressChannel;

    @Option(names = "--members", paramLabel = "MEMBERS",
        description = "Sequencer members, as for 'tickbus sequencer --members' (e.g. 127.0.0.1:43000,...).")
    String members;

    @Option(names = "--max-sequence-jump", paramLabel = "N",
        description = {"Bounded trust: a venue sequence jump of more than N numbers in one packet is",
            "counted malformed and ignored as corrupt (default 100000000; believed after",
            "4 packets in a row continue it)."})
    Long maxSequenceJump;

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
        final long durationNs = null == duration ? 0 : Durations.parseNanos(duration);
        final long awaitNs = null == awaitSubscriber ? 0 : Durations.parseNanos(awaitSubscriber);
        final String from = froms.get(0);
        final BackPressurePolicy policy = policyFor(from, backPressure);
        final long abHoldNs = Durations.parseNanos(abHold);
        final long lineTimeoutNs = Durations.parseNanos(lineTimeout);
        if (lineTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("--line-timeout must be > 0");
        }
        for (final String line : froms)
        {
            if (froms.size() > 1 && !UdpSource.isUdpUri(line))
            {
                throw new IllegalArgumentException("several --from are A/B lines, each udp://HOST:PORT: " + line);
            }
        }
        if (UdpSource.isUdpUri(from))
        {
            froms.forEach(UdpSource::parse);
        }
        else if (!Files.exists(Path.of(from)))
        {
            throw new IllegalArgumentException("file not found: " + from);
        }
        if (feedId < 0 || feedId > 0xFFFF)
        {
            throw new IllegalArgumentException("--feed-id must be 0..65535");
        }
        if (null != maxSequenceJump && maxSequenceJump < 1)
        {
            throw new IllegalArgumentException("--max-sequence-jump must be >= 1");
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
            LineCounters lineCounters = froms.size() < 2 ? null : new LineCounters(connection.aeron(),
                venue + " feed " + feedId, FeedHandlerAgent.lineNames(froms.toArray(new String[0])));
            RecoveryCounters recoveryCounters = null == rerequest ? null : new RecoveryCounters(connection.aeron(),
                venue + " feed " + feedId);
            SequencerClient sequencer = sequenced ? new SequencerClient(sequencerContext(connection, ingressEndpoints,
                policy).errorHandler(errors.errorHandler())) : null;
            StopSignal stop = StopSignal.register())
        {
            final MessageSink sink = null == sequencer ? publisher : new TeeSink(publisher, sequencer);
            final FeedHandlerAgent.Context ctx = new FeedHandlerAgent.Context()
                .venue(venue)
                .from(froms.toArray(new String[0]))
                .abHoldNs(abHoldNs)
                .lineTimeoutNs(lineTimeoutNs)
                .lineStats(null == lineCounters ? LineStats.NONE : lineCounters)
                .rerequest(rerequest)
                .rerequestTimeoutNs(Durations.parseNanos(rerequestTimeout))
                .rerequestRetries(rerequestRetries)
                .rerequestMaxCount(rerequestCount)
                .recoveryStats(null == recoveryCounters ? RecoveryStats.NONE : recoveryCounters)
                .errorHandler(errors.errorHandler())
                .speed(speedFactor)
                .stampCaptureTime(receiveTime.stampsCaptureTime())
                .feedId(feedId)
                .tradingDate(ParseCommand.parseDate(date))
                .sink(sink)
                .stats(FeedStats.compose(counters, stats));
            if (null != maxSequenceJump)
            {
                ctx.maxSequenceJump(maxSequenceJump);
            }
            final IdleStrategy idle = new BackoffIdleStrategy(1, 1, 1_000, 1_000_000);
            final long start = System.nanoTime();
            while (awaitNs > 0 && !publisher.isConnected() && System.nanoTime() - start < awaitNs &&
                !stop.isRequested())
            {
                connection.checkAlive();
                idle.idle(0);
            }
            String arbitration = null;
            String recovery = null;
            try (FeedHandlerAgent agent = new FeedHandlerAgent(ctx))
            {
                if (null != sequencer && resume)
                {
                    resumeAfterSequenced(agent, sequencer, Durations.parseNanos(resumeWait));
                }
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
                if (null != agent.arbiter())
                {
                    arbitration = agent.arbiter().toJson();
                }
                if (null != agent.rerequest())
                {
                    recovery = agent.rerequest().toJson();
                }
            }
            if (null != sequencer && !sequencer.awaitAcknowledged(TimeUnit.SECONDS.toNanos(10)))
            {
                spec.commandLine().getErr().println("tickbus feed: " + sequencer.unacknowledged() +
                    " messages not acknowledged by the sequencer within 10 s");
            }
            if (summary)
            {
                final String arbitrated = withArbitration(withPublished(stats.toJson(), publisher), arbitration);
                final String json = null == recovery ? arbitrated :
                    arbitrated.substring(0, arbitrated.lastIndexOf('}')) + ",\"rerequest\":" + recovery + "}";
                out.println(null == sequencer ? json : withAcks(json, sequencer, resumedVenueSeq));
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
     * The summary with the A/B arbitration's figures appended as {@code "arbitration":{...}} (see
     * {@link io.tickbus.feed.LineArbiter#toJson()}); unchanged when there was one line.
     */
    static String withArbitration(final String summaryJson, final String arbitrationJson)
    {
        return null == arbitrationJson ? summaryJson :
            summaryJson.substring(0, summaryJson.lastIndexOf('}')) + ",\"arbitration\":" + arbitrationJson + "}";
    }

    /**
     * Restart continuity: the sequencer's first ack carries the feed's last sequenced source sequence; the handler
     * expects that venue number next (it is read again, and what the sequencer already has it drops as
     * duplicates), so an outage becomes a gap that is re-requested or announced.
     */
    private void resumeAfterSequenced(final FeedHandlerAgent agent, final SequencerClient sequencer, final long waitNs)
    {
        final PrintWriter err = spec.commandLine().getErr();
        if (!sequencer.awaitFirstAck(waitNs))
        {
            err.println("tickbus feed: no ack from the sequencer within " + resumeWait +
                ": reading without an expectation (an outage before this start is not announced)");
            return;
        }
        final long last = sequencer.lastAckedSourceSeq();
        final int epoch = sequencer.lastAckedEpoch();
        if (last > 0 || 0 != epoch)
        {
            final long venueSeq = DerivedSequence.venueSeq(last);
            resumedVenueSeq = agent.resume(venueSeq, epoch) ? venueSeq : -1;
            err.println("tickbus feed: feed " + feedId + " resumes at venue sequence " + venueSeq + " of epoch " +
                epoch + " (the sequencer's last source sequence for it is " + last + ")");
        }
    }

    /**
     * The summary with what the sequencer acknowledged: {@code "sequencer":{"feedId":N,"lastAckedSourceSeq":N,
     * "lastAckedGlobalSeq":N,"unacknowledged":N,"dropped":N,"gapNotices":N,"rejected":N,"resent":N,"leaderChanges":N,
     * "resumedAtVenueSeq":N}} (-1 when the handler did not resume), appended
     * as the last field (acks are cumulative: every source sequence up to lastAckedSourceSeq that was sent is
     * sequenced).
     */
    static String withAcks(final String summaryJson, final SequencerClient sequencer, final long resumedVenueSeq)
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
            ",\"leaderChanges\":" + sequencer.leaderChanges() +
            ",\"resumedAtVenueSeq\":" + resumedVenueSeq + "}}";
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
