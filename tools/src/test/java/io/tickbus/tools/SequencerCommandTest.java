package io.tickbus.tools;

import io.tickbus.driver.TickbusDriver;
import io.tickbus.sequencer.SequencerNode;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(90)
class SequencerCommandTest
{
    private final File dir = new File(TickbusDriver.uniqueEmbeddedDir("seq-cmd"));

    @AfterEach
    void tearDown()
    {
        IoUtil.delete(dir, true);
    }

    private static int run(final StringWriter out, final StringWriter err, final String... args)
    {
        return TickbusCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpShowsExamplesAndExitsZero()
    {
        final StringWriter out = new StringWriter();
        assertEquals(0, run(out, new StringWriter(), "sequencer", "--help"));
        assertTrue(out.toString().contains("--member-id"), out.toString());
        assertTrue(out.toString().contains("Examples:"), out.toString());
    }

    @Test
    void usageErrorsExitTwoWithAReason() throws Exception
    {
        assertUsage("Missing required option", "sequencer", "--member-id", "0", "--dir", dir.getPath());
        assertUsage("not host:portBase", "sequencer", "--member-id", "0", "--members", "localhost", "--dir",
            dir.getPath(), "--allow-any-feed");
        assertUsage("member id 3 is not in", "sequencer", "--member-id", "3", "--members",
            "127.0.0.1:23300,127.0.0.1:23310", "--dir", dir.getPath(), "--allow-any-feed");
        assertUsage("unknown driver profile", "sequencer", "--member-id", "0", "--members", "127.0.0.1:23300",
            "--dir", dir.getPath(), "--allow-any-feed", "--profile", "huge");
        assertUsage("invalid channel", "sequencer", "--member-id", "0", "--members", "127.0.0.1:23300",
            "--dir", dir.getPath(), "--allow-any-feed", "--sequenced-channel", "aeron:udp");
        assertUsage("credentials file not readable", "sequencer", "--member-id", "0", "--members",
            "127.0.0.1:23300", "--dir", dir.getPath(), "--credentials", dir.getPath() + "/missing.properties");
        assertUsage("idle max park must be between 1us and 1s", "sequencer", "--member-id", "0", "--members",
            "127.0.0.1:23300", "--dir", dir.getPath(), "--allow-any-feed", "--idle-max-park", "2s");
        // a value of the --config file is not overridden by an option the command line did not give
        final File config = new File(dir.getPath() + "-config.properties");
        Files.writeString(config.toPath(), SequencerNode.Context.LEADER_HEARTBEAT_TIMEOUT_PROP + "=100ms\n");
        try
        {
            assertUsage("leader heartbeat timeout must be at least 200ms", "sequencer", "--member-id", "0",
                "--members", "127.0.0.1:23300", "--dir", dir.getPath(), "--allow-any-feed",
                "--config", config.getPath());
        }
        finally
        {
            IoUtil.delete(config, true);
        }
        final File bad = new File(dir.getPath() + "-bad.properties");
        Files.writeString(bad.toPath(), "feed.x=secret\n");
        try
        {
            assertUsage("feed id is not a number", "sequencer", "--member-id", "0", "--members", "127.0.0.1:23300",
                "--dir", dir.getPath(), "--credentials", bad.getPath());
        }
        finally
        {
            IoUtil.delete(bad, true);
        }
    }

    private static void assertUsage(final String reason, final String... args)
    {
        final StringWriter err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, args), err.toString());
        assertTrue(err.toString().contains(reason), err.toString());
        assertTrue(err.toString().contains("Usage:"), err.toString());
    }

    @Test
    void runsASingleMemberThatBecomesLeaderAndStopsCleanly() throws Exception
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cli = TickbusCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        final SequencerCommand command = (SequencerCommand)cli.getSubcommands().get("sequencer").getCommand();
        command.stop = new CountDownLatch(1);
        final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute(
            "sequencer", "--member-id", "0", "--members", "127.0.0.1:23300", "--dir", dir.getPath(), "--fresh",
            "--allow-any-feed", "--sequenced-channel", "aeron:ipc", "--sequenced-stream", "2001"));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!out.toString().contains("role=LEADER"))
        {
            assertTrue(System.nanoTime() < deadline, "no leader: " + out + err);
            assertTrue(!exit.isDone(), "exited early: " + out + err);
            Thread.sleep(20);
        }
        assertTrue(out.toString().contains("sequenced=aeron:ipc:2001"), out.toString());
        command.stop.countDown();
        assertEquals(0, exit.get(30, TimeUnit.SECONDS), err.toString());
        assertTrue(out.toString().contains("tickbus sequencer stopped"), out.toString());
    }
}
