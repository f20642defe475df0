package io.tickbus.tools;

import io.tickbus.archive.client.DayReplayer;
import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import io.tickbus.archive.DayCatalog;
import io.tickbus.archive.TickbusArchive;
import io.tickbus.archive.TradingDayRule;
import io.tickbus.client.BusChannels;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.SequenceAccounting;
import io.tickbus.client.latency.Hop;
import io.tickbus.client.latency.HopHistograms;
import io.tickbus.client.strategy.ClockMode;
import io.tickbus.client.strategy.StrategyHost;
import io.tickbus.client.strategy.StrategyRunner;
import io.tickbus.client.strategy.examples.MidPriceStrategy;
import io.tickbus.embedded.EmbeddedBus;
import io.tickbus.feed.FeedCounters;
import io.tickbus.feed.FeedHandlerAgent;
import io.tickbus.feed.Venues;
import io.tickbus.feed.sim.ItchSimulator;
import io.tickbus.feed.sim.PacketOutput;
import io.tickbus.tools.latency.LatencyReport;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code tickbus demo}: the whole bus embedded in one process for about a minute. A media driver (small profile),
 * an archive recording the direct and sequenced streams, a single-member sequencer cluster, the ITCH simulator
 * sending MoldUDP64 onto loopback UDP, the ITCH feed handler publishing on the direct stream and through the
 * sequencer, a sample strategy building order books on the sequenced stream, and a latency tap. At the end: the
 * per-hop latency table, the counts (published = sequenced = received = recorded), the recording in the day
 * catalog, and a replay of the recorded day at 10x into a second instance of the strategy, whose output digest must
 * equal the live one. Everything it creates is removed when it ends, also on Ctrl-C.
 * <p>
 * The driver, archive, sequencer and feed handler are an {@link EmbeddedBus}; this command adds the simulator, the
 * subscribers, the report and the replay.
 * <p>
 * Threading: the command's thread polls the subscribers; the simulator, the feed handler (with the sequencer
 * client) and the embedded components run on their own back-off threads.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Run the whole bus embedded for about a minute.",
        "Run the whole bus embedded for about a minute: simulator -> UDP -> feed",
        "handler -> direct stream and sequencer -> strategy and latency tap, all",
        "recorded by the archive, then the recorded day replayed at 10x into the",
        "same strategy. Ends with the latency table and the counts."},
    footer = {
        "",
        "Examples:",
        "  tickbus demo",
        "  tickbus demo --duration 10s --rate 2000",
        "  tickbus demo --venue iex-tops \\",
        "      --pcap ../shared/data/iex/20180127_IEXTP1_TOPS1.6.pcap.gz",
        "",
        "Streams (all IPC on the embedded driver): direct 1001, sequenced 2001, replay 3001."})
public final class DemoCommand implements Callable<Integer>
{
    static final int DIRECT_STREAM = 1001;
    static final int SEQUENCED_STREAM = 2001;
    static final int REPLAY_STREAM = 3001;
    static final int FEED_ID = 1;

    @Option(names = "--duration", defaultValue = "60s", paramLabel = "T",
        description = "How long the simulator generates order flow (default 60s).")
    String duration;

    @Option(names = "--rate", defaultValue = "5000", paramLabel = "N",
        description = "Simulated ITCH messages per second (default 5000).")
    long rate;

    @Option(names = "--symbols", defaultValue = "8", paramLabel = "N", description = "Simulated symbols (default 8).")
    int symbols;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Simulator seed (default 42).")
    long seed;

    @Option(names = "--pcap", paramLabel = "FILE",
        description = "Run on a real capture instead of the simulator (read by the feed handler).")
    Path pcap;

    @Option(names = "--venue", defaultValue = "itch5", paramLabel = "VENUE",
        description = "Venue of --pcap: itch5, iex-tops, iex-deep or cme-mdp3 (default itch5).")
    String venue;

    @Option(names = "--speed", defaultValue = "max", paramLabel = "X|max",
        description = "Pacing of --pcap by its own timestamps (default max: flat out).")
    String speed;

    @Option(names = "--replay-speed", paramLabel = "X|max",
        description = "Speed of the replay of the recorded day (default 10; max with --pcap, whose day spans hours).")
    String replaySpeed;

    @Option(names = "--udp-port", defaultValue = "20700", paramLabel = "PORT",
        description = "Loopback UDP port from the simulator to the feed handler (default 20700).")
    int udpPort;

    @Option(names = "--sequencer-port", defaultValue = "20720", paramLabel = "PORT",
        description = "Base port of the embedded sequencer member on 127.0.0.1 (default 20720).")
    int sequencerPort;

    @Option(names = "--quiet", description = "Only the final report.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintWriter out;
    private final List<AutoCloseable> resources = new ArrayList<>();

    /**
     * Run the demo.
     *
     * @return 0 when the live and replayed results agree and nothing was lost, 1 otherwise.
     * @throws Exception on a failure to start a component.
     */
    public Integer call() throws Exception
    {
        final long durationNs = CliChecks.duration("--duration", duration);
        if (rate <= 0 || rate > 5_000_000)
        {
            throw new IllegalArgumentException("--rate must be 1..5000000: " + rate);
        }
        if (symbols <= 0 || symbols > 10_000)
        {
            throw new IllegalArgumentException("--symbols must be 1..10000: " + symbols);
        }
        CliChecks.port("--udp-port", udpPort);
        CliChecks.port("--sequencer-port", sequencerPort);
        if (null != pcap)
        {
            Venues.validate(venue);
            if (!Files.isReadable(pcap))
            {
                throw new IllegalArgumentException("capture not readable: " + pcap);
            }
        }
        final double feedSpeed = FeedHandlerAgent.Context.parseSpeed(speed);
        if (null == replaySpeed)
        {
            replaySpeed = null == pcap ? "10" : "max";
        }
        final double replayFactor = DayReplayer.Context.parseSpeed(replaySpeed);
        out = spec.commandLine().getOut();

        try (StopSignal stop = StopSignal.register())
        {
            return run(stop, durationNs, feedSpeed, replayFactor);
        }
        finally
        {
            closeAll();
        }
    }

    private Integer run(final StopSignal stop, final long durationNs, final double feedSpeed, final double replayFactor)
        throws Exception
    {
        final long startMs = System.currentTimeMillis();
        step("starting the media driver (SHARED threading, back-off idle)");
        step("starting the archive, recording the direct (" + DIRECT_STREAM + ") and sequenced (" +
            SEQUENCED_STREAM + ") streams");
        step("starting a single-member sequencer cluster on 127.0.0.1:" + sequencerPort);
        final LocalDate tradingDate = LocalDate.now(ZoneId.of("America/New_York"));
        final EmbeddedBus bus = own(EmbeddedBus.launch(new EmbeddedBus.Context()
            .name("demo")
            .directStreamId(DIRECT_STREAM)
            .sequencedStreamId(SEQUENCED_STREAM)
            .dayRule(TradingDayRule.parse("America/New_York", "00:00"))
            .sequencerPort(sequencerPort)
            .feedId(FEED_ID)
            .feed(new FeedHandlerAgent.Context()
                .venue(null == pcap ? "itch5" : venue)
                .from(null == pcap ? "udp://127.0.0.1:" + udpPort : pcap.toString())
                .speed(null == pcap ? 0 : feedSpeed)
                .stampCaptureTime(false) // the demo measures the handler's receive -> publish hop, also on a capture
                .tradingDate(tradingDate))
            .errorHandler((ex) -> out.println("[demo] error: " + ex.getMessage()))));
        final Aeron aeron = bus.aeron();

        // Subscribers: the strategy and a latency / accounting tap on the sequenced stream, a counter on the direct.
        // Every timestamp in this process comes from the bus's one clock (see EmbeddedBus.Context#epochClock).
        final MidPriceStrategy liveStrategy = new MidPriceStrategy();
        final StrategyRunner strategyRunner = own(new StrategyRunner(new StrategyRunner.Context()
            .aeron(aeron)
            .channel(BusChannels.IPC)
            .streamId(SEQUENCED_STREAM)
            .clockMode(ClockMode.WALL)
            .name("demo-live"), liveStrategy));
        final AgentInvoker strategyInvoker = strategyRunner.invoker();
        final HopHistograms hops = own(new HopHistograms(null, startMs));
        final SequenceAccounting sequencedAccounting = new SequenceAccounting();
        final EpochNanoClock clock = bus.context().epochClock();
        final BusSubscriber sequencedTap = own(new BusSubscriber(aeron, BusChannels.IPC, SEQUENCED_STREAM,
            new MarketDataListener()
            {
                public void onMessage(
                    final DirectBuffer buffer, final int offset, final int length, final int templateId,
                    final long position)
                {
                    hops.onMessage(buffer, offset, clock.nanoTime());
                    sequencedAccounting.onMessage(buffer, offset);
                }
            }));
        final SequenceAccounting directAccounting = new SequenceAccounting();
        final BusSubscriber directTap = own(new BusSubscriber(aeron, BusChannels.IPC, DIRECT_STREAM,
            new MarketDataListener()
            {
                public void onMessage(
                    final DirectBuffer buffer, final int offset, final int length, final int templateId,
                    final long position)
                {
                    directAccounting.onMessage(buffer, offset);
                }
            }));

        step("starting the " + (null == pcap ? "itch5" : venue) + " feed handler: direct stream " + DIRECT_STREAM +
            " and sequencer ingress, feed id " + FEED_ID);
        final BusPublisher direct = bus.directPublisher();
        final FeedCounters feedCounters = bus.feedCounters();
        final FeedHandlerAgent feed = bus.feed();

        final BusSubscriber[] taps = {sequencedTap, directTap};
        awaitConnected(stop, direct, strategyInvoker, taps);
        bus.startFeed();

        ItchSimulator simulator = null;
        if (null == pcap)
        {
            final long count = Math.max(1, rate * durationNs / TimeUnit.SECONDS.toNanos(1));
            step(String.format(Locale.ROOT, "simulating %d ITCH 5.0 messages for %d symbols at %d/s over MoldUDP64 " +
                "to udp://127.0.0.1:%d", count, symbols, rate, udpPort));
            simulator = new ItchSimulator(new ItchSimulator.Context()
                .symbols(symbols)
                .rate(rate)
                .count(count)
                .seed(seed)
                .tradingDate(tradingDate)
                .epochClock(clock)
                .output(PacketOutput.udp("udp://127.0.0.1:" + udpPort)));
            final AgentRunner simulatorRunner = new AgentRunner(new SleepingMillisIdleStrategy(1),
                (ex) -> out.println("[demo] simulator error: " + ex.getMessage()), null, simulator);
            own(simulatorRunner);
            AgentRunner.startOnThread(simulatorRunner);
        }
        else
        {
            step("reading " + pcap + " (" + venue + ", speed " + speed + ")");
        }

        // Live phase: poll, report progress, stop when the source is exhausted and everything has arrived.
        final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 500_000);
        final long hardDeadlineNs = System.nanoTime() + durationNs + TimeUnit.SECONDS.toNanos(60);
        long nextProgressNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long nextMidsNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        long drainedSinceNs = 0;
        boolean complete = false;
        while (!stop.isRequested())
        {
            final int work = strategyInvoker.invoke() + sequencedTap.poll(256) + directTap.poll(256);
            final long nowNs = System.nanoTime();
            if (nowNs - nextProgressNs >= 0)
            {
                nextProgressNs += TimeUnit.SECONDS.toNanos(5);
                progress(simulator, feedCounters, direct, directAccounting, sequencedAccounting);
            }
            if (!quiet && nowNs - nextMidsNs >= 0)
            {
                nextMidsNs += TimeUnit.SECONDS.toNanos(15);
                printMids(liveStrategy, 4);
            }
            // The simulator is done when it has sent its last packet; the source is done when the feed handler has
            // decoded all of it too (the last packets may still be in the socket), else the count below is early.
            final boolean sourceDone = null == simulator ? feed.isDone() :
                simulator.isDone() && feedCounters.messages() >= simulator.messagesSent();
            final long published = direct.publishedCount();
            if (sourceDone && published > 0 &&
                sequencedAccounting.messages() >= published - bus.sequencerClient().repeatedHeartbeatCount() &&
                directAccounting.messages() >= published)
            {
                complete = true;
                break;
            }
            if (sourceDone && 0 == work)
            {
                // The source is done but not everything arrived yet: give the pipeline a bounded time to drain.
                if (0 == drainedSinceNs)
                {
                    drainedSinceNs = nowNs;
                }
                else if (nowNs - drainedSinceNs > TimeUnit.SECONDS.toNanos(20))
                {
                    break;
                }
            }
            if (nowNs - hardDeadlineNs >= 0)
            {
                out.println("[demo] stopping: the live phase ran past its time limit");
                break;
            }
            idle.idle(work);
        }
        bus.stopFeed();
        if (stop.isRequested())
        {
            out.println("[demo] interrupted: stopping and cleaning up");
            return TickbusCli.EXIT_RUNTIME;
        }
        // Let the strategy catch up with everything the tap saw before reading its results.
        final long strategyDeadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (strategyRunner.host().messageCount() < sequencedAccounting.messages() &&
            System.nanoTime() - strategyDeadlineNs < 0 && !stop.isRequested())
        {
            idle.idle(strategyInvoker.invoke());
        }
        liveStrategy.onEnd();

        // Report: latency, counts, strategy, catalog.
        out.println();
        hops.rollInterval(System.currentTimeMillis());
        out.println("== latency per hop (microseconds) over " + hops.messages() + " sequenced messages ==");
        final Map<String, Histogram> byHop = new LinkedHashMap<>();
        for (final Hop hop : Hop.values())
        {
            // A capture's exchange times are from the day it was taken: hops from them measure the calendar.
            final boolean fromCaptureClock = null != pcap && hop.label().startsWith("exchange");
            if (hops.total(hop).getTotalCount() > 0 && !fromCaptureClock)
            {
                byHop.put(hop.label(), hops.total(hop));
            }
        }
        out.print(LatencyReport.table(byHop));
        if (null != pcap)
        {
            out.println("(hops from the exchange time are left out: the capture's exchange times are from the day it " +
                "was recorded)");
        }

        final TickbusArchive archive = bus.archive();
        archive.awaitCatalogCaughtUp(10_000);
        archive.flushCatalog();
        final DayCatalog catalog = DayCatalog.load(bus.archiveDir());
        final long recordedDirect = catalog.messages(DIRECT_STREAM);
        final long recordedSequenced = catalog.messages(SEQUENCED_STREAM);

        out.println();
        out.println("== counts ==");
        final long published = direct.publishedCount();
        if (null != simulator)
        {
            row("venue messages simulated", simulator.messagesSent());
        }
        row("venue messages decoded by the feed handler", feedCounters.messages());
        row("malformed venue packets", feedCounters.malformed());
        row("published on the direct stream", published);
        row("received on the direct stream", directAccounting.messages());
        final long sent = published - bus.sequencerClient().repeatedHeartbeatCount();
        row("repeated heartbeats, not sent to the sequencer", bus.sequencerClient().repeatedHeartbeatCount());
        row("sequenced (last global sequence)", sequencedAccounting.lastGlobalSeq());
        row("received on the sequenced stream", sequencedAccounting.messages());
        row("gaps / duplicates on the sequenced stream", sequencedAccounting.gaps(), sequencedAccounting.duplicates());
        row("recorded, direct stream", recordedDirect);
        row("recorded, sequenced stream", recordedSequenced);
        row("dropped by back pressure", bus.droppedCount());
        final boolean countsAgree = complete && published == directAccounting.messages() &&
            sent == sequencedAccounting.messages() && sent == sequencedAccounting.lastGlobalSeq() &&
            1 == sequencedAccounting.firstGlobalSeq() && 0 == sequencedAccounting.gaps() &&
            0 == sequencedAccounting.duplicates() && recordedDirect == published && recordedSequenced == sent;
        out.println(countsAgree ? "published = sequenced = received = recorded: yes" :
            "published = sequenced = received = recorded: NO");

        out.println();
        out.println("== strategy (live, on the sequenced stream) ==");
        printMids(liveStrategy, 8);
        out.println(liveStrategy.summary());

        out.println();
        out.println("== recordings (day catalog) ==");
        LocalDate replayDay = null;
        for (final DayCatalog.DaySummary day : catalog.days())
        {
            out.printf(Locale.ROOT, "%s  stream %-5d  messages %-9d  bytes %-10d  segments %d%n", day.day(),
                day.streamId(), day.messages(), day.bytes(), day.segments().size());
            if (day.streamId() == SEQUENCED_STREAM && (null == replayDay || day.messages() > 0))
            {
                replayDay = day.day();
            }
        }
        if (null == replayDay)
        {
            out.println("[demo] nothing recorded on the sequenced stream: no replay");
            return TickbusCli.EXIT_RUNTIME;
        }

        // Replay the recorded day into a second instance of the strategy, on the recorded exchange clock.
        out.println();
        out.println("== replay of " + replayDay + " stream " + SEQUENCED_STREAM + " at " +
            ("max".equalsIgnoreCase(replaySpeed) ? "full speed" : replaySpeed + "x") + " into the same strategy ==");
        final MidPriceStrategy replayStrategy = new MidPriceStrategy();
        final StrategyHost replayHost = new StrategyHost(replayStrategy, ClockMode.EVENT);
        replayHost.start();
        final BusSubscriber replaySubscriber = own(new BusSubscriber(aeron, BusChannels.IPC, REPLAY_STREAM,
            replayHost));
        final AeronArchive archiveClient = own(TickbusArchive.connectLocal(aeron));
        final DayReplayer replayer = own(new DayReplayer(aeron, archiveClient, catalog, new DayReplayer.Context()
            .day(replayDay)
            .streamId(SEQUENCED_STREAM)
            .speed(replayFactor)
            .target(BusChannels.IPC, REPLAY_STREAM)
            .archiveDir(bus.archiveDir())));
        final long replayStartNs = System.nanoTime();
        final long replayDeadlineNs = replayStartNs + durationNs + TimeUnit.SECONDS.toNanos(60);
        while (!stop.isRequested() && !replayHost.isEndOfReplay() && System.nanoTime() - replayDeadlineNs < 0)
        {
            final int work = (replayer.isDone() ? 0 : replayer.doWork()) + replaySubscriber.poll(256);
            idle.idle(work);
        }
        final double replaySeconds = (System.nanoTime() - replayStartNs) / 1e9;
        replayHost.end();
        out.printf(Locale.ROOT, "replayed %d messages in %.1f s%n", replayHost.messageCount(), replaySeconds);
        out.println(replayStrategy.summary());
        final boolean identical = replayStrategy.digest() == liveStrategy.digest() &&
            replayStrategy.midUpdateCount() == liveStrategy.midUpdateCount();
        out.println("live digest " + liveStrategy.digestHex() + ", replay digest " + replayStrategy.digestHex() +
            (identical ? ": identical" : ": DIFFERENT"));
        out.println();
        out.printf(Locale.ROOT, "demo finished in %.1f s: %s%n", (System.currentTimeMillis() - startMs) / 1e3,
            countsAgree && identical ? "OK" : "FAILED");
        return countsAgree && identical ? TickbusCli.EXIT_OK : TickbusCli.EXIT_RUNTIME;
    }

    private void awaitConnected(
        final StopSignal stop, final BusPublisher direct, final AgentInvoker strategy, final BusSubscriber[] taps)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        final IdleStrategy idle = new SleepingMillisIdleStrategy(1);
        while (!direct.isConnected() && !stop.isRequested())
        {
            strategy.invoke();
            for (final BusSubscriber tap : taps)
            {
                tap.poll(16);
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new IllegalStateException("the direct stream's subscribers did not connect within 30 s");
            }
            idle.idle();
        }
    }

    private void progress(
        final ItchSimulator simulator,
        final FeedCounters feed,
        final BusPublisher direct,
        final SequenceAccounting directAccounting,
        final SequenceAccounting sequencedAccounting)
    {
        if (quiet)
        {
            return;
        }
        out.printf(Locale.ROOT, "[demo] %s feed decoded %d, published %d | received: direct %d, sequenced %d " +
            "(last global seq %d)%n",
            null == simulator ?
                "packets read " + feed.packets() + " |" : "simulated " + simulator.messagesSent() + " |",
            feed.messages(), direct.publishedCount(), directAccounting.messages(), sequencedAccounting.messages(),
            sequencedAccounting.lastGlobalSeq());
        out.flush();
    }

    private void printMids(final MidPriceStrategy strategy, final int lines)
    {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            strategy.printMids(ps, lines);
        }
        out.print(bytes.toString(StandardCharsets.UTF_8));
        out.flush();
    }

    private void row(final String what, final long value)
    {
        out.printf(Locale.ROOT, "  %-45s %12d%n", what, value);
    }

    private void row(final String what, final long a, final long b)
    {
        out.printf(Locale.ROOT, "  %-45s %6d / %d%n", what, a, b);
    }

    private void step(final String what)
    {
        if (!quiet)
        {
            out.println("[demo] " + what);
            out.flush();
        }
    }

    private <T extends AutoCloseable> T own(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    private void closeAll()
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(resources.get(i));
        }
        resources.clear();
        if (null != out)
        {
            out.flush();
        }
    }
}
