package io.tickbus.tools;

import io.tickbus.archive.client.DayReplayer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tickbus export}: a recorded day's normalized messages as CSV files, one per message type, for research.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
        "Export a recorded day of a stream as CSV: one file per message type",
        "(Trade.csv, AddOrder.csv, ...), decoded columns, prices as decimals."},
    footer = {
        "",
        "The archive must be running on --dir (tickbus archive).",
        "",
        "Examples:",
        "  tickbus export --dir /data/tb --day 2026-11-20 --stream 2001 --format csv --out day-csv",
        "  tickbus export --dir /data/tb --day 2026-11-20 --stream 1001 --from 09:30:00 --to 09:35:00 \\",
        "      --format csv --out open-csv"})
public final class ExportCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RecordedDayOptions recorded;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv", description = "csv (the only format).")
    String format;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "tickbus-export",
        description = "Directory for the files (created; default tickbus-export).")
    Path out;

    @Option(names = "--replay-stream", paramLabel = "S", defaultValue = "0",
        description = "Private IPC stream the day is replayed on (default: the first free one from 9301).")
    int replayStream;

    @Option(names = "--timeout", paramLabel = "T", defaultValue = "1h",
        description = "Give up when the export takes longer (default 1h).")
    String timeout;

    /**
     * @return 0 when the whole day was written.
     * @throws Exception on a failure to reach the archive or write a file.
     */
    public Integer call() throws Exception
    {
        if (!"csv".equalsIgnoreCase(format))
        {
            throw new IllegalArgumentException("--format: only csv is supported, got '" + format + "'");
        }
        final DayReplayer.Context replay = recorded.replayContext();
        final long timeoutNs = CliChecks.duration("--timeout", timeout);
        if (Files.exists(out) && !Files.isDirectory(out))
        {
            throw new IllegalArgumentException("--out: not a directory: " + out);
        }
        final PrintWriter console = spec.commandLine().getOut();

        try (StopSignal stop = StopSignal.register();
            RecordedDaySession session = RecordedDaySession.open(recorded.dir, spec.commandLine().getErr(), "export"))
        {
            Files.createDirectories(out);
            final Map<String, Long> rows;
            try (DayCsvWriter writer = new DayCsvWriter(out))
            {
                session.replayInto(replay
                    .speed(0), session.privateStream(replayStream), writer, stop, timeoutNs);
                rows = writer.rows();
            }
            if (stop.isRequested())
            {
                console.println("tickbus export: interrupted; the files in " + out + " are incomplete");
                return TickbusCli.EXIT_RUNTIME;
            }
            long total = 0;
            for (final Map.Entry<String, Long> entry : rows.entrySet())
            {
                console.printf("%-22s %10d rows  %s%n", entry.getKey(), entry.getValue(),
                    out.resolve(entry.getKey() + ".csv"));
                total += entry.getValue();
            }
            console.printf("exported %d rows of %s stream %d to %s%n", total, recorded.day(), recorded.stream, out);
        }
        return TickbusCli.EXIT_OK;
    }
}
