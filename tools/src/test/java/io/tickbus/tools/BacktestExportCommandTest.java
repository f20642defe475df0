package io.tickbus.tools;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.tickbus.archive.ArchiveDirectory;
import io.tickbus.archive.TickbusArchive;
import io.tickbus.sbe.InstrumentDefinitionEncoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.SecurityType;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TopOfBookEncoder;
import io.tickbus.sbe.TradeEncoder;
import io.tickbus.sbe.TradeType;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tickbus backtest} and {@code tickbus export} against a running archive (UDP control 127.0.0.1:20781):
 * a backtest is deterministic (two runs, one digest), and the CSV export holds exactly what was recorded.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BacktestExportCommandTest
{
    private static final int STREAM = 1501;
    private static final int QUOTES = 300;

    @TempDir
    Path dir;

    private CliRun archiveRun;
    private Aeron aeron;

    @AfterEach
    void close()
    {
        CloseHelper.close(aeron);
        ArchiveCommand.requestStopAll();
        if (null != archiveRun)
        {
            archiveRun.exitCode();
            archiveRun.close();
        }
    }

    /** Record a definition, then for each step a top of book (one cent wide, one cent higher each time) and a trade. */
    private Path recordDay() throws Exception
    {
        final Path archiveDir = dir.resolve("archive");
        archiveRun = CliRun.start("archive", "--dir", archiveDir.toString(), "--control-channel",
            "aeron:udp?endpoint=127.0.0.1:20781", "--record", "aeron:ipc:" + STREAM);
        CliRun.await("archive running", () -> Files.exists(archiveDir.resolve(ArchiveDirectory.INFO_FILE)) ||
            archiveRun.isDone());
        assertTrue(!archiveRun.isDone(), archiveRun.err());
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(ArchiveDirectory.runningInfo(archiveDir).getProperty("aeron.dir")));

        final long t0 = Instant.parse("2026-11-20T14:30:00Z").getEpochSecond() * 1_000_000_000L;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        try (ExclusivePublication publication = aeron.addExclusivePublication("aeron:ipc", STREAM))
        {
            CliRun.await("archive subscribed", publication::isConnected);
            final InstrumentDefinitionEncoder definition = new InstrumentDefinitionEncoder()
                .wrapAndApplyHeader(buffer, 0, header);
            definition.common().sourceSeq(1L << 16).exchangeTime(t0).instrumentId(7).feedId(2);
            definition.symbol("TBUS").securityType(SecurityType.EQUITY).priceExponent((byte)-4).lotSize(100)
                .tickSize(100).tradingDate(20261120);
            offer(publication, buffer, MessageHeaderEncoder.ENCODED_LENGTH + definition.encodedLength());
            final TopOfBookEncoder quote = new TopOfBookEncoder();
            final TradeEncoder trade = new TradeEncoder();
            for (int i = 1; i <= QUOTES; i++)
            {
                final long time = t0 + i * 20_000_000L; // 20 ms apart: 6 s of exchange time in all
                quote.wrapAndApplyHeader(buffer, 0, header).bidQuantity(100).askQuantity(200);
                quote.bidPrice().mantissa(1_000_000 + 100L * i).exponent((byte)-4);
                quote.askPrice().mantissa(1_000_100 + 100L * i).exponent((byte)-4);
                quote.common().sourceSeq((long)(1 + i) << 16).exchangeTime(time).instrumentId(7).feedId(2);
                offer(publication, buffer, MessageHeaderEncoder.ENCODED_LENGTH + quote.encodedLength());
                trade.wrapAndApplyHeader(buffer, 0, header).tradeId(i).quantity(10).aggressorSide(Side.BUY)
                    .tradeType(TradeType.REGULAR).saleConditions((short)0).cumulativeVolume(10L * i);
                trade.price().mantissa(1_000_050 + 100L * i).exponent((byte)-4);
                trade.common().sourceSeq(((long)(1 + i) << 16) | 2).exchangeTime(time).instrumentId(7).feedId(2);
                offer(publication, buffer, MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength());
            }
        }
        final int total = 1 + 2 * QUOTES;
        CliRun.await("catalog lists the day", () ->
        {
            final CliRun list = CliRun.run("recordings", "--dir", archiveDir.toString(), "--json");
            return 0 == list.exitCode() && list.out().contains("\"messages\":" + total);
        });
        return archiveDir;
    }

    private static void offer(final ExclusivePublication publication, final UnsafeBuffer buffer, final int length)
        throws InterruptedException
    {
        while (publication.offer(buffer, 0, length) < 0)
        {
            Thread.sleep(1);
        }
    }

    private static String digestOf(final String output)
    {
        final int at = output.indexOf("\"digest\":\"");
        assertTrue(at >= 0, output);
        return output.substring(at + 10, output.indexOf('"', at + 10));
    }

    @Test
    void backtestIsDeterministicAndExportWritesTheRecordedDay() throws Exception
    {
        final Path archiveDir = recordDay();
        final String strategy = "io.tickbus.client.strategy.examples.MidPriceStrategy";
        final CliRun first = CliRun.run("backtest", "--dir", archiveDir.toString(), "--day", "2026-11-20",
            "--stream", Integer.toString(STREAM), "--strategy", strategy);
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().contains((1 + 2 * QUOTES + 1) + " messages"), "day + end marker: " + first.out());
        // Every quote raises the mid by one cent, so the strategy sees a new mid at each step: QUOTES mid updates.
        assertTrue(first.out().contains("\"midUpdates\":" + QUOTES), first.out());

        final CliRun second = CliRun.run("backtest", "--dir", archiveDir.toString(), "--day", "2026-11-20",
            "--stream", Integer.toString(STREAM), "--strategy", strategy, "--speed", "10");
        assertEquals(0, second.exitCode(), second.err());
        assertEquals(digestOf(first.out()), digestOf(second.out()), "same day, same strategy, same result");

        final CliRun window = CliRun.run("backtest", "--dir", archiveDir.toString(), "--day", "2026-11-20",
            "--stream", Integer.toString(STREAM), "--strategy", strategy, "--from", "14:30:00", "--to", "14:30:03");
        assertEquals(0, window.exitCode(), window.err());
        assertNotEquals(digestOf(first.out()), digestOf(window.out()), "a part of the day gives another result");

        final Path out = dir.resolve("csv");
        final CliRun export = CliRun.run("export", "--dir", archiveDir.toString(), "--day", "2026-11-20",
            "--stream", Integer.toString(STREAM), "--format", "csv", "--out", out.toString());
        assertEquals(0, export.exitCode(), export.err());
        final List<String> trades = Files.readAllLines(out.resolve("Trade.csv"));
        assertEquals(QUOTES + 1, trades.size(), "header + one row per trade");
        assertTrue(trades.get(0).startsWith("globalSeq,") && trades.get(0).contains(",price,"), trades.get(0));
        // Trade 1: price mantissa 1_000_150 at exponent -4 is 100.0150; symbol from the definition.
        final String firstTrade = trades.get(1);
        assertTrue(firstTrade.contains(",TBUS,1,100.0150,10,BUY,"), firstTrade);
        final List<String> quotes = Files.readAllLines(out.resolve("TopOfBook.csv"));
        assertEquals(QUOTES + 1, quotes.size());
        assertTrue(quotes.get(QUOTES).endsWith(",103.0000,100,103.0100,200"), "last quote: " + quotes.get(QUOTES));
        assertEquals(2, Files.readAllLines(out.resolve("InstrumentDefinition.csv")).size());
        assertTrue(!Files.exists(out.resolve("EndOfSession.csv")), "the replay's own end marker is not exported");
    }

    @Test
    void aThrowingStrategyPrintsOneStackTraceThenACountAndTheTotalInTheSummary() throws Exception
    {
        final Path archiveDir = recordDay();
        final long startNs = System.nanoTime();
        final CliRun run = CliRun.run("backtest", "--dir", archiveDir.toString(), "--day", "2026-11-20",
            "--stream", Integer.toString(STREAM), "--strategy", ThrowingStrategy.class.getName());
        final long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs);
        assertEquals(1, run.exitCode(), "a strategy that threw fails the backtest: " + run.out() + run.err());
        assertStrategyErrorsReported(run, "backtest", QUOTES, seconds);
        assertTrue(run.out().contains("{\"trades\":" + QUOTES + "}"), "the strategy went on: " + run.out());
    }

    /**
     * One stack trace (of the first throw), then at most one count line a second and one at the end, and the total
     * in the summary line.
     */
    static void assertStrategyErrorsReported(final CliRun run, final String command, final long throws_,
        final long seconds)
    {
        final String err = run.err();
        assertEquals(1, err.split("the strategy threw \\(first", -1).length - 1, err);
        assertEquals(1, err.split("java.lang.IllegalStateException: bug on trade 1\n", -1).length - 1,
            "the first throw's trace, once: " + err);
        assertTrue(!err.contains("bug on trade 2\n"), "no second trace: " + err);
        final long traceLines = err.lines().filter(l -> l.startsWith("\tat ") || l.startsWith("\t...")).count();
        assertTrue(traceLines > 0, err);
        final long otherLines = err.lines().filter(l -> !l.isBlank() && !l.startsWith("\t")).count();
        // the heading, the exception line, and the count lines: at most one a second plus the last
        assertTrue(otherLines <= 2 + seconds + 2, "bounded, not one line per throw (" + throws_ + "): " + err);
        assertTrue(err.contains("(" + throws_ + " in all; latest: java.lang.IllegalStateException: bug on trade " +
            throws_ + ")"), err);
        assertTrue(run.out().contains(", " + throws_ + " strategy errors in "), command + " summary: " + run.out());
    }

    @Test
    void runtimeErrorsAreOneLineAndUsageErrorsShowUsage() throws Exception
    {
        final Path archiveDir = recordDay();
        final CliRun missingClass = CliRun.run("backtest", "--dir", archiveDir.toString(), "--day", "2026-11-20",
            "--stream", Integer.toString(STREAM), "--strategy", "com.example.Nope");
        assertEquals(1, missingClass.exitCode(), "a class this JVM lacks is a runtime error");
        assertTrue(missingClass.err().contains("class not found"), missingClass.err());
        assertEquals(1, missingClass.err().strip().lines().count(), "one line, no usage: " + missingClass.err());

        final CliRun notAStrategy = CliRun.run("backtest", "--dir", archiveDir.toString(), "--day", "2026-11-20",
            "--stream", Integer.toString(STREAM), "--strategy", "java.lang.String");
        assertEquals(2, notAStrategy.exitCode());
        assertTrue(notAStrategy.err().contains("does not implement"), notAStrategy.err());
        assertTrue(notAStrategy.err().contains("Usage:"), notAStrategy.err());

        final CliRun unknownDay = CliRun.run("backtest", "--dir", archiveDir.toString(), "--day", "2020-01-01",
            "--stream", Integer.toString(STREAM), "--strategy", "io.tickbus.client.strategy.examples.MidPriceStrategy");
        assertEquals(1, unknownDay.exitCode(), unknownDay.out() + unknownDay.err());
        assertTrue(unknownDay.err().contains("no recording of stream " + STREAM + " on 2020-01-01"), unknownDay.err());
        assertEquals(1, unknownDay.err().strip().lines().count(), "one line, no usage: " + unknownDay.err());

        final CliRun badFormat = CliRun.run("export", "--dir", archiveDir.toString(), "--day", "2026-11-20",
            "--stream", Integer.toString(STREAM), "--format", "xlsx");
        assertEquals(2, badFormat.exitCode());
        assertTrue(badFormat.err().contains("csv or parquet"), badFormat.err());
        assertEquals(2, CliRun.run("export", "--dir", archiveDir.toString(), "--day", "2026-11-20",
            "--stream", Integer.toString(STREAM), "--zone", "Mars/Olympus").exitCode());
        assertEquals(2, CliRun.run("export", "--dir", archiveDir.toString(), "--day", "2026-11-20",
            "--stream", Integer.toString(STREAM), "--type", "Quote").exitCode());
        assertEquals(2, CliRun.run("export", "--dir", archiveDir.toString(), "--day", "2026-11-20",
            "--stream", Integer.toString(STREAM), "--from", "10:00:00", "--to", "09:00:00").exitCode());
        assertEquals(2, CliRun.run("export", "--dir", dir.resolve("nothing").toString(), "--day", "2026-11-20",
            "--stream", "1").exitCode());
    }

    @Test
    void exportFiltersBySymbolAndTypeAndWritesMissingAsEmpty() throws Exception
    {
        final Path archiveDir = recordDay();
        final Path out = dir.resolve("filtered");
        final CliRun export = CliRun.run("export", "--dir", archiveDir.toString(), "--day", "2026-11-20",
            "--stream", Integer.toString(STREAM), "--type", "TopOfBook", "--symbol", "TBUS", "--iso-times",
            "--zone", "America/New_York", "--out", out.toString());
        assertEquals(0, export.exitCode(), export.err());
        assertTrue(Files.exists(out.resolve("TopOfBook.csv")));
        assertTrue(!Files.exists(out.resolve("Trade.csv")), "--type TopOfBook leaves trades out");
        assertTrue(!Files.exists(out.resolve("InstrumentDefinition.csv")), "definitions are read, not written");
        final List<String> quotes = Files.readAllLines(out.resolve("TopOfBook.csv"));
        // Unsequenced: globalSeq and sequencerTime are empty, not 0; 14:30 UTC is 09:30 in New York in November.
        assertTrue(quotes.get(1).startsWith(",,"), quotes.get(1));
        assertTrue(quotes.get(1).contains(",2026-11-20T09:30:00.02-05:00,"), quotes.get(1));
        final String summary = export.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(summary.startsWith("{\"format\":\"csv\"") && summary.contains("\"rows\":{\"TopOfBook\":" + QUOTES +
            "}") && summary.contains("\"bytes\":") && summary.contains("\"seconds\":"), summary);

        final CliRun other = CliRun.run("export", "--dir", archiveDir.toString(), "--day", "2026-11-20",
            "--stream", Integer.toString(STREAM), "--symbol", "NOPE", "--out", dir.resolve("none").toString());
        assertEquals(0, other.exitCode(), other.err());
        assertTrue(other.out().contains("\"totalRows\":0"), "no message of another symbol: " + other.out());
    }
}
