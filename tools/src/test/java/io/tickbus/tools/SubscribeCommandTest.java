package io.tickbus.tools;

import io.aeron.Aeron;
import io.tickbus.client.BusPublisher;
import io.tickbus.driver.TickbusDriver;
import io.tickbus.test.EmbeddedDriver;
import io.tickbus.test.TestMessages;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tickbus subscribe} in process against a real embedded media driver, fed by a {@link BusPublisher}.
 * Ports 26000-26019.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SubscribeCommandTest
{
    private static final int STREAM = 1001;

    private EmbeddedDriver driver;
    private Aeron aeron;
    private BusPublisher publisher;
    private CliRun run;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final TestMessages messages = new TestMessages();

    @BeforeEach
    void setUp()
    {
        driver = EmbeddedDriver.launch("cli-sub");
        aeron = driver.aeron();
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(run, publisher, driver);
        assertFalse(driver.directoryExists());
    }

    @Test
    void helpShowsOptionsAndExamples()
    {
        final CliRun help = CliRun.run("subscribe", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("--channel"), help.out());
        assertTrue(help.out().contains("--summary"), help.out());
        assertTrue(help.out().contains("Examples:"), help.out());
    }

    @Test
    void usageErrorsExitTwoWithOneLineReason()
    {
        final String dir = driver.directory();
        assertUsageError("Missing required option", "subscribe", "--stream", "1");
        assertUsageError("invalid channel", "subscribe", "--channel", "aeron:tcp?endpoint=x", "--stream", "1",
            "--driver-dir", dir);
        assertUsageError("port out of range", "subscribe", "--channel", "aeron:udp?endpoint=127.0.0.1:70000",
            "--stream", "1", "--driver-dir", dir);
        assertUsageError("--count must not be negative", "subscribe", "--channel", "aeron:ipc", "--stream", "1",
            "--count", "-5", "--driver-dir", dir);
        assertUsageError("unknown message type 'Bogus'", "subscribe", "--channel", "aeron:ipc", "--stream", "1",
            "--type", "Trade,Bogus", "--driver-dir", dir);
        assertUsageError("not a duration", "subscribe", "--channel", "aeron:ipc", "--stream", "1",
            "--duration", "soon", "--driver-dir", dir);
        assertUsageError("mutually exclusive", "subscribe", "--channel", "aeron:ipc", "--stream", "1",
            "--json", "--summary", "--driver-dir", dir);
    }

    static void assertUsageError(final String reason, final String... args)
    {
        final CliRun bad = CliRun.run(args);
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains(reason), bad.err());
        assertTrue(bad.err().contains("Usage:"), bad.err());
        assertFalse(bad.err().contains("\tat "), "no stack trace: " + bad.err());
    }

    @Test
    void noDriverIsARuntimeError()
    {
        final CliRun none = CliRun.run("subscribe", "--channel", "aeron:ipc", "--stream", "1",
            "--driver-dir", TickbusDriver.uniqueEmbeddedDir("absent"));
        assertEquals(1, none.exitCode());
        assertTrue(none.err().contains("no media driver running"), none.err());
        assertEquals(1, none.err().strip().lines().count(), none.err());
    }

    @Test
    void summaryCountsMatchWhatWasPublishedWithInjectedGapAndDuplicate()
    {
        // feed 7: source seqs 1..12 with 5 and 6 missing, announced by the handler's gap notice (one gap), and 9
        // sent twice (one duplicate); feed 8: 1..3 in order; plus one heartbeat without sequence.
        final long[] feed7 = {1, 2, 3, 4, 7, 8, 9, 9, 10, 11, 12};
        final long[] feed8 = {1, 2, 3};
        final int total = feed7.length + feed8.length + 2;
        run = CliRun.start("subscribe", "--driver-dir", driver.directory(), "--channel", "aeron:ipc",
            "--stream", Integer.toString(STREAM), "--count", Integer.toString(total), "--duration", "30s",
            "--summary");
        publisher = connectedPublisher("aeron:ipc");

        int trades = 0;
        int adds = 0;
        for (int i = 0; i < feed7.length; i++)
        {
            if (i % 3 == 0)
            {
                publish(messages.addOrder(buffer, 7, 1, feed7[i], 0));
                adds++;
            }
            else
            {
                publish(messages.trade(buffer, 7, 1, feed7[i], 0));
                trades++;
            }
            if (i == 4)
            {
                publish(messages.gapNotice(buffer, 7, 0, 5, 6));
                publish(messages.heartbeat(buffer, 8));
            }
        }
        for (final long seq : feed8)
        {
            publish(messages.trade(buffer, 8, 2, seq, 0));
            trades++;
        }

        assertEquals(0, run.exitCode(), run.err());
        final String summary = run.out().strip();
        assertEquals(1, summary.lines().count(), summary);
        assertEquals(total, CliRun.jsonLong(summary, "messages"));
        assertEquals(trades, CliRun.jsonLong(summary, "Trade"));
        assertEquals(adds, CliRun.jsonLong(summary, "AddOrder"));
        assertEquals(1, CliRun.jsonLong(summary, "Heartbeat"));
        assertEquals(1, CliRun.jsonLong(summary, "GapNotice"));
        assertEquals(1, CliRun.jsonLong(summary, "gaps"));
        assertEquals(1, CliRun.jsonLong(summary, "duplicates"));
        assertEquals(0, CliRun.jsonLong(summary, "firstGlobalSeq"));
        assertEquals(0, CliRun.jsonLong(summary, "lastGlobalSeq"));
        assertTrue(summary.startsWith("{\"messages\":") && summary.endsWith("}"), summary);
    }

    @Test
    void seqLogRecordsEverySequencedMessageInDeliveryOrder(@org.junit.jupiter.api.io.TempDir final
        java.nio.file.Path tmp) throws Exception
    {
        final java.nio.file.Path log = tmp.resolve("sub.seqlog");
        run = CliRun.start("subscribe", "--driver-dir", driver.directory(), "--channel", "aeron:ipc",
            "--stream", Integer.toString(STREAM), "--count", "4", "--duration", "30s", "--summary",
            "--seq-log", log.toString());
        publisher = connectedPublisher("aeron:ipc");
        publish(messages.trade(buffer, 3, 1, 11, 1));
        publish(messages.trade(buffer, 4, 1, 21, 2));
        publish(messages.trade(buffer, 3, 1, 12, 0)); // not sequenced: not in the log
        publish(messages.trade(buffer, 3, 1, 13, 3));
        assertEquals(0, run.exitCode(), run.err());

        final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(log))
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(3 * SequenceLog.RECORD_LENGTH, bytes.remaining());
        final long[] expected = {1, 3, 11, 2, 4, 21, 3, 3, 13};
        for (final long value : expected)
        {
            assertEquals(value, bytes.getLong());
        }
    }

    @Test
    void summaryOfSequencedStreamUsesGlobalSequence()
    {
        // global seqs 101..110 without 104; source seqs deliberately all 1 (would be duplicates if used).
        final List<Long> globalSeqs = Arrays.asList(101L, 102L, 103L, 105L, 106L, 107L, 108L, 109L, 110L);
        run = CliRun.start("subscribe", "--driver-dir", driver.directory(), "--channel", "aeron:ipc",
            "--stream", Integer.toString(STREAM), "--count", Integer.toString(globalSeqs.size()),
            "--duration", "30s", "--summary");
        publisher = connectedPublisher("aeron:ipc");
        for (final long seq : globalSeqs)
        {
            publish(messages.trade(buffer, 3, 1, 1, seq));
        }

        assertEquals(0, run.exitCode(), run.err());
        final String summary = run.out().strip();
        assertEquals(globalSeqs.size(), CliRun.jsonLong(summary, "messages"));
        assertEquals(101, CliRun.jsonLong(summary, "firstGlobalSeq"));
        assertEquals(110, CliRun.jsonLong(summary, "lastGlobalSeq"));
        assertEquals(1, CliRun.jsonLong(summary, "gaps"));
        assertEquals(0, CliRun.jsonLong(summary, "duplicates"));
    }

    @Test
    void jsonLinesFilteredBySymbolAndTypeOverUdp()
    {
        final String channel = "aeron:udp?endpoint=127.0.0.1:26010";
        // AAPL is instrument 1, MSFT 2; 4 trades and 4 adds each; only AAPL trades are wanted.
        run = CliRun.start("subscribe", "--driver-dir", driver.directory(), "--channel", channel,
            "--stream", Integer.toString(STREAM), "--symbol", "AAPL", "--type", "trade", "--count", "4",
            "--duration", "30s", "--json");
        publisher = connectedPublisher(channel);
        publish(messages.definition(buffer, 1, 1, 1, "AAPL"));
        publish(messages.definition(buffer, 1, 2, 2, "MSFT"));
        long seq = 3;
        for (int i = 0; i < 4; i++)
        {
            publish(messages.trade(buffer, 1, 2, seq++, 0));
            publish(messages.addOrder(buffer, 1, 1, seq++, 0));
            publish(messages.trade(buffer, 1, 1, seq++, 0));
        }

        assertEquals(0, run.exitCode(), run.err());
        final List<String> lines = run.out().strip().lines().toList();
        assertEquals(4, lines.size(), run.out() + "|" + run.err());
        long expectedSeq = 5;
        for (final String line : lines)
        {
            assertTrue(line.startsWith("{\"type\":\"Trade\""), line);
            assertTrue(line.contains("\"symbol\":\"AAPL\""), line);
            assertTrue(line.contains("\"price\":189.2300"), line);
            assertTrue(line.contains("\"aggressorSide\":\"BUY\""), line);
            assertEquals(expectedSeq, CliRun.jsonLong(line, "sourceSeq"));
            expectedSeq += 3;
        }
    }

    @Test
    void humanPrintShowsSymbolAndPrice()
    {
        run = CliRun.start("subscribe", "--driver-dir", driver.directory(), "--channel", "aeron:ipc",
            "--stream", Integer.toString(STREAM), "--count", "2", "--duration", "30s");
        publisher = connectedPublisher("aeron:ipc");
        publish(messages.definition(buffer, 1, 9, 1, "IBM"));
        publish(messages.addOrder(buffer, 1, 9, 2, 0));

        assertEquals(0, run.exitCode(), run.err());
        final List<String> lines = run.out().strip().lines().toList();
        assertEquals(2, lines.size(), run.out());
        assertTrue(lines.get(0).contains("InstrumentDefinition") && lines.get(0).contains("symbol=IBM"), lines.get(0));
        assertTrue(lines.get(1).contains("AddOrder IBM"), lines.get(1));
        assertTrue(lines.get(1).contains("price=189.2400") && lines.get(1).contains("side=SELL"), lines.get(1));
    }

    private BusPublisher connectedPublisher(final String channel)
    {
        final BusPublisher pub = new BusPublisher(aeron, channel, STREAM);
        CliRun.await("subscriber to connect", () -> pub.isConnected() || run.isDone());
        assertFalse(run.isDone(), () -> "subscribe ended early: " + run.err());
        return pub;
    }

    private void publish(final int length)
    {
        assertTrue(publisher.offer(buffer, 0, length) > 0, "published");
    }
}
