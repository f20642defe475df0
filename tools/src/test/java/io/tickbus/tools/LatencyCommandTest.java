package io.tickbus.tools;

import io.aeron.Aeron;
import io.tickbus.client.BusPublisher;
import io.tickbus.test.EmbeddedDriver;
import io.tickbus.test.TestMessages;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tickbus latency} in process against a real embedded media driver. Ports 26020-26039.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LatencyCommandTest
{
    private static final int STREAM = 1002;
    private static final int MESSAGES = 300;
    private static final long EXCHANGE_TO_RECEIVE_NS = 30_000;
    private static final long RECEIVE_TO_PUBLISH_NS = 5_000_000;

    @TempDir
    Path dir;

    private EmbeddedDriver driver;
    private Aeron aeron;
    private BusPublisher publisher;
    private CliRun run;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final TestMessages messages = new TestMessages();

    @BeforeEach
    void setUp()
    {
        driver = EmbeddedDriver.launch("cli-lat");
        aeron = driver.aeron();
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(run, publisher, driver);
        assertFalse(driver.directoryExists());
    }

    @Test
    void helpAndUsageErrors()
    {
        final CliRun help = CliRun.run("latency", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("--pingpong") && help.out().contains("Examples:"), help.out());

        final String d = driver.directory();
        SubscribeCommandTest.assertUsageError("invalid channel", "latency", "--channel", "nonsense", "--driver-dir", d);
        SubscribeCommandTest.assertUsageError("no such readable file", "latency", "--compare",
            dir.resolve("a.hlog").toString(), dir.resolve("b.hlog").toString());
        SubscribeCommandTest.assertUsageError("directory does not exist", "latency", "--channel", "aeron:ipc",
            "--plot", dir.resolve("missing/x.png").toString(), "--driver-dir", d);
        SubscribeCommandTest.assertUsageError("--idle must be", "latency", "--channel", "aeron:ipc",
            "--idle", "nap", "--driver-dir", d);
        SubscribeCommandTest.assertUsageError("--count must be positive", "latency", "--channel", "aeron:ipc",
            "--count", "0", "--driver-dir", d);
    }

    @Test
    void compareRejectsAFileThatIsNotAnIntervalLog() throws Exception
    {
        final Path junk = Files.writeString(dir.resolve("junk.hlog"), "this is not a log\n");
        SubscribeCommandTest.assertUsageError("holds no interval histograms", "latency", "--compare",
            junk.toString(), junk.toString());
    }

    @Test
    void liveStreamWritesHlogHgrmAndPlot() throws Exception
    {
        final Path hlog = dir.resolve("run.hlog");
        final Path hgrm = dir.resolve("run.hgrm");
        final Path png = dir.resolve("run.png");
        run = CliRun.start("latency", "--driver-dir", driver.directory(), "--channel", "aeron:ipc",
            "--stream", Integer.toString(STREAM), "--count", Integer.toString(MESSAGES), "--duration", "60s",
            "--interval", "50ms", "--hlog", hlog.toString(), "--hgrm", hgrm.toString(), "--plot", png.toString(),
            "--plot-width", "800", "--plot-height", "500");
        publishStampedTrades();

        assertEquals(0, run.exitCode(), run.err());
        final String table = run.out();
        assertTrue(table.contains("exchange->receive") && table.contains("publish->subscriber"), table);
        assertFalse(table.contains("publish->sequenced"), "no sequencer stamps, no row: " + table);
        assertTrue(table.contains("messages: " + MESSAGES), table);

        // The interval log parses back with HdrHistogram's own reader; counts add up per hop.
        final Map<String, Histogram> byTag = new HashMap<>();
        try (HistogramLogReader reader = new HistogramLogReader(hlog.toFile()))
        {
            while (reader.hasNext())
            {
                final Histogram h = (Histogram)reader.nextIntervalHistogram();
                if (null != h)
                {
                    byTag.computeIfAbsent(h.getTag(), (t) -> new Histogram(3)).add(h);
                }
            }
        }
        for (final String tag : List.of("exchange-receive", "receive-publish", "exchange-subscriber",
            "receive-subscriber", "publish-subscriber"))
        {
            assertNotNull(byTag.get(tag), "tag " + tag + " in " + byTag.keySet());
            assertEquals(MESSAGES, byTag.get(tag).getTotalCount(), tag);
        }
        assertFalse(byTag.containsKey("publish-sequenced"));
        // exchange->receive is fixed by the stamps the test wrote: every value is 30 us (3 significant digits).
        final Histogram exchangeReceive = byTag.get("exchange-receive");
        assertTrue(exchangeReceive.valuesAreEquivalent(EXCHANGE_TO_RECEIVE_NS, exchangeReceive.getMinValue()));
        assertTrue(exchangeReceive.valuesAreEquivalent(EXCHANGE_TO_RECEIVE_NS, exchangeReceive.getMaxValue()));

        final BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "PNG decodes");
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());

        final Path perHop = dir.resolve("run.publish-subscriber.hgrm");
        assertTrue(Files.exists(perHop), "per-hop hgrm written");
        final String hgrmText = Files.readString(perHop);
        assertTrue(hgrmText.contains("Percentile") && hgrmText.contains("#[Max"), hgrmText);
        assertTrue(java.util.regex.Pattern.compile("Total count\\s*=\\s*" + MESSAGES + "]").matcher(hgrmText).find(),
            hgrmText);

        final CliRun same = CliRun.run("latency", "--compare", hlog.toString(), hlog.toString());
        assertEquals(0, same.exitCode(), same.err());
        assertTrue(same.out().contains("exchange-receive"), same.out());
        assertTrue(same.out().contains("1.00x"), same.out());
        assertFalse(same.out().replace("1.00x", "").contains("x\n"), "all ratios 1.00x: " + same.out());
    }

    @Test
    void jsonSummaryCountsEveryMessage()
    {
        run = CliRun.start("latency", "--driver-dir", driver.directory(), "--channel",
            "aeron:udp?endpoint=127.0.0.1:26020", "--stream", Integer.toString(STREAM), "--count",
            Integer.toString(MESSAGES), "--duration", "60s", "--json");
        publisher = connectedPublisher("aeron:udp?endpoint=127.0.0.1:26020");
        publishStampedTradesOn(publisher);

        assertEquals(0, run.exitCode(), run.err());
        final String line = run.out().strip();
        assertEquals(1, line.lines().count(), line);
        assertEquals(MESSAGES, CliRun.jsonLong(line, "messages"));
        assertEquals(0, CliRun.jsonLong(line, "clockSkew"));
        final String hop = line.substring(line.indexOf("\"exchange->receive\":"));
        assertEquals(MESSAGES, CliRun.jsonLong(hop, "count"));
        final long p50 = CliRun.jsonLong(hop, "p50");
        assertTrue(Math.abs(p50 - EXCHANGE_TO_RECEIVE_NS) <= EXCHANGE_TO_RECEIVE_NS / 100, line);
    }

    @Test
    void pingPongInProcessRecordsEveryRoundTrip()
    {
        final CliRun ping = CliRun.run("latency", "--pingpong", "--embedded-driver", "--channel", "aeron:ipc",
            "--stream", "9001", "--count", "200", "--warmup", "20", "--json");
        assertEquals(0, ping.exitCode(), ping.err());
        final String line = ping.out().strip();
        final String hop = line.substring(line.indexOf("\"round-trip\":"));
        assertEquals(200, CliRun.jsonLong(hop, "count"));
        assertTrue(CliRun.jsonLong(hop, "p50") > 0, line);
    }

    @Test
    void pingPongAgainstEchoInAnotherCommand()
    {
        final String d = driver.directory();
        final String pingChannel = "aeron:udp?endpoint=127.0.0.1:26021";
        final String pongChannel = "aeron:udp?endpoint=127.0.0.1:26022";
        run = CliRun.start("latency", "--echo", "--driver-dir", d, "--channel", pingChannel, "--stream", "9002",
            "--pong-channel", pongChannel, "--duration", "60s");
        CliRun.await("echo to start", () -> run.out().contains("echoing") || run.isDone());
        final CliRun ping = CliRun.run("latency", "--pingpong", "--remote-echo", "--driver-dir", d, "--channel",
            pingChannel, "--stream", "9002", "--pong-channel", pongChannel, "--count", "100", "--warmup", "10");
        assertEquals(0, ping.exitCode(), ping.err());
        assertTrue(ping.out().contains("round-trip") && ping.out().contains("pings: 100"), ping.out());
    }

    @Test
    void pingPongWithoutEchoFailsWithReason()
    {
        final CliRun ping = CliRun.run("latency", "--pingpong", "--remote-echo", "--driver-dir",
            driver.directory(), "--channel", "aeron:ipc", "--stream", "9003", "--count", "10",
            "--connect-timeout", "500ms");
        assertEquals(1, ping.exitCode(), ping.err());
        assertTrue(ping.err().contains("no echo connected"), ping.err());
    }

    private void publishStampedTrades()
    {
        publisher = connectedPublisher("aeron:ipc");
        publishStampedTradesOn(publisher);
    }

    private void publishStampedTradesOn(final BusPublisher pub)
    {
        for (int i = 1; i <= MESSAGES; i++)
        {
            final int length = messages.trade(buffer, 1, 1, i, 0);
            final long receive = System.currentTimeMillis() * 1_000_000L - RECEIVE_TO_PUBLISH_NS;
            TestMessages.times(buffer, receive - EXCHANGE_TO_RECEIVE_NS, receive, 0);
            assertTrue(pub.offer(buffer, 0, length) > 0);
        }
    }

    private BusPublisher connectedPublisher(final String channel)
    {
        final BusPublisher pub = new BusPublisher(aeron, channel, STREAM);
        CliRun.await("subscriber to connect", () -> pub.isConnected() || run.isDone());
        assertFalse(run.isDone(), () -> "latency ended early: " + run.err());
        return pub;
    }
}
