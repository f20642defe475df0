package io.tickbus.tools;

import io.aeron.Aeron;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.MarketDataListener;
import io.tickbus.test.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.MutableLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tickbus parse | simulate | feed} in process. UDP ports 21100-21199 (the itch engineer's range).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FeedCommandsTest
{
    /** Midnight in New York on 2023-08-22 = 04:00 UTC. */
    private static final long MIDNIGHT_NS = 1_692_676_800L * 1_000_000_000L;

    @TempDir
    Path tmp;

    private EmbeddedDriver driver;
    private Aeron aeron;
    private CliRun background;

    @BeforeEach
    void setUp()
    {
        driver = EmbeddedDriver.launch("cli-feed");
        aeron = driver.aeron();
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(background, driver);
        assertFalse(driver.directoryExists());
    }

    private static Path itch(final String name)
    {
        final String dir = System.getProperty("tickbus.shared.data");
        Assumptions.assumeTrue(null != dir);
        final Path file = Path.of(dir, "itch50", name);
        Assumptions.assumeTrue(Files.isRegularFile(file));
        return file;
    }

    @Test
    void parseSummaryOfRealCapture()
    {
        final CliRun run = CliRun.run("parse", "--venue", "itch5", itch("v5.0_Multiple.Packets.pcap").toString(),
            "--summary");
        assertEquals(0, run.exitCode(), run.err());
        final String json = run.out().trim();
        // SOURCE.md: 2 packets of 1 and 38 messages; the first message is
        // 44 0ab1 0000 1f1acf4c4eb7 ... (Order Delete at 0x1f1acf4c4eb7 ns after midnight, date from capture time).
        assertEquals(2, CliRun.jsonLong(json, "packets"));
        assertEquals(39, CliRun.jsonLong(json, "messages"));
        assertEquals(0, CliRun.jsonLong(json, "malformed"));
        assertEquals(1, CliRun.jsonLong(json, "gaps"));
        assertEquals(MIDNIGHT_NS + 0x1f1acf4c4eb7L, CliRun.jsonLong(json, "firstTimestamp"));
        assertTrue(json.contains("\"byType\":{\"A\":"), json);
        assertFalse(json.contains("\n"));
    }

    @Test
    void parseErrorsAndExitCodes() throws IOException
    {
        assertEquals(2, CliRun.run("parse", "--venue", "itch5", tmp.resolve("missing.pcap").toString()).exitCode());
        final CliRun badVenue = CliRun.run("parse", "--venue", "nasdaq", itch("v5.0_OrderDeleteMessage.pcap").toString());
        assertEquals(2, badVenue.exitCode());
        assertTrue(badVenue.err().contains("unknown venue"), badVenue.err());
        assertEquals(2, CliRun.run("parse", "--venue", "itch5", "--date", "22/08/2023",
            itch("v5.0_OrderDeleteMessage.pcap").toString()).exitCode());
        final Path text = Files.writeString(tmp.resolve("notes.pcap"), "not a capture");
        final CliRun foreign = CliRun.run("parse", "--venue", "iex-tops", text.toString(), "--summary");
        assertEquals(1, foreign.exitCode());
        assertTrue(foreign.err().contains("not a pcap or pcapng"), foreign.err());
        final CliRun help = CliRun.run("parse", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("Examples"), help.out());
    }

    @Test
    void simulateIntoFileThenParseIt()
    {
        final Path file = tmp.resolve("sim-20240105.itch");
        final CliRun sim = CliRun.run("simulate", "--venue", "itch5", "--symbols", "5", "--count", "5000",
            "--rate", "max", "--seed", "3", "--to", file.toString());
        assertEquals(0, sim.exitCode(), sim.err());
        final long messages = CliRun.jsonLong(sim.out(), "messages");
        assertEquals(2 + 2 * 5 + 1 + 5000 + 3, messages);

        final CliRun parse = CliRun.run("parse", "--venue", "itch5", file.toString(), "--summary");
        assertEquals(0, parse.exitCode(), parse.err());
        assertEquals(messages, CliRun.jsonLong(parse.out(), "messages"));
        assertEquals(messages, CliRun.jsonLong(parse.out(), "packets"));
        assertEquals(5, CliRun.jsonLong(parse.out(), "R"));
        assertEquals(0, CliRun.jsonLong(parse.out(), "malformed"));

        final Path capture = tmp.resolve("sim.pcap");
        final CliRun simPcap = CliRun.run("simulate", "--venue", "itch5", "--symbols", "5", "--count", "5000",
            "--rate", "max", "--seed", "3", "--to", capture.toString());
        assertEquals(0, simPcap.exitCode(), simPcap.err());
        final CliRun parsePcap = CliRun.run("parse", "--venue", "itch5", capture.toString(), "--summary");
        assertEquals(0, parsePcap.exitCode(), parsePcap.err());
        assertEquals(messages, CliRun.jsonLong(parsePcap.out(), "messages"));
        assertEquals(CliRun.jsonLong(simPcap.out(), "packets"), CliRun.jsonLong(parsePcap.out(), "packets"));
        assertEquals(1, CliRun.jsonLong(parsePcap.out(), "heartbeats"), "the end-of-session packet");
        assertEquals(0, CliRun.jsonLong(parsePcap.out(), "gaps"));
        assertEquals(0, CliRun.jsonLong(parsePcap.out(), "malformed"));
        // same seed, same order flow: identical counts per type whatever the framing
        assertEquals(parse.out().replaceAll(".*\"byType\":(\\{[^}]*}).*", "$1").trim(),
            parsePcap.out().replaceAll(".*\"byType\":(\\{[^}]*}).*", "$1").trim());

        assertEquals(2, CliRun.run("simulate", "--venue", "itch5", "--rate", "fast", "--to", file.toString())
            .exitCode());
        assertEquals(2, CliRun.run("simulate", "--to", "udp://127.0.0.1:21101").exitCode());
    }

    @Test
    void simulatePcapPlaysEveryUdpPayload() throws IOException
    {
        final Path capture = itch("v5.0.20230822_OrderExecuted.pcap");
        try (DatagramChannel receiver = DatagramChannel.open())
        {
            receiver.bind(new InetSocketAddress("127.0.0.1", 21102));
            receiver.configureBlocking(false);
            final CliRun run = CliRun.run("simulate", "--pcap", capture.toString(), "--speed", "max",
                "--to", "udp://127.0.0.1:21102");
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(5, CliRun.jsonLong(run.out(), "packets"));
            final ByteBuffer buffer = ByteBuffer.allocate(2048);
            int received = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received < 5 && System.nanoTime() < deadline)
            {
                buffer.clear();
                if (null != receiver.receive(buffer))
                {
                    // MoldUDP64 header (20) + length (2) + Order Executed (31)
                    assertEquals(20 + 2 + 31, buffer.position());
                    assertEquals('E', buffer.get(22));
                    received++;
                }
            }
            assertEquals(5, received);
        }
    }

    @Test
    void feedFromUdpIntoBusWhileSimulatorSends() throws Exception
    {
        final int stream = 21103;
        final MutableLong received = new MutableLong();
        try (BusSubscriber subscriber = new BusSubscriber(aeron, "aeron:ipc", stream, new MarketDataListener()
        {
            public void onMessage(
                final DirectBuffer buffer, final int offset, final int length, final int templateId, final long pos)
            {
                received.increment();
            }
        }))
        {
            background = CliRun.start("feed", "--venue", "itch5", "--from", "udp://127.0.0.1:21104",
                "--channel", "aeron:ipc", "--stream", String.valueOf(stream), "--driver-dir",
                driver.directory(), "--summary");
            CliRun.await("feed handler bound to 21104", () -> CliRun.isUdpBound(21104) || background.isDone());
            CliRun.await("feed publication connected", () ->
            {
                subscriber.poll(10);
                return subscriber.isConnected() || background.isDone();
            });
            assertFalse(background.isDone(), background.err());

            final CliRun sim = CliRun.run("simulate", "--venue", "itch5", "--symbols", "4", "--count", "3000",
                "--rate", "100000", "--to", "udp://127.0.0.1:21104");
            assertEquals(0, sim.exitCode(), sim.err());
            final long messages = CliRun.jsonLong(sim.out(), "messages");
            CliRun.await("every normalized message received", () ->
            {
                subscriber.poll(100);
                return received.get() >= messages;
            });
            background.close();
            assertEquals(0, background.exitCode(), background.err());
            assertEquals(messages, CliRun.jsonLong(background.out(), "messages"));
            assertEquals(0, CliRun.jsonLong(background.out(), "gaps"));
            assertEquals(messages, received.get(), "one bus message per ITCH message for simulated flow");
        }
    }
}
