package io.tickbus.tools;

import io.aeron.Aeron;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.MarketDataListener;
import io.tickbus.driver.TickbusDriver;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tickbus stat} and {@code tickbus completion} in process against a real embedded media driver with a
 * {@link BusPublisher} and {@link BusSubscriber} on it. Ports 46100-46119.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatCommandTest
{
    private static final int STREAM = 1003;
    private static final int MESSAGES = 25;
    private static final int PORT = 46100;

    private TickbusDriver driver;
    private Aeron aeron;
    private BusPublisher publisher;
    private BusSubscriber subscriber;
    private CliRun run;
    private int received;

    @BeforeEach
    void setUp()
    {
        driver = TickbusDriver.launchEmbedded("cli-stat");
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        subscriber = new BusSubscriber(aeron, "aeron:ipc", STREAM, new MarketDataListener()
        {
            public void onMessage(final org.agrona.DirectBuffer buffer, final int offset, final int length,
                final int templateId, final long position)
            {
                received++;
            }
        });
        publisher = new BusPublisher(aeron, "aeron:ipc", STREAM);
        CliRun.await("connected", () -> publisher.isConnected());
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        final TestMessages messages = new TestMessages();
        for (int i = 1; i <= MESSAGES; i++)
        {
            assertTrue(publisher.offer(buffer, 0, messages.trade(buffer, 1, 1, i, 0)) > 0);
        }
        CliRun.await("received", () ->
        {
            subscriber.poll(10);
            return received == MESSAGES;
        });
    }

    @AfterEach
    void tearDown()
    {
        final String dir = driver.aeronDirectoryName();
        CloseHelper.closeAll(run, subscriber, publisher, aeron, driver);
        assertFalse(new File(dir).exists());
    }

    @Test
    void onceShowsTickbusAndDriverCounters()
    {
        final CliRun once = CliRun.run("stat", "--once", "--driver-dir", driver.aeronDirectoryName());
        assertEquals(0, once.exitCode(), once.err());
        final String text = once.out();
        assertTrue(text.contains("Tickbus") && text.contains("Media driver") && text.contains("Streams"), text);
        assertTrue(lineWith(text, "tickbus-pub published: channel=aeron:ipc stream=" + STREAM)
            .contains(" " + MESSAGES + " "), text);
        assertTrue(lineWith(text, "tickbus-sub received: channel=aeron:ipc stream=" + STREAM)
            .contains(" " + MESSAGES + " "), text);
        assertTrue(text.contains("Errors"), "driver system counters: " + text);
    }

    @Test
    void filterKeepsMatchingLabels()
    {
        final CliRun once = CliRun.run("stat", "--once", "--filter", "tickbus-sub", "--driver-dir",
            driver.aeronDirectoryName());
        assertEquals(0, once.exitCode(), once.err());
        assertTrue(once.out().contains("tickbus-sub received"), once.out());
        assertFalse(once.out().contains("tickbus-pub published"), once.out());
    }

    @Test
    void usageAndRuntimeErrors()
    {
        final CliRun help = CliRun.run("stat", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("--prometheus") && help.out().contains("Examples:"), help.out());

        SubscribeCommandTest.assertUsageError("port out of range", "stat", "--prometheus", "70000",
            "--driver-dir", driver.aeronDirectoryName());
        SubscribeCommandTest.assertUsageError("not a regular expression", "stat", "--filter", "(", "--once",
            "--driver-dir", driver.aeronDirectoryName());

        final CliRun none = CliRun.run("stat", "--once", "--driver-dir", TickbusDriver.uniqueEmbeddedDir("none"));
        assertEquals(1, none.exitCode());
        assertTrue(none.err().contains("no media driver"), none.err());
    }

    @Test
    void prometheusAnswersOnLoopbackWithMetricNames() throws Exception
    {
        run = CliRun.start("stat", "--driver-dir", driver.aeronDirectoryName(), "--prometheus",
            Integer.toString(PORT), "--quiet", "--duration", "60s");
        CliRun.await("endpoint", () -> run.out().contains("serving Prometheus") || run.isDone());
        assertFalse(run.isDone(), run.err());
        assertTrue(run.out().contains("http://127.0.0.1:" + PORT + "/metrics"), run.out());

        final String body = get("http://127.0.0.1:" + PORT + "/metrics");
        assertTrue(body.contains("# TYPE tickbus_publisher_published_total counter"), body);
        final Matcher published = Pattern.compile(
            "(?m)^tickbus_publisher_published_total\\{[^}]*channel=\"aeron:ipc\",stream=\"" + STREAM + "\"[^}]*} (\\d+)$")
            .matcher(body);
        assertTrue(published.find(), body);
        assertEquals(MESSAGES, Long.parseLong(published.group(1)));
        final Matcher receivedMetric = Pattern.compile(
            "(?m)^tickbus_subscriber_received_total\\{[^}]*} (\\d+)$").matcher(body);
        assertTrue(receivedMetric.find(), body);
        assertEquals(MESSAGES, Long.parseLong(receivedMetric.group(1)));
        assertTrue(body.contains("aeron_driver_errors{"), body);
        assertTrue(body.contains("aeron_publisher_position{") || body.contains("aeron_subscriber_position{"), body);
        assertTrue(body.contains("tickbus_driver_heartbeat_age_ms "), body);
        // every sample line is NAME{labels} VALUE
        for (final String line : body.split("\n"))
        {
            assertTrue(line.startsWith("#") || line.matches("[a-z_][a-z0-9_]*(\\{.*})? -?\\d+"), line);
        }
    }

    @Test
    void completionScriptNamesTheCommands()
    {
        final CliRun completion = CliRun.run("completion");
        assertEquals(0, completion.exitCode(), completion.err());
        final String script = completion.out();
        assertTrue(script.contains("complete") && script.contains("tickbus"), script);
        for (final String command : new String[]{"subscribe", "latency", "stat", "driver"})
        {
            assertTrue(script.contains(command), command);
        }
        assertTrue(script.contains("--pingpong"), "options of subcommands");
    }

    private static String lineWith(final String text, final String needle)
    {
        return text.lines().filter((l) -> l.contains(needle)).findFirst()
            .orElseThrow(() -> new AssertionError("no line with " + needle + " in\n" + text));
    }

    private static String get(final String url) throws IOException
    {
        final HttpURLConnection connection = (HttpURLConnection)new URL(url).openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(5_000);
        try
        {
            assertEquals(200, connection.getResponseCode());
            assertTrue(connection.getContentType().startsWith("text/plain"), connection.getContentType());
            return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        finally
        {
            connection.disconnect();
        }
    }
}
