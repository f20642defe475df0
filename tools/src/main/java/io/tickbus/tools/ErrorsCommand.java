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
        "Read in D: every *-errors.dat file (feed, strategy, subscribe, sequencer client; they",
        "are kept in the directory of the media driver the component uses), the Aeron Archive",
        "mark file (tickbus archive: its mark-file directory) and the Aeron Cluster mark files",
        "(tickbus sequencer: its cluster directory); with --driver-dir also the driver's own",
        "error log in cnc.dat. Where errors go: docs/operations.md.",
        "",
        "Examples:",
        "  tickbus errors",
        "  tickbus errors --driver-dir /dev/shm/tickbus",
        "  tickbus errors --dir /data/tb-seq/member-0/cluster"})
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
        final File[] files = target.listFiles();
        Arrays.sort(files);
        for (final File file : files)
        {
            final String name = file.getName();
            if (ComponentErrors.isErrorsFile(file))
            {
                header(out, file, ComponentErrors.describe(file));
                ComponentErrors.read(file, printer(out));
            }
            else if (ArchiveMarkFile.FILENAME.equals(name))
            {
                try (ArchiveMarkFile markFile = new ArchiveMarkFile(
                    target, name, SystemEpochClock.INSTANCE, 1_000, (msg) -> { }))
                {
                    header(out, file, "Aeron Archive");
                    ErrorLogReader.read(markFile.errorBuffer(), printer(out));
                }
            }
            else if (ClusterMarkFile.isConsensusModuleMarkFile(file.toPath(), null) ||
                ClusterMarkFile.isServiceMarkFile(file.toPath(), null))
            {
                try (ClusterMarkFile markFile = new ClusterMarkFile(
                    target, name, SystemEpochClock.INSTANCE, 1_000, (msg) -> { }))
                {
                    header(out, file, "Aeron Cluster " + markFile.decoder().componentType());
                    ErrorLogReader.read(markFile.errorBuffer(), printer(out));
                }
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

    private void printCnc(final PrintWriter out, final File cnc)
    {
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(cnc, "cnc");
        try
        {
            final UnsafeBuffer metaData = CncFileDescriptor.createMetaDataBuffer(mapped);
            final int version = metaData.getIntVolatile(CncFileDescriptor.cncVersionOffset(0));
            CncFileDescriptor.checkVersion(version);
            final AtomicBuffer errors = CncFileDescriptor.createErrorLogBuffer(mapped, metaData);
            header(out, cnc, "media driver pid=" + CncFileDescriptor.pid(metaData));
            ErrorLogReader.read(errors, printer(out));
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    private void header(final PrintWriter out, final File file, final String what)
    {
        logs++;
        out.println("== " + file.getName() + " (" + what + ")");
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
