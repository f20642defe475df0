package io.tickbus.tools;

import io.tickbus.archive.client.DayReplayer;
import io.tickbus.client.MarketDataListener;
import io.tickbus.tools.export.DayParquetWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tickbus export}: a recorded day's normalized messages as CSV or Parquet files, one per message type, for
 * research (pandas, polars, DuckDB). Ends with a JSON summary line: rows per type, bytes, seconds.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
        "Export a recorded day as CSV or Parquet files for research.",
        "Export a recorded day of a stream as CSV or Parquet files, one per message",
        "type (Trade.parquet, TopOfBook.parquet, ...), with typed columns."},
    footer = {
        "",
        "The archive must be running on --dir (tickbus archive). Parquet columns: times",
        "are TIMESTAMP(NANOS, UTC), a price is <name>Mantissa (INT64) plus",
        "<name>Exponent (INT8), symbols and enum names are dictionary-encoded strings,",
        "missing values are null; zstd pages, 64 MiB row groups (docs/export.md).",
        "CSV: missing values are empty fields; times are epoch nanoseconds, or with",
        "--iso-times ISO-8601 in --zone.",
        "",
        "Examples:",
        "  tickbus export --dir /data/tb --day 2026-11-20 --stream 2001 \\",
        "      --format parquet --out day-parquet",
        "  tickbus export --dir /data/tb --day 2026-11-20 --stream 1001 \\",
        "      --from 09:30:00 --to 09:35:00 --symbol AAPL --type Trade,TopOfBook \\",
        "      --format csv --iso-times --out open-csv"})
public final class ExportCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RecordedDayOptions recorded;

    @CommandLine.Mixin
    MessageSelection selection;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv",
        description = "csv (default) or parquet.")
    String format;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "tickbus-export",
        description = "Directory for the files (created; default tickbus-export).")
    Path out;

    @Option(names = "--iso-times", description = "CSV: times as ISO-8601 in --zone, not epoch nanoseconds.")
    boolean isoTimes;

    @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "America/New_York",
        description = "Time zone of displayed times (default America/New_York).")
    String zone;

    @Option(names = "--no-progress", description = "No progress line on stderr (it is off without a terminal).")
    boolean noProgress;

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
        final String kind = format.toLowerCase(Locale.ROOT);
        if (!"csv".equals(kind) && !"parquet".equals(kind))
        {
            throw new IllegalArgumentException("--format: csv or parquet, got '" + format + "'");
        }
        final ZoneId zoneId = CliChecks.zone("--zone", zone);
        final DayReplayer.Context replay = recorded.replayContext().recap(false);
        selection.conclude();
        final long timeoutNs = CliChecks.duration("--timeout", timeout);
        if (Files.exists(out) && !Files.isDirectory(out))
        {
            throw new IllegalArgumentException("--out: not a directory: " + out);
        }
        final PrintWriter console = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();

        try (StopSignal stop = StopSignal.register();
            RecordedDaySession session = RecordedDaySession.open(recorded.dir, err, "export"))
        {
            Files.createDirectories(out);
            final Progress progress = Progress.of(err, "export " + recorded.day() + " stream " + recorded.stream,
                session.recordedMessages(recorded.day(), recorded.stream), noProgress);
            final long startNs = System.nanoTime();
            final Map<String, Long> rows;
            final Map<String, Path> files;
            if ("parquet".equals(kind))
            {
                try (DayParquetWriter writer = new DayParquetWriter(out, selection.instruments(), selection::shows))
                {
                    replay(session, replay, writer, progress, stop, timeoutNs);
                    rows = writer.rows();
                    files = writer.files();
                }
            }
            else
            {
                try (DayCsvWriter writer = new DayCsvWriter(out, selection, isoTimes ? zoneId : null))
                {
                    replay(session, replay, writer, progress, stop, timeoutNs);
                    rows = writer.rows();
                    files = writer.files();
                }
            }
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            if (stop.isRequested())
            {
                err.println("tickbus export: interrupted; the files in " + out + " are incomplete");
                return TickbusCli.EXIT_RUNTIME;
            }
            long total = 0;
            long bytes = 0;
            final StringBuilder json = new StringBuilder(256).append("{\"format\":\"").append(kind)
                .append("\",\"day\":\"").append(recorded.day()).append("\",\"stream\":").append(recorded.stream)
                .append(",\"rows\":{");
            for (final Map.Entry<String, Long> entry : rows.entrySet())
            {
                final Path file = files.get(entry.getKey());
                final long size = size(file);
                console.printf("%-22s %10d rows %12d bytes  %s%n", entry.getKey(), entry.getValue(), size, file);
                json.append(json.charAt(json.length() - 1) == '{' ? "" : ",");
                Json.appendString(json, entry.getKey()).append(':').append(entry.getValue());
                total += entry.getValue();
                bytes += size;
            }
            json.append("},\"totalRows\":").append(total).append(",\"bytes\":").append(bytes)
                .append(",\"seconds\":").append(String.format(Locale.ROOT, "%.3f", seconds))
                .append(",\"rowsPerSecond\":").append(Math.round(total / Math.max(seconds, 1e-9)))
                .append(",\"out\":");
            Json.appendString(json, out.toString()).append('}');
            console.println(json);
        }
        return TickbusCli.EXIT_OK;
    }

    private void replay(
        final RecordedDaySession session,
        final DayReplayer.Context replay,
        final MarketDataListener writer,
        final Progress progress,
        final StopSignal stop,
        final long timeoutNs)
    {
        session.replayInto(replay.speed(0), session.privateStream(replayStream), writer, selection, progress, stop,
            timeoutNs);
    }

    private static long size(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }
}
