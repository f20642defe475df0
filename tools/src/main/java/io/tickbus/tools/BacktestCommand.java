package io.tickbus.tools;

import io.tickbus.archive.client.DayReplayer;
import io.tickbus.client.strategy.ClockMode;
import io.tickbus.client.strategy.Strategy;
import io.tickbus.client.strategy.StrategyHost;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.tickbus.client.ProcessEpochClock;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.concurrent.Callable;

/**
 * {@code tickbus backtest}: run a strategy on a recorded day. The day is replayed from the archive into the strategy
 * on a private stream, and the strategy's clock and timers run on the recorded exchange time
 * ({@link ClockMode#EVENT}), so a timer fires where it would have fired live and two runs are identical.
 */
@Command(
    name = "backtest",
    mixinStandardHelpOptions = true,
    description = {
        "Run a strategy on a recorded day.",
        "Run a strategy on a recorded day: the day is replayed from the archive into",
        "the strategy, whose clock and timers follow the recorded exchange time."},
    footer = {
        "",
        "The archive must be running on --dir (tickbus archive). The strategy is a class",
        "implementing io.tickbus.client.strategy.Strategy with a public no-argument",
        "constructor, on the classpath; a public String summary() method, if it has one,",
        "is printed at the end. With --from, the strategy first gets a recap",
        "(flags bit 3): the definitions, trading status and books in force then.",
        "",
        "Examples:",
        "  tickbus backtest --dir /data/tb --day 2026-11-20 --stream 2001 \\",
        "      --strategy io.tickbus.client.strategy.examples.MidPriceStrategy",
        "  tickbus backtest --dir /data/tb --day 2026-11-20 --stream 2001 --speed 10 \\",
        "      --from 09:30:00 --to 10:00:00 --strategy com.example.MyStrategy"})
public final class BacktestCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RecordedDayOptions recorded;

    @CommandLine.Mixin
    MessageSelection selection;

    @Option(names = "--strategy", paramLabel = "CLASS", required = true, description = "Strategy class name.")
    String strategyClass;

    @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "America/New_York",
        description = "Time zone of displayed times (default America/New_York).")
    String zone;

    @Option(names = "--iso-times", description = "Display times as full ISO-8601 date-times, not times of day.")
    boolean isoTimes;

    @Option(names = "--no-progress", description = "No progress line on stderr (it is off without a terminal).")
    boolean noProgress;

    @Option(names = "--speed", paramLabel = "X|max", defaultValue = "max",
        description = "Replay pace by exchange time: 1 = as recorded, 10 = ten times faster, max (default).")
    String speed;

    @Option(names = "--replay-stream", paramLabel = "S", defaultValue = "0",
        description = "Private IPC stream the day is replayed on (default: the first free one from 9301).")
    int replayStream;

    @Option(names = "--recap", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "With --from, first deliver the definitions, trading status and books in force then (default).")
    boolean recap;

    @Option(names = "--timeout", paramLabel = "T", defaultValue = "1h",
        description = "Give up when the replay takes longer (default 1h).")
    String timeout;

    /**
     * @return 0 on a complete backtest.
     * @throws Exception on a failure to reach the archive.
     */
    public Integer call() throws Exception
    {
        final DayReplayer.Context replay = recorded.replayContext().recap(recap);
        final double factor = DayReplayer.Context.parseSpeed(speed);
        final long timeoutNs = CliChecks.duration("--timeout", timeout);
        final ZoneId zoneId = CliChecks.zone("--zone", zone);
        selection.conclude();
        final Strategy strategy = StrategyReport.newStrategy(strategyClass);
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();

        try (StopSignal stop = StopSignal.register();
            RecordedDaySession session = RecordedDaySession.open(recorded.dir, err, "backtest"))
        {
            final StrategyErrors errors = new StrategyErrors(err, "backtest");
            final StrategyHost host = new StrategyHost(strategy, ClockMode.EVENT, ProcessEpochClock.get(), errors);
            final Progress progress = Progress.of(err, "backtest " + recorded.day() + " stream " + recorded.stream,
                session.recordedMessages(recorded.day(), recorded.stream), noProgress);
            host.start();
            final long startNs = System.nanoTime();
            session.replayInto(replay.speed(factor), session.privateStream(replayStream), host, selection,
                progress, stop, timeoutNs);
            host.end();
            errors.flush();
            if (stop.isRequested())
            {
                out.println("tickbus backtest: interrupted after " + host.messageCount() + " messages");
                return TickbusCli.EXIT_RUNTIME;
            }
            StrategyReport.print(out, "backtest of " + strategy.getClass().getSimpleName() + " on " + recorded.day() +
                " stream " + recorded.stream, host, errors.count(), System.nanoTime() - startNs,
                session.firstExchangeTime(), session.lastExchangeTime(), zoneId, isoTimes);
            final DayReplayer.Result replayed = session.lastReplay();
            if (null != replayed && replayed.recapMessagesRead() > 0)
            {
                out.printf(java.util.Locale.ROOT, "recap: %d messages read before --from, %d recap messages in %.3f s%n",
                    replayed.recapMessagesRead(), replayed.recapMessages(), replayed.recapNs() / 1e9);
            }
            return 0 == errors.count() ? TickbusCli.EXIT_OK : TickbusCli.EXIT_RUNTIME;
        }
    }
}
