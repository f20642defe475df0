package io.tickbus.tools;

import io.tickbus.archive.TickbusArchive;
import io.tickbus.archive.client.SequencedSource;
import io.tickbus.archive.client.SequencedSubscriber;
import io.tickbus.client.InstrumentFilter;
import io.tickbus.client.strategy.ClockMode;
import io.tickbus.client.strategy.Strategy;
import io.tickbus.client.strategy.StrategyHost;
import io.tickbus.client.strategy.StrategyRunner;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tickbus run}: run a strategy live on a stream until Ctrl-C / SIGTERM or {@code --duration}, and print the
 * same summary as {@code backtest} ({@link StrategyReport}). The strategy's clock is the wall clock
 * ({@link ClockMode#WALL}). With {@code --archive} it joins late: the stream is read through the reliable
 * subscriber of the sequenced stream ({@link SequencedSubscriber}), which delivers global sequences from
 * {@code --from-seq} on, in order, once, fetching from the archive what was published before the strategy started
 * and any gap after.
 * <p>
 * Threading: the strategy, its timers and the subscription run on the command's thread (an {@link AgentInvoker}
 * with a back-off idle strategy). Allocation: at start and end only, and what the strategy allocates.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
        "Run a strategy live on a stream.",
        "Run a strategy live on a stream until Ctrl-C, SIGTERM or --duration, then",
        "print the same summary as backtest. The strategy's clock and timers run on",
        "the wall clock. With --archive (a sequenced stream) it joins late: it gets",
        "global sequences from --from-seq on, in order, exactly once, the ones",
        "published before it started (and any gap) from the archive."},
    footer = {
        "",
        "The strategy is a class implementing io.tickbus.client.strategy.Strategy",
        "with a public no-argument constructor, on the classpath (TICKBUS_CLASSPATH",
        "for scripts/tickbus); a public String summary() method, if it has one, is",
        "printed at the end. A strategy that throws: the first stack trace, then a",
        "count at most once a second, and the total in the summary (exit 1).",
        "",
        "Examples:",
        "  tickbus run --channel aeron:ipc --stream 1001 --driver-dir /dev/shm/tb \\",
        "      --strategy io.tickbus.client.strategy.examples.MidPriceStrategy",
        "  tickbus run --channel aeron:ipc --stream 1001 --duration 10m \\",
        "      --symbol AAPL,MSFT --strategy com.example.MyStrategy",
        "  tickbus run --stream 2000 --archive 127.0.0.1:45010 \\",
        "      --channel 'aeron:udp?endpoint=224.0.1.2:40500|interface=127.0.0.1' \\",
        "      --strategy com.example.MyStrategy"})
public final class RunCommand implements Callable<Integer>
{
    @Option(names = "--strategy", paramLabel = "CLASS", required = true, description = "Strategy class name.")
    String strategyClass;

    @Option(names = "--channel", required = true, paramLabel = "URI", description = "Aeron channel to subscribe to.")
    String channel;

    @Option(names = "--stream", required = true, paramLabel = "ID", description = "Stream id.")
    int streamId;

    @Option(names = "--symbol", paramLabel = "SYMBOL", split = ",",
        description = "Only these symbols (repeatable or comma separated); market-wide messages always pass.")
    List<String> symbols = new ArrayList<>();

    @Option(names = "--duration", paramLabel = "T", description = "Stop after this long, e.g. 30s, 8h.")
    String duration;

    @Option(names = "--archive", paramLabel = "HOST:PORT",
        description = "An archive's UDP control endpoint (repeatable; tried in turn): join the sequenced stream " +
            "late, from --from-seq, and recover gaps from it.")
    List<String> archives = new ArrayList<>();

    @Option(names = "--from-seq", paramLabel = "N", defaultValue = "1",
        description = "With --archive: first global sequence to deliver (default 1: the whole stream).")
    long fromSeq;

    @Option(names = "--archive-response-channel", paramLabel = "URI",
        defaultValue = SequencedSubscriber.Configuration.RESPONSE_CHANNEL_DEFAULT,
        description = "With --archive: where archive replies and replays reach this host (default ${DEFAULT-VALUE}).")
    String archiveResponseChannel;

    @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "America/New_York",
        description = "Time zone of displayed times (default America/New_York).")
    String zone;

    @Option(names = "--iso-times", description = "Display times as full ISO-8601 date-times, not times of day.")
    boolean isoTimes;

    @Mixin
    DriverOptions driver;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * @return 0 when the run ended on a stop or its duration with no strategy error, 1 otherwise.
     */
    public Integer call()
    {
        CliChecks.channel("--channel", channel);
        final long durationNs = CliChecks.duration("--duration", duration);
        final ZoneId zoneId = CliChecks.zone("--zone", zone);
        final MessageSelection selection = new MessageSelection();
        selection.symbols = symbols;
        final InstrumentFilter filter = selection.conclude().instruments();
        if (!archives.isEmpty())
        {
            CliChecks.channel("--archive-response-channel", archiveResponseChannel);
            if (fromSeq < 1)
            {
                throw new IllegalArgumentException("--from-seq must be at least 1: " + fromSeq);
            }
        }
        driver.validate();
        final Strategy strategy = StrategyReport.newStrategy(strategyClass);
        final String name = strategy.getClass().getSimpleName();
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final StrategyErrors errors = new StrategyErrors(err, "run");

        try (DriverOptions.Connection connection = driver.connect("run"); StopSignal stop = StopSignal.register())
        {
            return run(connection, stop, strategy, name, filter, errors, durationNs, zoneId, out, err);
        }
    }

    private int run(
        final DriverOptions.Connection connection,
        final StopSignal stop,
        final Strategy strategy,
        final String name,
        final InstrumentFilter filter,
        final StrategyErrors errors,
        final long durationNs,
        final ZoneId zoneId,
        final PrintWriter out,
        final PrintWriter err)
    {
        StrategyRunner runner = null;
        SequencedSource reliable = null;
        try
        {
            final StrategyRunner.Context ctx = new StrategyRunner.Context()
                .aeron(connection.aeron())
                .channel(channel)
                .streamId(streamId)
                .filter(filter)
                .clockMode(ClockMode.WALL)
                .errorHandler(errors)
                .name(name);
            if (!archives.isEmpty())
            {
                // the sequenced stream from --from-seq, recovered from the archives where the live stream misses
                reliable = new SequencedSource(new SequencedSubscriber.Context()
                    .archiveEndpoints(archives)
                    .responseChannel(archiveResponseChannel)
                    .fromGlobalSeq(fromSeq)
                    .archiveSecret(TickbusArchive.Configuration.controlSecretFromEnvironment())
                    .errorHandler(ex -> err.println("tickbus run: archive: " + ex.getMessage())));
                ctx.source(reliable);
            }
            runner = new StrategyRunner(ctx, strategy);
            final StrategyHost host = runner.host();
            final AgentInvoker invoker = runner.invoker();
            out.println("tickbus run: " + name + " on " + channel + " stream " + streamId +
                (archives.isEmpty() ? "" : " from global sequence " + fromSeq + " (archives " +
                String.join(", ", archives) + ")") + "; Ctrl-C to stop");
            out.flush();

            final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 1_000_000);
            final long startNs = System.nanoTime();
            while (!stop.isRequested() && (0 == durationNs || System.nanoTime() - startNs < durationNs))
            {
                final int work = invoker.invoke();
                if (0 == work)
                {
                    connection.checkAlive();
                }
                idle.idle(work);
            }
            final SequencedSubscriber recovered = null == reliable ? null : reliable.subscriber();
            CloseHelper.closeAll(runner); // the strategy's onEnd, on this thread
            runner = null;
            errors.flush();
            StrategyReport.print(out, "run of " + name + " on " + channel + " stream " + streamId, host,
                errors.count(), System.nanoTime() - startNs, host.firstExchangeTime(), host.lastExchangeTime(),
                zoneId, isoTimes);
            if (null != recovered)
            {
                out.println("{\"recovered\":" + recovered.recoveredCount() +
                    ",\"repairs\":" + recovered.repairCount() +
                    ",\"unrecovered\":" + recovered.unrecoveredCount() +
                    ",\"repeats\":" + recovered.repeatCount() +
                    ",\"archiveErrors\":" + recovered.archiveErrorCount() +
                    ",\"nextGlobalSeq\":" + recovered.nextGlobalSeq() + "}");
            }
            out.flush();
            return 0 == errors.count() ? TickbusCli.EXIT_OK : TickbusCli.EXIT_RUNTIME;
        }
        finally
        {
            CloseHelper.quietCloseAll(runner);
        }
    }
}
