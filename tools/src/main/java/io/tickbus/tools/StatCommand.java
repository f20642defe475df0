package io.tickbus.tools;

import io.tickbus.tools.stat.CncCounters;
import io.tickbus.tools.stat.PrometheusEndpoint;
import io.tickbus.tools.stat.StatView;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code tickbus stat}: a live view of a media driver's counters, read from the CnC file mapped read-only without
 * connecting: a rollup per stream (channel and stream id), the Tickbus counters, the cluster member's role and
 * commit position, the archive's recording positions, Aeron's stream positions and the driver's own counters, with
 * rates; and the same names as a Prometheus endpoint.
 * <p>
 * Threading: the command's thread refreshes; the endpoint scrapes on its own thread; each owns its
 * {@link io.tickbus.tools.stat.CounterTable}. Allocation: the printed text per refresh; labels parsed once per
 * counter.
 */
@Command(
    name = "stat",
    mixinStandardHelpOptions = true,
    description = {
        "Show the media driver's counters live, with rates.",
        "Show the counters of the media driver live, with rates per second, like AeronStat;",
        "optionally serve them to Prometheus on 127.0.0.1."},
    footer = {
        "",
        "Sections: Streams (one line per channel and stream: publishers, subscribers, published and",
        "received messages and rates, bytes, back-pressure, drops, malformed), Tickbus (publisher,",
        "subscriber, feed handler, book and strategy counters), Cluster (role, commit position, election;",
        "sequencer counters), Archive (recording positions; archive counters), Aeron positions, Media driver.",
        "",
        "--prometheus follows Prometheus's conventions: HELP and TYPE, seconds and bytes,",
        "_total on counters, no session ids in labels. Names: docs/operations.md; a Grafana",
        "dashboard and alerting rules: docs/grafana/.",
        "",
        "Examples:",
        "  tickbus stat",
        "  tickbus stat --driver-dir /dev/shm/tickbus --interval 5s \\",
        "      --filter 'tickbus-|Errors'",
        "  tickbus stat --once",
        "  tickbus stat --prometheus 9464                 # http://127.0.0.1:9464/metrics",
        "  tickbus stat --prometheus 9464 --bind 0.0.0.0 --quiet"})
public final class StatCommand implements Callable<Integer>
{
    @Option(names = "--driver-dir", paramLabel = "DIR",
        description = "Media driver directory (default: aeron.dir or Aeron's default).")
    String driverDir;

    @Option(names = "--interval", paramLabel = "T", defaultValue = "1s", description = "Refresh interval (1s).")
    String interval;

    @Option(names = "--once", description = "Print one snapshot and exit.")
    boolean once;

    @Option(names = "--duration", paramLabel = "T", description = "Stop after this long (default: Ctrl-C).")
    String duration;

    @Option(names = "--filter", paramLabel = "REGEX", description = "Only counters whose label matches.")
    String filter;

    @Option(names = "--prometheus", paramLabel = "PORT", description = "Serve /metrics on this port.")
    Integer prometheusPort;

    @Option(names = "--bind", paramLabel = "ADDR",
        description = "Address for --prometheus (default 127.0.0.1, loopback only).")
    String bind;

    @Option(names = "--quiet", description = "With --prometheus: serve only, no live view.")
    boolean quiet;

    @Option(names = "--no-clear", description = "Append refreshes instead of redrawing the screen.")
    boolean noClear;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public Integer call() throws IOException
    {
        final long intervalNs = CliChecks.duration("--interval", interval);
        final long durationNs = CliChecks.duration("--duration", duration);
        if (null != prometheusPort)
        {
            CliChecks.port("--prometheus", prometheusPort);
        }
        if (null != bind && null == prometheusPort)
        {
            throw new IllegalArgumentException("--bind needs --prometheus PORT");
        }
        if (once && null != prometheusPort)
        {
            throw new IllegalArgumentException("--once and --prometheus exclude each other");
        }
        final InetAddress bindAddress = bindAddress(bind);
        Pattern pattern = null;
        if (null != filter)
        {
            try
            {
                pattern = Pattern.compile(filter);
            }
            catch (final PatternSyntaxException ex)
            {
                throw new IllegalArgumentException("--filter is not a regular expression: " + ex.getDescription());
            }
        }

        final PrintWriter out = spec.commandLine().getOut();
        final String dir = null != driverDir ? driverDir : CncCounters.defaultDirectory();
        final StatView view = new StatView(pattern);
        try (CncCounters cnc = CncCounters.open(dir))
        {
            if (once)
            {
                out.print(view.render(cnc, System.nanoTime()));
                out.flush();
                return TickbusCli.EXIT_OK;
            }
            try (PrometheusEndpoint endpoint = null == prometheusPort ? null : serve(cnc, bindAddress, prometheusPort);
                StopSignal stop = StopSignal.register())
            {
                if (null != endpoint)
                {
                    out.println("serving Prometheus metrics on http://" + endpoint.address().getHostString() + ":" +
                        endpoint.address().getPort() + "/metrics");
                    out.flush();
                }
                final boolean clear = !noClear && null != System.console() && !quiet;
                final long deadlineNs = durationNs > 0 ? System.nanoTime() + durationNs : 0;
                while (!stop.isRequested() && (0 == deadlineNs || System.nanoTime() - deadlineNs < 0))
                {
                    if (!quiet)
                    {
                        final String text = view.render(cnc, System.nanoTime());
                        out.print(clear ? "\033[H\033[2J" + text : text + System.lineSeparator());
                        out.flush();
                    }
                    sleep(intervalNs, deadlineNs, stop);
                }
            }
        }
        return TickbusCli.EXIT_OK;
    }

    private static PrometheusEndpoint serve(final CncCounters cnc, final InetAddress bindAddress, final int port)
        throws IOException
    {
        try
        {
            return new PrometheusEndpoint(cnc, bindAddress, port);
        }
        catch (final BindException ex)
        {
            throw new IllegalStateException("cannot serve Prometheus metrics on port " + port + ": " + ex.getMessage());
        }
    }

    private static void sleep(final long intervalNs, final long deadlineNs, final StopSignal stop)
    {
        final long end = System.nanoTime() + intervalNs;
        while (!stop.isRequested() && System.nanoTime() - end < 0 &&
            (0 == deadlineNs || System.nanoTime() - deadlineNs < 0))
        {
            LockSupport.parkNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(50), Math.max(1, end - System.nanoTime())));
        }
    }

    private static InetAddress bindAddress(final String text)
    {
        if (null == text)
        {
            return null;
        }
        try
        {
            return InetAddress.getByName(text);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("--bind: unknown address " + text);
        }
    }
}
