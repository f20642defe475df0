package io.tickbus.tools;

import io.aeron.Aeron;
import io.tickbus.client.ComponentErrors;
import io.tickbus.test.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tickbus errors} over a component's errors file on a real embedded media driver, the driver's own log, and
 * the usage errors; {@code tickbus stat} shows the component's errors counter.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ErrorsCommandTest
{
    private static final Pattern COUNT_AND_TIMES = Pattern.compile(
        "count=2 first=\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z last=\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\\R" +
        "java.lang.IllegalStateException: venue line down");

    @TempDir
    File tmp;

    private EmbeddedDriver driver;
    private Aeron aeron;
    private ComponentErrors errors;

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(errors, driver);
    }

    @Test
    void aComponentsErrorIsPrintedWithItsCountAndTimesAndCountedInStat()
    {
        driver = EmbeddedDriver.launch("errors-cmd");
        aeron = driver.aeron();
        errors = ComponentErrors.create(aeron, "feed-itch", null);
        final IllegalStateException ex = new IllegalStateException("venue line down");
        errors.errorHandler().onError(ex);
        errors.errorHandler().onError(ex);
        assertEquals(2, errors.counter().get());

        try (CliRun run = CliRun.run("errors", "--driver-dir", driver.directory()))
        {
            assertEquals(0, run.exitCode(), run.err());
            final String out = run.out();
            assertTrue(out.contains("== cnc.dat (media driver pid="), out);
            assertTrue(out.contains("(feed-itch pid=" + ProcessHandle.current().pid() + ")"), out);
            assertTrue(COUNT_AND_TIMES.matcher(out).find(), out);
            assertTrue(out.contains("1 distinct error, 2 observations in 2 logs"), out);
        }
        try (CliRun run = CliRun.run("stat", "--once", "--driver-dir", driver.directory()))
        {
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(Pattern.compile("\\s2\\s+\\S+\\s+tickbus errors: feed-itch").matcher(run.out()).find(), run.out());
            assertTrue(run.out().contains("errors  driver 0  tickbus 2  archive 0  cluster 0  (details: tickbus errors)"),
                run.out());
        }
    }

    @Test
    void aDirectoryOfErrorsFilesIsReadWithoutADriver() throws Exception
    {
        final org.agrona.concurrent.status.AtomicCounter counter =
            new org.agrona.concurrent.status.AtomicCounter(new org.agrona.concurrent.UnsafeBuffer(new byte[64]), 0);
        errors = ComponentErrors.create(tmp, "strategy-mid", null, counter);
        final IllegalStateException ex = new IllegalStateException("venue line down");
        errors.errorHandler().onError(ex);
        errors.errorHandler().onError(ex);
        errors.close();
        try (CliRun run = CliRun.run("errors", "--dir", tmp.getPath()))
        {
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(COUNT_AND_TIMES.matcher(run.out()).find(), run.out());
        }
    }

    @Test
    void aFeedsMalformedInputLandsInItsErrorsFileInTheDriverDirectory() throws Exception
    {
        driver = EmbeddedDriver.launch("errors-feed");
        aeron = driver.aeron();
        final File day = new File(tmp, "day.itch");
        try (CliRun sim = CliRun.run("simulate", "--venue", "itch5", "--symbols", "5", "--count", "200",
            "--rate", "max", "--seed", "5", "--to", day.getPath()))
        {
            assertEquals(0, sim.exitCode(), sim.err());
        }
        java.nio.file.Files.write(day.toPath(), new byte[]{0}, java.nio.file.StandardOpenOption.APPEND);
        try (io.aeron.Subscription subscription = aeron.addSubscription("aeron:ipc", 1571);
            CliRun feed = CliRun.run("feed", "--venue", "itch5", "--from", day.getPath(), "--speed", "max",
                "--feed-id", "7", "--channel", "aeron:ipc", "--stream", "1571",
                "--driver-dir", driver.directory()))
        {
            assertTrue(feed.err().contains("ITCH file ends inside a length prefix"), feed.err());
        }
        try (CliRun run = CliRun.run("errors", "--driver-dir", driver.directory()))
        {
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(Pattern.compile("== feed-itch5-7-\\d+-errors.dat \\(feed-itch5-7 pid=\\d+\\)\\R" +
                "count=1 first=\\S+Z last=\\S+Z\\R" +
                "io.tickbus.feed.MalformedInputException: .*ITCH file ends inside a length prefix")
                .matcher(run.out()).find(), run.out());
        }
    }

    @Test
    void aSequencerMembersDirectoryShowsItsClusterAndArchiveLogs()
    {
        try (io.tickbus.sequencer.SequencerNode node = io.tickbus.sequencer.SequencerNode.launchEmbedded(
            "errors-seq", 15700))
        {
            try (CliRun run = CliRun.run("errors", "--dir", node.context().baseDir().getPath()))
            {
                assertEquals(0, run.exitCode(), run.err());
                final String out = run.out();
                assertTrue(out.contains("== cluster" + File.separator + "cluster-mark.dat (Aeron Cluster CONSENSUS_MODULE)"),
                    out);
                assertTrue(out.contains("(Aeron Cluster CONTAINER)"), out);
                assertTrue(out.contains("== archive" + File.separator + "archive-mark.dat (Aeron Archive)"), out);
            }
        }
    }

    @Test
    void anArchiveErrorLandsInItsMarkFileLogAndCounters() throws Exception
    {
        final File archiveDir = new File(tmp, "archive");
        final File markDir = new File(tmp, "mark");
        assertTrue(archiveDir.mkdirs() && markDir.mkdirs());
        java.nio.file.Files.writeString(
            archiveDir.toPath().resolve(io.tickbus.archive.DayCatalog.FILE_NAME), "not a catalog\n");
        try (io.tickbus.archive.TickbusArchive archive = io.tickbus.archive.TickbusArchive.launch(
            new io.tickbus.archive.TickbusArchive.Context()
                .archiveDir(archiveDir.toPath())
                .markFileDir(markDir.toPath())
                .controlChannel(null)))
        {
            assertTrue(String.valueOf(archive.lastError()).contains("day catalog unreadable"),
                String.valueOf(archive.lastError()));
            assertEquals(1, archive.counters().errors());
            try (CliRun run = CliRun.run("errors", "--dir", markDir.getPath()))
            {
                assertEquals(0, run.exitCode(), run.err());
                final String out = run.out();
                assertTrue(out.contains("== archive-mark.dat (Aeron Archive)"), out);
                assertTrue(Pattern.compile("count=1 first=\\S+Z last=\\S+Z\\R" +
                    "java.io.IOException: day catalog unreadable").matcher(out).find(), out);
            }
        }
    }

    @Test
    void aMissingDirectoryIsAUsageErrorAndAnEmptyOneARuntimeError()
    {
        final String missing = new File(tmp, "nope").getPath();
        try (CliRun run = CliRun.run("errors", "--dir", missing))
        {
            assertEquals(2, run.exitCode());
            assertTrue(run.err().contains("--dir: no such directory"), run.err());
        }
        try (CliRun run = CliRun.run("errors", "--driver-dir", tmp.getPath()))
        {
            assertEquals(2, run.exitCode());
            assertTrue(run.err().contains("--driver-dir: no media driver directory"), run.err());
        }
        try (CliRun run = CliRun.run("errors", "--dir", tmp.getPath()))
        {
            assertEquals(1, run.exitCode());
            assertEquals(1, run.err().lines().count(), run.err());
            assertTrue(run.err().contains("no error log in"), run.err());
        }
    }
}
