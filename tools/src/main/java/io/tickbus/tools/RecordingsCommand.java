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
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code tickbus recordings}: the day catalog of an archive, one line per trading day and stream.
 */
@Command(
    name = "recordings",
    mixinStandardHelpOptions = true,
    description = {
        "List the recorded days of an archive.",
        "List the recorded days of an archive: one row per day and stream with its",
        "messages, bytes, first and last exchange time (in the catalog's zone) and",
        "how it was recorded, e.g. \"1 recording, 2 segments\" (a new segment",
        "begins with a new recording and after an end of session)."},
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
        else
        {
            for (final String line : table(days, zone, archiveDir))
            {
                out.println(line);
            }
        }
        return TickbusCli.EXIT_OK;
    }

    /**
     * The catalog as people read it: a heading that says in words how many days and streams and the zone of the
     * times, then one row per day and stream whose last column says how it was recorded ("1 recording, 2 segments").
     *
     * @param days the catalog's days.
     * @param zone the catalog's zone (the times are shown in it).
     * @param archiveDir the archive, named in the heading.
     * @return the lines to print.
     */
    static List<String> table(final List<DayCatalog.DaySummary> days, final ZoneId zone, final Path archiveDir)
    {
        final List<String> lines = new ArrayList<>();
        if (days.isEmpty())
        {
            lines.add("no recorded days in " + archiveDir);
            return lines;
        }
        final Set<LocalDate> distinctDays = new HashSet<>();
        final Set<Integer> streams = new HashSet<>();
        for (final DayCatalog.DaySummary d : days)
        {
            distinctDays.add(d.day());
            streams.add(d.streamId());
        }
        lines.add(heading(distinctDays.size(), streams.size(), archiveDir, zone));
        lines.add(String.format(Locale.ROOT, "%-10s  %6s  %12s  %10s  %-12s  %-12s  %s",
            "DAY", "STREAM", "MESSAGES", "BYTES", "FIRST", "LAST", "RECORDED AS"));
        for (final DayCatalog.DaySummary d : days)
        {
            final Set<Long> recordingIds = new HashSet<>();
            for (final DaySegment s : d.segments())
            {
                recordingIds.add(s.recordingId());
            }
            lines.add(String.format(Locale.ROOT, "%-10s  %6d  %,12d  %10s  %-12s  %-12s  %s", d.day(), d.streamId(),
                d.messages(), Sizes.format(d.bytes()), time(d.firstExchangeTime(), zone),
                time(d.lastExchangeTime(), zone), recordedAs(recordingIds.size(), d.segments().size())));
        }
        return lines;
    }

    /**
     * @param days distinct trading days.
     * @param streams distinct streams.
     * @param archiveDir the archive.
     * @param zone the zone of the times.
     * @return e.g. "1 recorded day of 2 streams in /data/tb (times of day in UTC)".
     */
    static String heading(final int days, final int streams, final Path archiveDir, final ZoneId zone)
    {
        return count(days, "recorded day", "recorded days") + " of " + count(streams, "stream", "streams") + " in " +
            archiveDir + " (times of day in " + zone.getId() + ")";
    }

    /**
     * @param recordings distinct recordings holding a day of a stream.
     * @param segments the segments they hold of it.
     * @return e.g. "1 recording, 2 segments".
     */
    static String recordedAs(final int recordings, final int segments)
    {
        return count(recordings, "recording", "recordings") + ", " + count(segments, "segment", "segments");
    }

    private static String count(final int n, final String one, final String many)
    {
        return n + " " + (1 == n ? one : many);
    }

    private static String time(final long epochNs, final ZoneId zone)
    {
        return 0 == epochNs ? "-" : TIME.format(Instant.ofEpochSecond(0, epochNs).atZone(zone));
    }
}
