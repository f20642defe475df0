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
        }
        finally
        {
            StopSignal.requestAll();
        }
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("tickbus driver stopped"), run.out());
        org.agrona.IoUtil.delete(new File(dir), true);
        assertFalse(new File(dir).exists());
    }
}
