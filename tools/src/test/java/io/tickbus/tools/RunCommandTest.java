package io.tickbus.tools;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.tickbus.archive.TickbusArchive;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.TickbusCounters;
import io.tickbus.test.EmbeddedDriver;
import io.tickbus.test.TestMessages;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tickbus run}: a strategy live on a real driver fed by a publisher, stopped as Ctrl-C would, with the same
 * summary as {@code backtest}; a throwing strategy reported as in a backtest; and with {@code --archive} a late
 * join of a sequenced stream whose first half was published before the strategy started (UDP 127.0.0.1:15510-11).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RunCommandTest
{
    private static final String MID_PRICE = "io.tickbus.client.strategy.examples.MidPriceStrategy";
    private static final long T0 = Instant.parse("2026-11-20T14:30:00Z").getEpochSecond() * 1_000_000_000L;

    @TempDir
    Path dir;

    private EmbeddedDriver driver;
    private TickbusArchive archive;
    private Aeron aeron;
    private CliRun run;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final TestMessages messages = new TestMessages();

    @AfterEach
    void tearDown()
    {
        CloseHelper.close(run);
        // aeron is the fixture's client, or in the late-join test a client of the archive's own driver
        CloseHelper.closeAll(aeron, archive, driver);
    }

    @Test
    void runsAStrategyLiveUntilStoppedAndPrintsTheBacktestSummary() throws Exception
    {
        final int stream = 1551;
        startDriver();
        run = CliRun.start("run", "--strategy", MID_PRICE, "--channel", "aeron:ipc", "--stream",
            Integer.toString(stream), "--driver-dir", driver.directory(), "--zone", "UTC");
        publishTrades(stream, 50);
        awaitReceived(stream, 50);
        StopSignal.requestAll(); // as Ctrl-C
        assertEquals(0, run.exitCode(), run.err());
        final String out = run.out();
        assertTrue(out.contains("tickbus run: MidPriceStrategy on aeron:ipc stream " + stream), out);
        assertTrue(out.contains("run of MidPriceStrategy on aeron:ipc stream " + stream +
            ": 50 messages, 0 timers, 0 strategy errors in "), out);
        assertTrue(out.contains("exchange times 14:30:00.000001 to 14:30:00.000050 UTC"), out);
        assertTrue(out.contains("{\"messages\":50,"), "the strategy's own summary: " + out);
    }

    @Test
    void aThrowingStrategyIsReportedAsInABacktest() throws Exception
    {
        final int stream = 1552;
        startDriver();
        final long startNs = System.nanoTime();
        run = CliRun.start("run", "--strategy", ThrowingStrategy.class.getName(), "--channel", "aeron:ipc",
            "--stream", Integer.toString(stream), "--driver-dir", driver.directory());
        publishTrades(stream, 200);
        awaitReceived(stream, 200);
        StopSignal.requestAll();
        assertEquals(1, run.exitCode(), "a strategy that threw fails the run: " + run.out() + run.err());
        BacktestExportCommandTest.assertStrategyErrorsReported(run, "run", 200,
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs));
        assertTrue(run.out().contains("{\"trades\":200}"), run.out());
    }

    @Test
    void withAnArchiveItJoinsTheSequencedStreamLateAndMissesNothing() throws Exception
    {
        final int stream = 1553;
        final String channel = "aeron:udp?endpoint=127.0.0.1:15511";
        archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir.resolve("archive"))
            .controlChannel("aeron:udp?endpoint=127.0.0.1:15510")
            .persistIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .record(channel + ":" + stream));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(archive.aeronDirectoryName()));
        try (ExclusivePublication member = aeron.addExclusivePublication(channel, stream))
        {
            CliRun.await("archive recording", member::isConnected);
            for (int seq = 1; seq <= 100; seq++)
            {
                offer(member, seq); // before the strategy starts: only the archive has these
            }
            run = CliRun.start("run", "--strategy", MID_PRICE, "--channel", channel, "--stream",
                Integer.toString(stream), "--driver-dir", archive.aeronDirectoryName(), "--archive",
                "127.0.0.1:15510", "--archive-response-channel", "aeron:udp?endpoint=127.0.0.1:0", "--zone", "UTC");
            CliRun.await("run started", () -> run.out().contains("Ctrl-C to stop") || run.isDone());
            CliRun.await("run subscribed", () -> subscribers(aeron.countersReader(), stream) >= 1 || run.isDone());
            for (int seq = 101; seq <= 200; seq++)
            {
                offer(member, seq);
            }
            awaitReceived(stream, 200);
        }
        StopSignal.requestAll();
        assertEquals(0, run.exitCode(), run.err());
        final String out = run.out();
        assertTrue(out.contains("from global sequence 1 (archives 127.0.0.1:15510)"), out);
        assertTrue(out.contains(": 200 messages, 0 timers, 0 strategy errors in "), "1..200, once each: " + out);
        assertTrue(out.contains("exchange times 14:30:00.000001 to 14:30:00.000200 UTC"), out);
        final String recovery = out.lines().filter(l -> l.startsWith("{\"recovered\":")).findFirst().orElseThrow();
        assertTrue(CliRun.jsonLong(recovery, "recovered") >= 100, "1..100 came from the archive: " + recovery);
        assertEquals(0, CliRun.jsonLong(recovery, "unrecovered"), recovery);
        assertEquals(201, CliRun.jsonLong(recovery, "nextGlobalSeq"), recovery);
    }

    private void startDriver()
    {
        driver = EmbeddedDriver.launch("cli-run");
        aeron = driver.aeron();
    }

    private void publishTrades(final int stream, final int count) throws InterruptedException
    {
        try (BusPublisher publisher = new BusPublisher(aeron, "aeron:ipc", stream))
        {
            CliRun.await("run subscribed", () -> publisher.isConnected() || run.isDone());
            assertTrue(!run.isDone(), run.err());
            for (int i = 1; i <= count; i++)
            {
                final int length = messages.trade(buffer, 7, 1, i, 0);
                TestMessages.times(buffer, T0 + i * 1_000L, 0, 0);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (publisher.offer(buffer, 0, length) < 0)
                {
                    assertTrue(System.nanoTime() < deadline, "offer");
                    Thread.sleep(1);
                }
            }
        }
    }

    private void offer(final Publication publication, final long seq) throws InterruptedException
    {
        final int length = messages.trade(buffer, 7, 1, seq, seq);
        TestMessages.times(buffer, T0 + seq * 1_000L, 0, T0 + seq);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (publication.offer(buffer, 0, length) < 0)
        {
            assertTrue(System.nanoTime() < deadline, "offer");
            Thread.sleep(1);
        }
    }

    /** Wait until the run's subscriber counted this many messages (its received counter, on the shared driver). */
    private void awaitReceived(final int stream, final long count)
    {
        CliRun.await(count + " messages received by the run", () -> received(aeron.countersReader(), stream) >= count ||
            run.isDone());
        assertTrue(!run.isDone(), run.out() + run.err());
    }

    private static long received(final CountersReader counters, final int stream)
    {
        final long[] sum = {0};
        counters.forEach((id, typeId, key, label) ->
        {
            if (TickbusCounters.SUBSCRIBER_RECEIVED == typeId && label.endsWith(" stream=" + stream))
            {
                sum[0] += counters.getCounterValue(id);
            }
        });
        return sum[0];
    }

    private static long subscribers(final CountersReader counters, final int stream)
    {
        final long[] n = {0};
        counters.forEach((id, typeId, key, label) ->
        {
            if (TickbusCounters.SUBSCRIBER_RECEIVED == typeId && label.endsWith(" stream=" + stream))
            {
                n[0]++;
            }
        });
        return n[0];
    }
}
