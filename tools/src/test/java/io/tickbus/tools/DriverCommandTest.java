package io.tickbus.tools;

import io.aeron.Aeron;
import io.tickbus.driver.TickbusDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DriverCommandTest
{
    @Test
    void helpShowsExamples()
    {
        final CliRun run = CliRun.run("driver", "--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("--profile") && run.out().contains("Examples"), run.out());
    }

    @Test
    void badProfileAndTermLengthAreUsageErrors()
    {
        final CliRun profile = CliRun.run("driver", "--dir", TickbusDriver.uniqueEmbeddedDir("cli"), "--profile", "x");
        assertEquals(2, profile.exitCode());
        assertTrue(profile.err().contains("small or dedicated"), profile.err());

        final CliRun term = CliRun.run("driver", "--dir", TickbusDriver.uniqueEmbeddedDir("cli"), "--term-length",
            "100k");
        assertEquals(2, term.exitCode());
        assertTrue(term.err().contains("power of two"), term.err());

        final CliRun config = CliRun.run("driver", "--config", "/nonexistent/driver.properties");
        assertEquals(2, config.exitCode());
        assertTrue(config.err().contains("not readable"), config.err());
    }

    @Test
    void theErrorsOfALostClientAreLeftToTheCommandOthersAreNot()
    {
        // The driver closing a paused client's heartbeat counter arrives as a plain AeronException.
        assertTrue(DriverOptions.ClientErrors.isLostClient(
            new io.aeron.exceptions.AeronException("unexpected close of heartbeat timestamp counter: 56")));
        assertTrue(DriverOptions.ClientErrors.isLostClient(new io.aeron.exceptions.DriverTimeoutException("gone")));
        assertFalse(DriverOptions.ClientErrors.isLostClient(
            new io.aeron.exceptions.AeronException("unknown publication")));
        assertFalse(DriverOptions.ClientErrors.isLostClient(new IllegalStateException("bug")));
    }

    @Test
    void runsADriverClientsCanUseThenStopsOnSignal()
    {
        final String dir = TickbusDriver.uniqueEmbeddedDir("cli-driver");
        final CliRun run = CliRun.start("driver", "--dir", dir, "--term-length", "1m");
        try
        {
            CliRun.await("driver running", () -> run.out().contains("tickbus driver running"));
            try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir)))
            {
                assertTrue(aeron.clientId() >= 0);
            }

            // A second driver on the same directory is refused with a one-line reason, exit 1.
            final CliRun second = CliRun.run("driver", "--dir", dir);
            assertEquals(1, second.exitCode());
            assertTrue(second.err().contains("in use by a live media driver"), second.err());
            assertTrue(new File(dir, "cnc.dat").exists(), "the refused driver leaves the live one's directory alone");
        }
        finally
        {
            StopSignal.requestAll();
        }
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("tickbus driver stopped: deleted " + dir), run.out());
        assertFalse(new File(dir).exists(), "a clean stop deletes the directory");
    }

    @Test
    void sigtermDeletesTheDirectoryAfterTheDriverClosedUnlessKeepDir() throws Exception
    {
        final String deleted = TickbusDriver.uniqueEmbeddedDir("cli-driver-term");
        final Process driver = startDriver("--dir", deleted);
        try
        {
            awaitRunning(driver, deleted);
            driver.destroy(); // SIGTERM
            assertTrue(driver.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, driver.exitValue());
            assertFalse(new File(deleted).exists(), "SIGTERM is a clean stop: the directory is gone");
        }
        finally
        {
            driver.destroyForcibly();
            org.agrona.IoUtil.delete(new File(deleted), true);
        }

        final String kept = TickbusDriver.uniqueEmbeddedDir("cli-driver-keep");
        final Process keeping = startDriver("--dir", kept, "--keep-dir");
        try
        {
            awaitRunning(keeping, kept);
            keeping.destroy();
            assertTrue(keeping.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, keeping.exitValue());
            assertTrue(new File(kept, "cnc.dat").exists(), "--keep-dir keeps the directory");
            // and the driver in it is gone: a new one may take the directory at once
            assertFalse(io.aeron.CommonContext.isDriverActive(new File(kept), 1_000, (msg) -> { }));
        }
        finally
        {
            keeping.destroyForcibly();
            org.agrona.IoUtil.delete(new File(kept), true);
        }
    }

    private static Process startDriver(final String... args) throws java.io.IOException
    {
        final String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "-Xmx64m", "-cp", classpath, TickbusCli.class.getName(), "driver", "--term-length", "64k",
            "--ipc-term-length", "64k"));
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    }

    private static void awaitRunning(final Process driver, final String dir)
    {
        CliRun.await("driver running in " + dir, () -> !driver.isAlive() ||
            io.aeron.CommonContext.isDriverActive(new File(dir), 1_000, (msg) -> { }));
        assertTrue(driver.isAlive(), () -> "driver exited early: " + driver.exitValue());
    }
}
