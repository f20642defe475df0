package io.tickbus.tools;

import io.tickbus.archive.DayCatalog;
import io.tickbus.archive.DaySegment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tickbus recordings}: the day catalog of an archive, one line per trading day and stream.
 */
@Command(
    name = "recordings",
    mixinStandardHelpOptions = true,
    description = {"List the recorded days of an archive.", "List the recorded days of an archive: day, stream, messages, bytes, time span."},
    footer = {
        "",
        "Examples:",
        "  tickbus recordings --dir /data/tb",
        "  tickbus recordings --dir /data/tb --json"})
public final class RecordingsCommand implements Callable<Integer>
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @Option(names = "--dir", paramLabel = "D",
        description = "Archive directory (default: ${sys:tickbus.archive.dir:-tickbus-archive}).")
    Path dir;

    @Option(names = "--json", description = "One JSON document: {\"days\":[{\"day\":...,\"stream\":...,...}]}.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public Integer call() throws Exception
    {
        final Path archiveDir = ArchiveCommand.existingArchiveDir(dir);
        final PrintWriter out = spec.commandLine().getOut();
        final DayCatalog catalog;
        try
        {
            catalog = DayCatalog.load(archiveDir);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalStateException("no day catalog in " + archiveDir +
                " (it is written by a running 'tickbus archive --dir " + archiveDir + "')");
        }
        final List<DayCatalog.DaySummary> days = catalog.days();
        final ZoneId zone = catalog.dayRule().zone();
        if (json)
        {
            final StringBuilder sb = new StringBuilder("{\"days\":[");
            for (int i = 0; i < days.size(); i++)
            {
                final DayCatalog.DaySummary d = days.get(i);
                sb.append(i > 0 ? "," : "").append("{\"day\":");
                Json.appendString(sb, d.day().toString());
                sb.append(",\"stream\":").append(d.streamId())
                    .append(",\"messages\":").append(d.messages())
                    .append(",\"bytes\":").append(d.bytes())
                    .append(",\"firstExchangeTime\":").append(d.firstExchangeTime())
                    .append(",\"lastExchangeTime\":").append(d.lastExchangeTime())
                    .append(",\"segments\":[");
                final List<DaySegment> segments = d.segments();
                for (int j = 0; j < segments.size(); j++)
                {
                    final DaySegment s = segments.get(j);
                    sb.append(j > 0 ? "," : "").append("{\"recordingId\":").append(s.recordingId())
                        .append(",\"startPosition\":").append(s.startPosition())
                        .append(",\"stopPosition\":").append(s.stopPosition())
                        .append(",\"messages\":").append(s.messages())
                        .append(",\"closed\":").append(s.isClosed()).append('}');
                }
                sb.append("]}");
            }
            sb.append("],\"zone\":");
            Json.appendString(sb, zone.getId());
            out.println(sb.append('}'));
        }
        else if (days.isEmpty())
        {
            out.println("no recorded days in " + archiveDir);
        }
        else
        {
            out.printf("%-10s  %8s  %12s  %14s  %-12s  %-12s  %s%n",
                "DAY", "STREAM", "MESSAGES", "BYTES", "FIRST", "LAST", "RECORDINGS (" + zone.getId() + ")");
            for (final DayCatalog.DaySummary d : days)
            {
                final StringBuilder ids = new StringBuilder();
                for (final DaySegment s : d.segments())
                {
                    ids.append(ids.length() > 0 ? "," : "").append(s.recordingId());
                }
                out.printf("%-10s  %8d  %12d  %14d  %-12s  %-12s  %s%n", d.day(), d.streamId(), d.messages(),
                    d.bytes(), time(d.firstExchangeTime(), zone), time(d.lastExchangeTime(), zone), ids);
            }
        }
        return TickbusCli.EXIT_OK;
    }

    private static String time(final long epochNs, final ZoneId zone)
    {
        return 0 == epochNs ? "-" : TIME.format(Instant.ofEpochSecond(0, epochNs).atZone(zone));
    }
}
