package io.tickbus.tools;

import io.aeron.CncFileDescriptor;
import io.aeron.archive.ArchiveMarkFile;
import io.aeron.cluster.service.ClusterMarkFile;
import io.tickbus.client.ComponentErrors;
import io.tickbus.tools.stat.CncCounters;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.ErrorConsumer;
import org.agrona.concurrent.errors.ErrorLogReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintWriter;
import java.nio.MappedByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code tickbus errors}: the distinct error logs of Tickbus components and of the Aeron parts they run, read as
 * Aeron's {@code ErrorStat} reads a driver's: each distinct error with its count, first and last time.
 * <p>
 * In a directory it reads every {@code *-errors.dat} file ({@link ComponentErrors}: feed handlers, strategies,
 * subscribers, sequencer clients), the Aeron Archive mark file and the Aeron Cluster mark files; in a media
 * driver's directory also the driver's own error log in {@code cnc.dat}.
 * <p>
 * Threading: the command's thread. Allocation: the printed text.
 */
@Command(
    name = "errors",
    mixinStandardHelpOptions = true,
    description = {
        "Print the distinct errors of components, with counts and times.",
        "Print the distinct error logs of Tickbus components, like Aeron's ErrorStat: each",
        "distinct error with its count and its first and last time (UTC)."},
    footer = {
        "",
        "Read in D: every *-errors.dat file (feed, strategy, subscribe, sequencer",
        "client: kept in the directory of the media driver the component uses), the",
        "Aeron Archive mark file (tickbus archive on a driver: its archive directory)",
        "and the Aeron Cluster mark files. --dir also reads D's subdirectories (a",
        "sequencer member's directory); --driver-dir also the driver's own error log",
        "in cnc.dat. Exit 0 when the logs were read (with errors or none), 1 when D",
        "holds no log, 2 for a missing D.",
        "Where errors go: docs/operations.md.",
        "",
        "Examples:",
        "  tickbus errors",
        "  tickbus errors --driver-dir /dev/shm/tickbus",
        "  tickbus errors --dir /data/tb-seq/member-0",
        "  tickbus errors --dir /data/tb"})
public final class ErrorsCommand implements Callable<Integer>
{
    @Option(names = "--dir", paramLabel = "D",
        description = "A component's directory (archive mark files, cluster directory).")
    File dir;

    @Option(names = "--driver-dir", paramLabel = "D",
        description = "Media driver directory (default: aeron.dir or Aeron's default).")
    File driverDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Most time to wait for a mark file being created to show its header. */
    private static final long MAP_TIMEOUT_MS = 1_000;

    private long distinct;
    private long observations;
    private int logs;

    public Integer call()
    {
        if (null != dir && null != driverDir)
        {
            throw new IllegalArgumentException("--dir and --driver-dir exclude each other");
        }
        final boolean driver = null == dir;
        final File target = null != dir ? dir : null != driverDir ? driverDir : new File(CncCounters.defaultDirectory());
        final String option = null != dir ? "--dir" : "--driver-dir";
        if (!target.isDirectory())
        {
            throw new IllegalArgumentException(option + ": no such directory " + target.getAbsolutePath());
        }
        if (driver && !new File(target, CncFileDescriptor.CNC_FILE).isFile())
        {
            throw new IllegalArgumentException(option + ": no media driver directory (no " +
                CncFileDescriptor.CNC_FILE + ") " + target.getAbsolutePath());
        }

        final PrintWriter out = spec.commandLine().getOut();
        if (driver)
        {
            printCnc(out, new File(target, CncFileDescriptor.CNC_FILE));
        }
        printDirectory(out, target, "");
        if (!driver)
        {
            final File[] subdirs = target.listFiles(File::isDirectory);
            Arrays.sort(subdirs);
            for (final File subdir : subdirs)
            {
                printDirectory(out, subdir, subdir.getName() + File.separator);
            }
        }
        if (0 == logs)
        {
            throw new IllegalStateException("no error log in " + target.getAbsolutePath() +
                " (a component keeps one there only while it runs or after it logged an error)");
        }
        out.println(distinct + " distinct error" + (1 == distinct ? "" : "s") + ", " + observations +
            " observation" + (1 == observations ? "" : "s") + " in " + logs + " log" + (1 == logs ? "" : "s"));
        out.flush();
        return TickbusCli.EXIT_OK;
    }

    private void printDirectory(final PrintWriter out, final File target, final String prefix)
    {
        final File[] files = target.listFiles();
        if (null == files)
        {
            return;
        }
        Arrays.sort(files);
        for (final File file : files)
        {
            final String name = file.getName();
            if (ComponentErrors.isErrorsFile(file))
            {
                header(out, prefix + name, ComponentErrors.describe(file));
                ComponentErrors.read(file, printer(out));
            }
            else if (ArchiveMarkFile.FILENAME.equals(name))
            {
                try (ArchiveMarkFile markFile = new ArchiveMarkFile(
                    target, name, SystemEpochClock.INSTANCE, MAP_TIMEOUT_MS, (msg) -> { }))
                {
                    header(out, prefix + name, "Aeron Archive");
                    ErrorLogReader.read(markFile.errorBuffer(), printer(out));
                }
            }
            else if (ClusterMarkFile.isConsensusModuleMarkFile(file.toPath(), null) ||
                ClusterMarkFile.isServiceMarkFile(file.toPath(), null))
            {
                try (ClusterMarkFile markFile = new ClusterMarkFile(
                    target, name, SystemEpochClock.INSTANCE, MAP_TIMEOUT_MS, (msg) -> { }))
                {
                    header(out, prefix + name, "Aeron Cluster " + markFile.decoder().componentType());
                    ErrorLogReader.read(markFile.errorBuffer(), printer(out));
                }
            }
        }
    }

    private void printCnc(final PrintWriter out, final File cnc)
    {
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(cnc, "cnc");
        try
        {
            final UnsafeBuffer metaData = CncFileDescriptor.createMetaDataBuffer(mapped);
            final int version = metaData.getIntVolatile(CncFileDescriptor.cncVersionOffset(0));
            CncFileDescriptor.checkVersion(version);
            final AtomicBuffer errors = CncFileDescriptor.createErrorLogBuffer(mapped, metaData);
            header(out, cnc.getName(), "media driver pid=" + CncFileDescriptor.pid(metaData));
            ErrorLogReader.read(errors, printer(out));
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    private void header(final PrintWriter out, final String file, final String what)
    {
        logs++;
        out.println("== " + file + " (" + what + ")");
    }

    private ErrorConsumer printer(final PrintWriter out)
    {
        return (count, firstMs, lastMs, encodedException) ->
        {
            distinct++;
            observations += count;
            out.println("count=" + count + " first=" + Instant.ofEpochMilli(firstMs) +
                " last=" + Instant.ofEpochMilli(lastMs));
            out.println(encodedException.stripTrailing());
        };
    }
}
