package io.tickbus.tools;

import io.aeron.ChannelUriStringBuilder;
import io.tickbus.archive.PurgeReport;
import io.tickbus.archive.TickbusArchive;
import io.tickbus.archive.TradingDayRule;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code tickbus archive}: run the Tickbus archive (Aeron Archive, day catalog, time index) recording the given
 * streams until Ctrl-C, and, as a replica, replicating another host's archive ({@code --replicate-from}); {@code
 * tickbus archive purge} applies retention to a stopped archive.
 */
@Command(
    name = "archive",
    mixinStandardHelpOptions = true,
    subcommands = ArchiveCommand.Purge.class,
    description = {"Run the archive that records Tickbus streams.", "Run Aeron Archive recording Tickbus streams, with the day catalog and time index (docs/archive.md)."},
    footer = {
        "",
        "CHANNEL:STREAM splits at the last colon:",
        "  aeron:udp?endpoint=127.0.0.1:40456:1001 is stream 1001.",
        "",
        "Control authentication: TICKBUS_ARCHIVE_SECRET_FILE=FILE (holds the secret)",
        "  or TICKBUS_ARCHIVE_SECRET; replay, backtest and export read the same ones.",
        "  Required when --control-channel is not on loopback. Never an argument.",
        "  A replica presents TICKBUS_ARCHIVE_SOURCE_SECRET[_FILE] to its source,",
        "  or its own secret when those are not set.",
        "  Read-only clients: TICKBUS_ARCHIVE_READER_SECRET[_FILE] on the archive is a",
        "  second secret that may list and replay (and replicate from here) but never",
        "  record, stop, truncate or purge; such a client sets it as its",
        "  TICKBUS_ARCHIVE_SECRET. Refusals: tickbus-archive control reader-denied.",
        "",
        "Examples:",
        "  tickbus archive --dir /data/tb --record aeron:ipc:1001 --record aeron:ipc:2001",
        "  tickbus archive --dir /data/tb --driver-dir /dev/shm/tb --record aeron:ipc:1",
        "  tickbus archive --dir /data/cme --day-zone America/Chicago --day-roll 17:00 \\",
        "      --record aeron:ipc:3001",
        "  tickbus archive --dir /data/tb --record aeron:ipc:1001 --retain-days 30",
        "  tickbus archive --dir /data/replica --replicate-from 10.0.1.30:45010 \\",
        "      --replicate-stream 1001 \\",
        "      --replication-channel 'aeron:udp?endpoint=10.0.1.31:0'",
        "  tickbus archive purge --dir /data/tb --older-than 30"})
public final class ArchiveCommand implements Callable<Integer>
{
    private static final List<StopSignal> RUNNING = new CopyOnWriteArrayList<>();
    private static final long RETENTION_INTERVAL_NS = java.util.concurrent.TimeUnit.HOURS.toNanos(1);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", paramLabel = "D",
        description = "Archive directory (created if missing; default: ${sys:tickbus.archive.dir:-tickbus-archive}).")
    Path dir;

    @Option(names = "--record", paramLabel = "CHANNEL:STREAM",
        description = "A stream to record from start-up, e.g. aeron:ipc:1001 (repeatable).")
    List<String> records = new java.util.ArrayList<>();

    @Option(names = "--driver-dir", paramLabel = "DIR",
        description = "Use a running media driver (tickbus driver) instead of an embedded one.")
    String driverDir;

    @Option(names = "--control-channel", paramLabel = "URI",
        description = "UDP control channel for remote archive clients; 'none' for local clients only " +
            "(default: " + TickbusArchive.Configuration.CONTROL_CHANNEL_DEFAULT + ").")
    String controlChannel;

    @Option(names = "--day-zone", paramLabel = "ZONE", defaultValue = "UTC",
        description = "Time zone of the trading day (default: UTC).")
    String zone;

    @Option(names = "--day-roll", paramLabel = "HH:MM", defaultValue = "00:00",
        description = "Time of day a trading day begins when no EndOfSession closed the last one (default: 00:00).")
    String roll;

    @Option(names = "--index-granularity", paramLabel = "T", defaultValue = "1s",
        description = "Time index granularity (default: 1s).")
    String granularity;

    @Option(names = "--segment-length", paramLabel = "SIZE",
        description = "Archive segment file length, a power of two at least the term length (default: Aeron's 128m).")
    String segmentLength;

    @Option(names = "--retain-days", paramLabel = "N",
        description = "Retention: at start-up and every hour, purge whole days older than N days (default: keep all).")
    Integer retainDays;

    @Option(names = "--replicate-from", paramLabel = "HOST:PORT",
        description = "Replica: replicate from the archive whose UDP control channel is HOST:PORT, following its " +
            "recording live (Aeron Archive replication).")
    String replicateFrom;

    @Option(names = "--replicate-stream", paramLabel = "S",
        description = "Replica: the stream whose newest recording on the source is replicated (repeatable).")
    List<Integer> replicateStreams = new java.util.ArrayList<>();

    @Option(names = "--replication-channel", paramLabel = "URI",
        description = "Replica: where the source sends, aeron:udp?endpoint=THIS_HOST:PORT (port 0: ephemeral; " +
            "default: " + TickbusArchive.Configuration.REPLICATION_CHANNEL_DEFAULT + ").")
    String replicationChannel;

    @Option(names = "--replicate-timeout", paramLabel = "T", defaultValue = "60s",
        description = "Replica: how long to wait for the source to answer and hold a recording (default: 60s).")
    String replicateTimeout;

    @Option(names = "--duration", paramLabel = "T", description = "Stop after this long, e.g. 8h (default: until Ctrl-C).")
    String duration;

    public Integer call() throws Exception
    {
        final TickbusArchive.Context ctx = new TickbusArchive.Context()
            .dayRule(TradingDayRule.parse(zone, roll))
            .indexGranularityNs(CliChecks.duration("--index-granularity", granularity))
            .aeronDirectoryName(driverDir);
        if (null != dir)
        {
            ctx.archiveDir(dir);
        }
        if (null != controlChannel)
        {
            ctx.controlChannel("none".equalsIgnoreCase(controlChannel) ? null :
                CliChecks.channel("--control-channel", controlChannel));
        }
        if (null != segmentLength)
        {
            ctx.segmentFileLength(Sizes.parseInt(segmentLength));
        }
        for (final String spec : records)
        {
            TickbusArchive.Context.parseRecording(spec);
            CliChecks.channel("--record", spec.substring(0, spec.lastIndexOf(':')));
            ctx.record(spec);
        }
        if (null != driverDir && !Files.isDirectory(Paths.get(driverDir)))
        {
            throw new IllegalArgumentException("--driver-dir: no media driver directory " + driverDir);
        }
        final String srcControlChannel = replicationSource();
        if (null != replicationChannel)
        {
            ctx.replicationChannel(CliChecks.channel("--replication-channel", replicationChannel));
        }
        final long replicateTimeoutMs = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(
            CliChecks.positive("--replicate-timeout", CliChecks.duration("--replicate-timeout", replicateTimeout)));
        final long durationNs = CliChecks.duration("--duration", duration);
        if (null != retainDays)
        {
            CliChecks.notNegative("--retain-days", retainDays);
        }
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        ctx.errorHandler((ex) ->
        {
            err.println("tickbus archive: error: " + ex.getMessage());
            err.flush();
        });

        try (StopSignal stop = StopSignal.register())
        {
            RUNNING.add(stop);
            try (TickbusArchive archive = TickbusArchive.launch(ctx))
            {
                out.println("tickbus archive running: dir=" + archive.archiveDir() + " driver=" +
                    archive.aeronDirectoryName() + " recording=" + (records.isEmpty() ? "nothing" : records) +
                    " control-auth=" + (archive.context().controlAuthenticated() ? "on" : "off") +
                    " (Ctrl-C to stop)");
                out.flush();
                for (final int streamId : replicateStreams)
                {
                    final long replicationId = archive.replicate(srcControlChannel, streamId, null, replicateTimeoutMs);
                    out.println("tickbus archive replicating: stream " + streamId + " from " + replicateFrom +
                        " (replication " + replicationId + ")");
                    out.flush();
                }
                final long deadline = durationNs > 0 ? System.nanoTime() + durationNs : Long.MAX_VALUE;
                long nextRetentionNs = System.nanoTime();
                while (!stop.isRequested() && System.nanoTime() - deadline < 0)
                {
                    if (null != retainDays && System.nanoTime() - nextRetentionNs >= 0)
                    {
                        nextRetentionNs = System.nanoTime() + RETENTION_INTERVAL_NS;
                        if (archive.awaitCatalogCaughtUp(10_000))
                        {
                            final PurgeReport report = archive.purge(
                                retainDays, LocalDate.now(ctx.dayRule().zone()));
                            report.purged().forEach((line) -> out.println("retention: purged  " + line));
                            report.skipped().forEach((line) -> out.println("retention: skipped " + line));
                            out.flush();
                        }
                    }
                    Thread.sleep(20);
                }
                archive.flushCatalog();
                out.println("tickbus archive stopped: indexed " + archive.counters().indexedMessages() +
                    " messages, " + archive.counters().errors() + " errors");
            }
            finally
            {
                RUNNING.remove(stop);
            }
        }
        return TickbusCli.EXIT_OK;
    }

    /**
     * @return the source archive's control channel from {@code --replicate-from}, or null when not a replica.
     * @throws IllegalArgumentException when the replication options are inconsistent or malformed.
     */
    private String replicationSource()
    {
        if (null == replicateFrom)
        {
            if (!replicateStreams.isEmpty())
            {
                throw new IllegalArgumentException("--replicate-stream needs --replicate-from HOST:PORT");
            }
            return null;
        }
        if (replicateStreams.isEmpty())
        {
            throw new IllegalArgumentException("--replicate-from needs at least one --replicate-stream S");
        }
        final int colon = replicateFrom.lastIndexOf(':');
        if (colon < 1)
        {
            throw new IllegalArgumentException("--replicate-from wants HOST:PORT, e.g. 10.0.1.30:45010: '" +
                replicateFrom + "'");
        }
        final int port;
        try
        {
            port = Integer.parseInt(replicateFrom.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--replicate-from port is not a number: '" + replicateFrom + "'");
        }
        CliChecks.port("--replicate-from", port);
        return CliChecks.channel("--replicate-from", new ChannelUriStringBuilder().media("udp")
            .endpoint(replicateFrom.substring(0, colon) + ":" + port).build());
    }

    /** Test hook: ask every archive command running in this JVM to stop, as Ctrl-C would. */
    static void requestStopAll()
    {
        for (final StopSignal signal : RUNNING)
        {
            signal.request();
        }
    }

    /**
     * {@code tickbus archive purge}: remove whole trading days older than N days (the archive at the directory
     * must not be running; use retention in the running process otherwise).
     */
    @Command(
        name = "purge",
        mixinStandardHelpOptions = true,
        description = "Remove whole recorded days older than N days from a stopped archive; never a day being replayed.",
        footer = {
            "",
            "Examples:",
            "  tickbus archive purge --dir /data/tb --older-than 30",
            "  tickbus archive purge --dir /data/tb --older-than 0 --today 2026-11-20"})
    public static final class Purge implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--dir", paramLabel = "D", description = "Archive directory.")
        Path dir;

        @Option(names = "--older-than", paramLabel = "N", required = true,
            description = "Keep today and the N days before it, e.g. 30 or 30d.")
        String olderThan;

        @Option(names = "--today", paramLabel = "YYYY-MM-DD", description = "Today's trading day (default: the " +
            "current date in the catalog's zone).")
        String today;

        public Integer call() throws Exception
        {
            final Path archiveDir = ArchiveCommand.existingArchiveDir(dir);
            final PrintWriter out = spec.commandLine().getOut();
            final String n = olderThan.trim().toLowerCase();
            final int days;
            try
            {
                days = Integer.parseInt(n.endsWith("d") ? n.substring(0, n.length() - 1) : n);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("--older-than wants a number of days, e.g. 30: '" + olderThan + "'");
            }
            if (days < 0)
            {
                throw new IllegalArgumentException("--older-than must not be negative: " + days);
            }
            final TickbusArchive.Context ctx = new TickbusArchive.Context().archiveDir(archiveDir).controlChannel(null);
            try (TickbusArchive archive = TickbusArchive.launch(ctx))
            {
                if (!archive.awaitCatalogCaughtUp(60_000))
                {
                    throw new IllegalStateException("day catalog did not catch up with the archive within 60 s");
                }
                final ZoneId zone = ctx.dayRule().zone();
                final LocalDate todayDate = null == today ? LocalDate.now(zone) : parseDay("--today", today);
                final PurgeReport report = archive.purge(days, todayDate);
                for (final String line : report.purged())
                {
                    out.println("purged  " + line);
                }
                for (final String line : report.skipped())
                {
                    out.println("skipped " + line);
                }
                out.println("purge: " + report.purged().size() + " day(s) purged, " + report.skipped().size() +
                    " skipped, keeping days from " + todayDate.minusDays(days));
            }
            return TickbusCli.EXIT_OK;
        }
    }

    /**
     * @param dir the --dir option or null for the default.
     * @return the archive directory, which exists.
     * @throws IllegalArgumentException when it does not.
     */
    static Path existingArchiveDir(final Path dir)
    {
        final Path archiveDir = null != dir ? dir : Paths.get(System.getProperty(
            TickbusArchive.Configuration.DIR_PROP_NAME, TickbusArchive.Configuration.DIR_DEFAULT));
        if (!Files.isDirectory(archiveDir))
        {
            throw new IllegalArgumentException("--dir: no archive directory " + archiveDir.toAbsolutePath());
        }
        return archiveDir.toAbsolutePath();
    }

    /**
     * @param option for the message.
     * @param text YYYY-MM-DD.
     * @return the date.
     */
    static LocalDate parseDay(final String option, final String text)
    {
        try
        {
            return LocalDate.parse(text.trim());
        }
        catch (final DateTimeParseException ex)
        {
            throw new IllegalArgumentException(option + " wants a date YYYY-MM-DD: '" + text + "'");
        }
    }
}
