package io.tickbus.tools;

import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import io.tickbus.archive.DayCatalog;
import io.tickbus.archive.TickbusArchive;
import io.tickbus.archive.client.DayReplayer;
import io.tickbus.archive.client.ReplayProgress;
import org.agrona.CloseHelper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code tickbus replay}: replay a recorded day of a stream to another channel and stream, flat out or paced by
 * the recorded exchange times, ending with an EndOfSession message carrying endOfReplay=1.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {"Replay a recorded day of a stream to another stream.", "Replay a recorded day of a stream (same bytes, same order) to another stream, paced or flat out."},
    footer = {
        "",
        "The archive must be running on --dir (tickbus archive).",
        "Times are in the catalog's day zone; --from is inclusive, --to exclusive.",
        "A subscriber must be on the target within --connect-timeout.",
        "Ends with an EndOfSession message with endOfReplay=1.",
        "With --from, a recap (flags bit 3) comes first: definitions, trading status",
        "and books in force then (docs/archive.md). Prints a JSON summary last.",
        "",
        "Examples:",
        "  tickbus replay --dir /data/tb --day 2026-11-20 --stream 1001 \\",
        "      --channel aeron:ipc --to-stream 9001",
        "  tickbus replay --dir /data/tb --day 2026-11-20 --stream 1001 --speed 10 \\",
        "      --from 09:30:00 --to 10:00:00 --channel aeron:ipc --to-stream 9001"})
public final class ReplayCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RecordedDayOptions recorded;

    @Option(names = "--speed", paramLabel = "X|max", defaultValue = "max",
        description = "Pace by recorded exchange time times X (1 = as recorded), or max for flat out (default).")
    String speed;

    @Option(names = "--channel", paramLabel = "C", required = true, description = "Target channel, e.g. aeron:ipc.")
    String channel;

    @Option(names = "--to-stream", paramLabel = "S2", required = true, description = "Target stream id.")
    int toStream;

    @Option(names = "--connect-timeout", paramLabel = "T", defaultValue = "10s",
        description = "How long to wait for a subscriber on the target (default: 10s).")
    String connectTimeout;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Draw a progress bar on stderr (default: on).")
    boolean progress;

    @Option(names = "--recap", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "With --from, first send the definitions, trading status and books in force then (default).")
    boolean recap;

    public Integer call() throws Exception
    {
        final DayReplayer.Context replay = recorded.replayContext().recap(recap);
        final double factor = DayReplayer.Context.parseSpeed(speed);
        CliChecks.channel("--channel", channel);
        final long timeoutNs = CliChecks.duration("--connect-timeout", connectTimeout);
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        try (RecordedDaySession session = RecordedDaySession.open(recorded.dir, err, "replay"))
        {
            final ReplayProgress bar = progress ? new ProgressBar(err) : null;
            try (DayReplayer replayer = session.replayer(replay
                .speed(factor)
                .target(channel, toStream)
                .connectTimeoutNs(timeoutNs)
                .progress(bar)))
            {
                final long startNs = System.nanoTime();
                final DayReplayer.Result result = replayer.run();
                final double seconds = (System.nanoTime() - startNs) / 1e9;
                out.printf(Locale.ROOT, "replayed %d messages (%d bytes) of %s stream %d to %s stream %d in %.3f s%n",
                    result.messages(), result.bytes(), recorded.day(), recorded.stream, channel, toStream, seconds);
                out.println(summary(result, seconds));
            }
        }
        return TickbusCli.EXIT_OK;
    }

    /**
     * @param result what the replay did.
     * @param seconds its wall time.
     * @return the one-line JSON summary: window messages, bytes (recap included), seconds, repeats skipped,
     *     back-pressured offers, recap messages read and sent, recap seconds.
     */
    static String summary(final DayReplayer.Result result, final double seconds)
    {
        return String.format(Locale.ROOT, "{\"messages\":%d,\"bytes\":%d,\"seconds\":%.3f,\"repeats\":%d," +
            "\"backPressured\":%d,\"recapMessagesRead\":%d,\"recapMessages\":%d,\"recapSeconds\":%.3f}",
            result.messages(), result.bytes(), seconds, result.repeats(), result.backPressured(),
            result.recapMessagesRead(), result.recapMessages(), result.recapNs() / 1e9);
    }

    /** A one-line progress bar redrawn with a carriage return. */
    static final class ProgressBar implements ReplayProgress
    {
        private static final int WIDTH = 40;
        private final PrintWriter err;

        ProgressBar(final PrintWriter err)
        {
            this.err = err;
        }

        public void onProgress(final long messages, final long bytesDone, final long bytesTotal, final boolean finished)
        {
            final double fraction = bytesTotal <= 0 ? 1.0 : Math.min(1.0, (double)bytesDone / bytesTotal);
            final int filled = (int)(fraction * WIDTH);
            err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " +
                String.format("%5.1f%% %d messages", fraction * 100, messages));
            if (finished)
            {
                err.println();
            }
            err.flush();
        }
    }
}
