package io.tickbus.tools;

import io.aeron.Aeron;
import io.tickbus.client.BusPublisher;
import io.tickbus.test.EmbeddedDriver;
import io.tickbus.test.TestMessages;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code tickbus subscribe} process on a standalone driver, stopped with SIGSTOP for longer than the Aeron client's
 * liveness and service-interval timeouts (10 s), then continued: before issue 14 it died with "lost the media driver
 * in ...: null"; now it says in one line that it reconnected and goes on receiving.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SubscribePauseFaultTest
{
    private static final int STREAM = 1003;

    @TempDir
    Path dir;

    private EmbeddedDriver driver;
    private Aeron aeron;
    private BusPublisher publisher;
    private Process subscriber;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final TestMessages messages = new TestMessages();

    @BeforeEach
    void setUp()
    {
        driver = EmbeddedDriver.launch("cli-pause");
        aeron = driver.aeron();
    }

    @AfterEach
    void tearDown() throws InterruptedException
    {
        if (null != subscriber && subscriber.isAlive())
        {
            subscriber.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        CloseHelper.closeAll(publisher, driver);
    }

    @Test
    void subscriberPausedPastTheLivenessTimeoutReconnectsAndGoesOn() throws Exception
    {
        final File out = dir.resolve("subscribe.out").toFile();
        final File err = dir.resolve("subscribe.err").toFile();
        final String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        subscriber = new ProcessBuilder(List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "-Xmx128m", "-cp", classpath, TickbusCli.class.getName(),
            "subscribe", "--driver-dir", driver.directory(), "--channel", "aeron:ipc",
            "--stream", Integer.toString(STREAM), "--summary", "--duration", "90s"))
            .redirectOutput(out).redirectError(err).start();

        publisher = new BusPublisher(aeron, "aeron:ipc", STREAM);
        CliRun.await("subscriber connected", publisher::isConnected);
        for (int i = 1; i <= 50; i++)
        {
            assertTrue(publisher.offer(buffer, 0, messages.trade(buffer, 7, 1, i, 0)) > 0);
        }

        Thread.sleep(500);
        kill("-STOP");
        Thread.sleep(12_000); // past the client's 10 s liveness and service-interval timeouts
        kill("-CONT");

        // The driver dropped the paused client; the reconnected one subscribes again.
        CliRun.await("subscriber reconnected", () -> read(err).contains("reconnected"));
        CliRun.await("subscriber back", publisher::isConnected);
        for (int i = 51; i <= 100; i++)
        {
            final int length = messages.trade(buffer, 7, 1, i, 0);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (publisher.offer(buffer, 0, length) < 0)
            {
                assertTrue(System.nanoTime() < deadline, "offer after the reconnect");
                Thread.sleep(1);
            }
        }
        Thread.sleep(1_000);
        subscriber.destroy(); // SIGTERM: the summary
        assertTrue(subscriber.waitFor(30, TimeUnit.SECONDS));

        final String errText = read(err);
        final String summary = read(out).strip();
        assertEquals(0, subscriber.exitValue(), errText);
        assertEquals(1, errText.lines().filter(line -> !line.isBlank()).count(), "one clear line: " + errText);
        assertTrue(errText.contains("stalled") && errText.contains("reconnected"), errText);
        assertEquals(100, CliRun.jsonLong(summary, "messages"), "before and after the pause: " + summary);
        assertEquals(1, CliRun.jsonLong(summary, "reconnects"), summary);
    }

    private void kill(final String signal) throws Exception
    {
        assertEquals(0, new ProcessBuilder("kill", signal, Long.toString(subscriber.pid())).start().waitFor());
    }

    private static String read(final File file)
    {
        try
        {
            return Files.readString(file.toPath(), StandardCharsets.UTF_8);
        }
        catch (final java.io.IOException ex)
        {
            return "";
        }
    }
}
