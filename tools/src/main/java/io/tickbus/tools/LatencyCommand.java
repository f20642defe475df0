package io.tickbus.tools;

import io.tickbus.client.ProcessEpochClock;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.latency.Hop;
import io.tickbus.client.latency.HopHistograms;
import io.tickbus.tools.latency.LatencyReport;
import io.tickbus.tools.latency.PercentilePlot;
import io.tickbus.tools.latency.PingPong;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tickbus latency}: per-hop latency of a live stream from the timestamps its messages carry, into
 * HdrHistograms; a percentile table, HdrHistogram interval logs, {@code .hgrm} distributions and a PNG percentile
 * plot. Also {@code --compare} of two interval logs and the {@code --pingpong} round-trip probe with its
 * {@code --echo} side.
 * <p>
 * Threading: the command's thread polls and records. Allocation: none per message; once per interval for the log.
 */
@Command(
    name = "latency",
    mixinStandardHelpOptions = true,
    description = {
        "Measure latency per hop into histograms, logs and plots.",
        "Measure latency per hop (exchange->receive, receive->publish, publish->sequenced, and each",
        "->subscriber) from the timestamps in the messages of a live stream; or compare two runs; or",
        "probe the transport's round trip with --pingpong."},
    footer = {
        "",
        "Values are printed in microseconds; interval logs hold nanoseconds, one tagged histogram per hop",
        "per interval (tags: exchange-receive, receive-publish, publish-sequenced, exchange-subscriber,",
        "receive-subscriber, publish-subscriber, sequenced-subscriber, round-trip).",
        "",
        "Examples:",
        "  tickbus latency --channel aeron:ipc --stream 1001 --duration 60s \\",
        "      --hlog run.hlog --plot run.png",
        "  tickbus latency --channel aeron:ipc --stream 2001 --duration 5m \\",
        "      --hgrm run.hgrm --json",
        "  tickbus latency --compare before.hlog after.hlog",
        "  tickbus latency --pingpong --channel aeron:ipc --stream 9001 \\",
        "      --count 100000 --embedded-driver",
        "  tickbus latency --echo --channel 'aeron:udp?endpoint=10.0.0.2:46001' \\",
        "      --stream 9001 \\",
        "      --pong-channel 'aeron:udp?endpoint=10.0.0.1:46002'    # on host B",
        "  tickbus latency --pingpong --remote-echo \\",
        "      --channel 'aeron:udp?endpoint=10.0.0.2:46001' --stream 9001 \\",
        "      --pong-channel 'aeron:udp?endpoint=10.0.0.1:46002'    # on host A"})
public final class LatencyCommand implements Callable<Integer>
{
    @Option(names = "--channel", paramLabel = "URI", description = "Channel to measure (or to ping on).")
    String channel;

    @Option(names = "--stream", paramLabel = "ID", description = "Stream id (default 1001).", defaultValue = "1001")
    int streamId;

    @Option(names = "--duration", paramLabel = "T", description = "Stop after this long, e.g. 60s (default: Ctrl-C).")
    String duration;

    /** Largest plot side accepted: a bigger image would only exhaust the heap. */
    static final int MAX_PLOT_PIXELS = 16_384;

    @Option(names = "--count", paramLabel = "N",
        description = "Stop after N messages; with --pingpong, pings to record (default 10000).")
    Long count;

    @Option(names = "--interval", paramLabel = "T", defaultValue = "1s",
        description = "Length of one interval in the interval log (default 1s).")
    String interval;

    @Option(names = "--hlog", paramLabel = "FILE", description = "Write an HdrHistogram interval log.")
    Path hlog;

    @Option(names = "--hgrm", paramLabel = "FILE",
        description = "Write percentile distributions (.hgrm, us); one file per hop: FILE.TAG.hgrm.")
    Path hgrm;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw the percentile plot to a PNG.")
    Path plot;

    @Option(names = "--plot-width", paramLabel = "PX", defaultValue = "1200", description = "Plot width (1200).")
    int plotWidth;

    @Option(names = "--plot-height", paramLabel = "PX", defaultValue = "700", description = "Plot height (700).")
    int plotHeight;

    @Option(names = "--json", description = "Print one JSON line (values in ns) instead of the table.")
    boolean json;

    @Option(names = "--compare", arity = "2", paramLabel = "FILE.hlog",
        description = "Compare two interval logs side by side, with ratios B/A.")
    List<Path> compare;

    @Option(names = "--pingpong", description = "Round-trip probe: ping on --stream, echo back on --pong-stream.")
    boolean pingpong;

    @Option(names = "--echo", description = "Run only the echo side of a ping-pong (until --duration or Ctrl-C).")
    boolean echo;

    @Option(names = "--remote-echo", description = "With --pingpong: the echo runs in another process.")
    boolean remoteEcho;

    @Option(names = "--pong-channel", paramLabel = "URI", description = "Channel echoes come back on (--channel).")
    String pongChannel;

    @Option(names = "--pong-stream", paramLabel = "ID", description = "Stream echoes come back on (--stream + 1).")
    Integer pongStream;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1000",
        description = "Pings sent before recording (1000).")
    long warmup;

    @Option(names = "--connect-timeout", paramLabel = "T", defaultValue = "10s",
        description = "With --pingpong: how long to wait for the echo side (10s).")
    String connectTimeout;

    @Option(names = "--idle", paramLabel = "KIND", defaultValue = "backoff",
        description = "How to wait: backoff (default, kind to small boxes), yield, or spin (isolated cores only).")
    String idle;

    @Mixin
    DriverOptions driver;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (null != compare)
        {
            return compare(out);
        }
        CliChecks.channel("--channel", channel);
        if (null != pongChannel)
        {
            CliChecks.channel("--pong-channel", pongChannel);
        }
        if (pingpong && echo)
        {
            throw new IllegalArgumentException("--pingpong and --echo exclude each other (run --echo on the far side)");
        }
        if (null != count)
        {
            CliChecks.positive("--count", count);
        }
        CliChecks.notNegative("--warmup", warmup);
        final long durationNs = CliChecks.duration("--duration", duration);
        final long intervalNs = CliChecks.duration("--interval", interval);
        final long connectTimeoutNs = CliChecks.duration("--connect-timeout", connectTimeout);
        CliChecks.positive("--plot-width", plotWidth);
        CliChecks.positive("--plot-height", plotHeight);
        if (plotWidth > MAX_PLOT_PIXELS || plotHeight > MAX_PLOT_PIXELS)
        {
            throw new IllegalArgumentException("--plot-width and --plot-height must be at most " + MAX_PLOT_PIXELS +
                " pixels: " + plotWidth + "x" + plotHeight);
        }
        for (final Path file : new Path[]{hlog, hgrm, plot})
        {
            if (null != file)
            {
                CliChecks.writableFile("output file", file);
            }
        }
        final IdleStrategy idleStrategy = idleStrategy(idle);
        final int pongStreamId = null != pongStream ? pongStream : streamId + 1;
        final String pongChannelUri = null != pongChannel ? pongChannel : channel;
        if (pongStreamId == streamId && pongChannelUri.equals(channel))
        {
            throw new IllegalArgumentException("--pong-stream must differ from --stream on the same channel");
        }
        driver.validate();

        final EpochNanoClock clock = ProcessEpochClock.get();
        final Stop stop = new Stop(durationNs);
        try (DriverOptions.Connection connection = driver.connect("latency");
            StopSignal signal = StopSignal.register())
        {
            stop.signal = signal;
            if (echo)
            {
                try (PingPong.Echo echoSide = new PingPong.Echo(
                    connection.aeron(), channel, streamId, pongChannelUri, pongStreamId))
                {
                    out.println("echoing " + channel + " stream " + streamId + " -> " + pongChannelUri + " stream " +
                        pongStreamId + " (Ctrl-C to stop)");
                    out.flush();
                    while (!stop.isDone())
                    {
                        final int work = echoSide.poll();
                        if (0 == work)
                        {
                            connection.checkAlive();
                        }
                        idleStrategy.idle(work);
                    }
                    out.println("echoed " + echoSide.echoed() + " messages");
                }
                return TickbusCli.EXIT_OK;
            }

            try (HopHistograms histograms = new HopHistograms(
                null == hlog ? null : hlog.toFile(), System.currentTimeMillis()))
            {
                if (pingpong)
                {
                    try (PingPong probe = new PingPong(connection.aeron(), channel, streamId, pongChannelUri,
                        pongStreamId, !remoteEcho, clock, idleStrategy, histograms))
                    {
                        probe.awaitConnected(connectTimeoutNs);
                        probe.run(warmup, null == count ? 10_000 : count, stop::isDone);
                    }
                }
                else
                {
                    measure(connection, clock, idleStrategy, histograms, stop, intervalNs);
                }
                histograms.rollInterval(System.currentTimeMillis());
                report(out, histograms);
            }
        }
        return TickbusCli.EXIT_OK;
    }

    private void measure(
        final DriverOptions.Connection connection,
        final EpochNanoClock clock,
        final IdleStrategy idleStrategy,
        final HopHistograms histograms,
        final Stop stop,
        final long intervalNs)
    {
        final long maxMessages = null == count ? Long.MAX_VALUE : count;
        final MarketDataListener listener = new MarketDataListener()
        {
            public void onMessage(
                final DirectBuffer buffer, final int offset, final int length, final int templateId, final long pos)
            {
                if (histograms.messages() < maxMessages)
                {
                    histograms.onMessage(buffer, offset, clock.nanoTime());
                }
            }
        };
        try (BusSubscriber subscriber = new BusSubscriber(connection.aeron(), channel, streamId, listener))
        {
            long nextRollNs = System.nanoTime() + intervalNs;
            while (!stop.isDone() && histograms.messages() < maxMessages)
            {
                final int work = subscriber.poll(64);
                if (0 == work)
                {
                    connection.checkAlive();
                }
                final long nowNs = System.nanoTime();
                if (nowNs - nextRollNs >= 0)
                {
                    histograms.rollInterval(System.currentTimeMillis());
                    nextRollNs = nowNs + intervalNs;
                }
                idleStrategy.idle(work);
            }
        }
    }

    private void report(final PrintWriter out, final HopHistograms histograms) throws IOException
    {
        final Map<String, Histogram> byLabel = new LinkedHashMap<>();
        final Map<String, Histogram> byTag = new LinkedHashMap<>();
        for (final Hop hop : Hop.values())
        {
            byLabel.put(hop.label(), histograms.total(hop));
            byTag.put(hop.tag(), histograms.total(hop));
        }
        final long messages = pingpong ? histograms.total(Hop.ROUND_TRIP).getTotalCount() : histograms.messages();
        if (json)
        {
            out.println(LatencyReport.json(byLabel, messages, histograms.clockSkewCount()));
        }
        else
        {
            out.print(LatencyReport.table(byLabel));
            out.println((pingpong ? "pings: " : "messages: ") + messages +
                (histograms.clockSkewCount() > 0 ? "  negative latencies skipped (clock skew): " +
                histograms.clockSkewCount() : ""));
        }
        if (null != hgrm)
        {
            for (final Path file : LatencyReport.writeHgrm(hgrm, byTag))
            {
                note(out, "wrote " + file);
            }
        }
        if (null != hlog)
        {
            note(out, "wrote " + hlog);
        }
        if (null != plot)
        {
            PercentilePlot.write(plot, "tickbus latency: " + channel + " stream " + streamId, byLabel,
                plotWidth, plotHeight);
            note(out, "wrote " + plot);
        }
        out.flush();
    }

    private void note(final PrintWriter out, final String line)
    {
        if (!json)
        {
            out.println(line);
        }
    }

    private int compare(final PrintWriter out)
    {
        if (null != channel || pingpong || echo)
        {
            throw new IllegalArgumentException("--compare reads two logs and takes no --channel, --pingpong or --echo");
        }
        final Path a = CliChecks.readableFile("--compare", compare.get(0));
        final Path b = CliChecks.readableFile("--compare", compare.get(1));
        out.print(LatencyReport.compare(a.toString(), readLog(a), b.toString(), readLog(b)));
        out.flush();
        return TickbusCli.EXIT_OK;
    }

    /**
     * Sum every interval of an HdrHistogram interval log by tag.
     *
     * @param file the log.
     * @return histograms by tag ({@code untagged} when a histogram has no tag), in order of first appearance.
     */
    static Map<String, Histogram> readLog(final Path file)
    {
        final Map<String, Histogram> byTag = new LinkedHashMap<>();
        try (HistogramLogReader reader = new HistogramLogReader(file.toFile()))
        {
            EncodableHistogram next;
            while (null != (next = reader.nextIntervalHistogram()))
            {
                if (!(next instanceof Histogram))
                {
                    throw new IllegalArgumentException(file + ": holds double histograms, not latency in ns");
                }
                final Histogram h = (Histogram)next;
                final String tag = null == h.getTag() ? "untagged" : h.getTag();
                byTag.computeIfAbsent(tag, (t) -> new Histogram(HopHistograms.SIGNIFICANT_DIGITS)).add(h);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            if (ex instanceof IllegalArgumentException)
            {
                throw (IllegalArgumentException)ex;
            }
            throw new IllegalArgumentException(file + ": not an HdrHistogram interval log (" + ex.getMessage() + ")");
        }
        if (byTag.isEmpty())
        {
            throw new IllegalArgumentException(file + ": holds no interval histograms");
        }
        return byTag;
    }

    static IdleStrategy idleStrategy(final String kind)
    {
        return switch (kind.trim().toLowerCase())
        {
            case "backoff" -> new BackoffIdleStrategy(10, 20, 1_000, 100_000);
            case "yield" -> new YieldingIdleStrategy();
            case "spin" -> new BusySpinIdleStrategy();
            default -> throw new IllegalArgumentException("--idle must be backoff, yield or spin: " + kind);
        };
    }

    /** Ends a run on a signal or at the deadline. */
    static final class Stop
    {
        private final long deadlineNs;
        private StopSignal signal;

        Stop(final long durationNs)
        {
            deadlineNs = durationNs > 0 ? System.nanoTime() + durationNs : 0;
        }

        boolean isDone()
        {
            return (null != signal && signal.isRequested()) ||
                (0 != deadlineNs && System.nanoTime() - deadlineNs >= 0);
        }
    }
}
