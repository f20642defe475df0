package io.tickbus.tools;

import io.aeron.Aeron;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.MarketDataListener;
import io.tickbus.test.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file source never drops: {@code tickbus feed --from FILE --speed max} into a subscriber slower than the file is
 * slowed by the bus's back pressure and delivers every message; {@code --back-pressure drop} is refused for a file;
 * and a file feed whose messages reached nobody, or that dropped any, ends with exit 1 and says how many. IPC only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FileFeedBackPressureTest
{
    private static final int STREAM = 1491;
    /** A small term, so a slow subscriber back-pressures the feed within a few thousand messages. */
    private static final String SMALL_TERM_IPC = "aeron:ipc?term-length=64k";

    @TempDir
    Path tmp;

    private EmbeddedDriver driver;
    private Aeron aeron;

    @BeforeEach
    void setUp()
    {
        driver = EmbeddedDriver.launch("cli-file-feed");
        aeron = driver.aeron();
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(driver);
        assertFalse(driver.directoryExists());
    }

    @Test
    void aSlowSubscriberSlowsTheFileAndGetsEveryMessage() throws Exception
    {
        final Path day = simulatedDay(60_000);
        final AtomicLong received = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        final MarketDataListener counting = new MarketDataListener()
        {
            public void onMessage(
                final DirectBuffer buffer, final int offset, final int length, final int templateId,
                final long position)
            {
                received.incrementAndGet();
            }
        };
        final Thread slow = new Thread(() ->
        {
            try (BusSubscriber subscriber = new BusSubscriber(aeron, SMALL_TERM_IPC, STREAM, counting))
            {
                while (running.get())
                {
                    subscriber.poll(200);
                    sleepQuietly(1); // at most ~200 messages a millisecond: far slower than a file read flat out
                }
            }
        }, "slow-subscriber");
        slow.start();
        try
        {
            final CliRun feed = CliRun.run("feed", "--venue", "itch5", "--from", day.toString(), "--speed", "max",
                "--channel", SMALL_TERM_IPC, "--stream", Integer.toString(STREAM), "--await-subscriber", "10s",
                "--driver-dir", driver.directory(), "--summary");
            assertEquals(0, feed.exitCode(), feed.err());
            final String summary = feed.out().strip();
            final long published = CliRun.jsonLong(summary, "published");
            assertEquals(0, CliRun.jsonLong(summary, "dropped"), summary);
            assertEquals(0, CliRun.jsonLong(summary, "notConnected"), summary);
            assertTrue(CliRun.jsonLong(summary, "backPressured") > 0,
                "the subscriber was slow enough to back-pressure the feed (else this proves nothing): " + summary);
            CliRun.await("every published message received", () -> received.get() >= published);
            Thread.sleep(200);
            assertEquals(published, received.get(), summary);
            assertEquals(CliRun.jsonLong(summary, "messages"), published, "every decoded message published");
        }
        finally
        {
            running.set(false);
            slow.join(10_000);
        }
    }

    @Test
    void dropIsRefusedForAFileAndAFileThatReachedNobodyIsAnError() throws Exception
    {
        final Path day = simulatedDay(2_000);
        final CliRun drop = CliRun.run("feed", "--venue", "itch5", "--from", day.toString(), "--channel", "aeron:ipc",
            "--stream", Integer.toString(STREAM), "--back-pressure", "drop:100us",
            "--driver-dir", driver.directory());
        assertEquals(2, drop.exitCode(), drop.err());
        assertTrue(drop.err().contains("is for live (UDP) sources"), drop.err());

        final CliRun nobody = CliRun.run("feed", "--venue", "itch5", "--from", day.toString(), "--speed", "max",
            "--channel", "aeron:ipc", "--stream", Integer.toString(STREAM), "--driver-dir", driver.directory(),
            "--summary");
        assertEquals(1, nobody.exitCode(), nobody.err());
        assertTrue(nobody.err().contains("messages not published") && nobody.err().contains("with no subscriber"),
            nobody.err());
        assertEquals(CliRun.jsonLong(nobody.out(), "messages"), CliRun.jsonLong(nobody.out(), "notConnected"),
            nobody.out());
        assertFalse(nobody.err().contains("Usage"), "a runtime error, not a usage error: " + nobody.err());
    }

    private Path simulatedDay(final int count)
    {
        final Path file = tmp.resolve("day-" + count + ".itch");
        final CliRun sim = CliRun.run("simulate", "--venue", "itch5", "--symbols", "20", "--count",
            Integer.toString(count), "--rate", "max", "--seed", "5", "--to", file.toString());
        assertEquals(0, sim.exitCode(), sim.err());
        return file;
    }

    private static void sleepQuietly(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
