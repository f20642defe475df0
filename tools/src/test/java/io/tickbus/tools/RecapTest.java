package io.tickbus.tools;

import io.tickbus.archive.ArchiveDirectory;
import io.tickbus.archive.DayCatalog;
import io.tickbus.archive.DaySegment;
import io.tickbus.archive.client.DayReplayer;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.book.BookSide;
import io.tickbus.client.book.Order;
import io.tickbus.client.book.OrderBook;
import io.tickbus.client.book.OrderBooks;
import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.BookSnapshotDecoder;
import io.tickbus.sbe.CancelOrderDecoder;
import io.tickbus.sbe.ExecuteOrderDecoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.ModifyOrderDecoder;
import io.tickbus.sbe.PriceLevelUpdateDecoder;
import io.tickbus.sbe.TopOfBookDecoder;
import io.tickbus.sbe.TradeDecoder;
import io.tickbus.sbe.TradingStatusDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The recap (issue 16): a backtest or replay that starts mid-day first gets the definitions, trading status and
 * books in force, so books built from the recap plus the rest of the day equal books built from the start of the
 * day, on the IEX TOPS sample day (top-of-book books, recapped as BookSnapshots) and on a simulated ITCH day
 * (order-by-order books, recapped as AddOrders in priority order). Archive control endpoints on UDP
 * 127.0.0.1:15601 and :15602.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RecapTest
{
    private static final int STREAM = 15610;
    private static final Path TOPS = Path.of(System.getProperty("tickbus.shared.data", "../shared/data"),
        "iex", "20180127_IEXTP1_TOPS1.6.pcap.gz");

    @TempDir
    Path dir;

    private CliRun archiveRun;

    @AfterEach
    void close()
    {
        ArchiveCommand.requestStopAll();
        if (null != archiveRun)
        {
            archiveRun.exitCode();
            archiveRun.close();
        }
    }

    @Test
    void iexSampleDayFromMidDayHasSymbolsAndTheBooksOfTheWholeDay() throws Exception
    {
        assumeTrue(Files.isReadable(TOPS), "IEX sample day not available at " + TOPS);
        final Path archiveDir = startArchive(15601);
        final String aeronDir = ArchiveDirectory.runningInfo(archiveDir).getProperty("aeron.dir");
        final CliRun feed = CliRun.run("feed", "--venue", "iex-tops", "--from", TOPS.toString(), "--channel",
            "aeron:ipc", "--stream", Integer.toString(STREAM), "--driver-dir", aeronDir, "--await-subscriber", "10s",
            "--summary");
        assertEquals(0, feed.exitCode(), feed.out() + feed.err());
        final long published = CliRun.jsonLong(feed.out().strip().lines().reduce((a, b) -> b).orElseThrow(),
            "published");
        final String day = awaitRecorded(archiveDir, published);
        final String from = midDay(archiveDir, day);

        // The bug: without a recap every book of the window lacks its symbol (the definitions lie before it).
        final String strategy = SymbolCheckStrategy.class.getName();
        final CliRun without = CliRun.run("backtest", "--dir", archiveDir.toString(), "--day", day, "--stream",
            Integer.toString(STREAM), "--strategy", strategy, "--from", from, "--no-recap");
        assertEquals(0, without.exitCode(), without.out() + without.err());
        assertTrue(jsonAfter(without.out(), "updatesWithoutSymbol") > 0, without.out());

        final CliRun with = CliRun.run("backtest", "--dir", archiveDir.toString(), "--day", day, "--stream",
            Integer.toString(STREAM), "--strategy", strategy, "--from", from);
        assertEquals(0, with.exitCode(), with.out() + with.err());
        assertEquals(0, jsonAfter(with.out(), "updatesWithoutSymbol"), with.out());
        assertTrue(jsonAfter(with.out(), "updates") > 1000, with.out());
        assertTrue(with.out().contains("recap: "), with.out());

        assertBooksFromRecapEqualBooksFromTheStart(archiveDir, day, from, 0);
    }

    @Test
    void simulatedItchDayFromMidDayHasTheBooksOfTheWholeDay() throws Exception
    {
        final Path file = dir.resolve("day.itch");
        final CliRun simulate = CliRun.run("simulate", "--venue", "itch5", "--profile", "day", "--count", "200000",
            "--rate", "max", "--to", file.toString());
        assertEquals(0, simulate.exitCode(), simulate.out() + simulate.err());
        final Path archiveDir = startArchive(15602);
        final String aeronDir = ArchiveDirectory.runningInfo(archiveDir).getProperty("aeron.dir");
        final CliRun feed = CliRun.run("feed", "--venue", "itch5", "--from", file.toString(), "--date", "2026-11-20",
            "--speed", "max", "--channel", "aeron:ipc", "--stream", Integer.toString(STREAM), "--driver-dir", aeronDir,
            "--await-subscriber", "10s", "--summary");
        assertEquals(0, feed.exitCode(), feed.out() + feed.err());
        final long published = CliRun.jsonLong(feed.out().strip().lines().reduce((a, b) -> b).orElseThrow(),
            "published");
        final String day = awaitRecorded(archiveDir, published);
        final String from = midDay(archiveDir, day);

        final int addOrders = assertBooksFromRecapEqualBooksFromTheStart(archiveDir, day, from, 1);
        assertTrue(addOrders > 100, "an ITCH book is recapped order by order: " + addOrders + " AddOrders");

        // The replay command's summary reports the recap and what it skipped or was refused.
        final CliRun subscribe = CliRun.start("subscribe", "--channel", "aeron:ipc", "--stream", "15611",
            "--driver-dir", aeronDir, "--summary", "--duration", "60s", "--count", "1000000000");
        Thread.sleep(1000);
        final CliRun replay = CliRun.run("replay", "--dir", archiveDir.toString(), "--day", day, "--stream",
            Integer.toString(STREAM), "--from", from, "--channel", "aeron:ipc", "--to-stream", "15611",
            "--no-progress");
        assertEquals(0, replay.exitCode(), replay.out() + replay.err());
        final String summary = replay.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(CliRun.jsonLong(summary, "recapMessages") > 100, summary);
        assertTrue(CliRun.jsonLong(summary, "recapMessagesRead") > 1000, summary);
        assertTrue(CliRun.jsonLong(summary, "messages") > 1000, summary);
        assertEquals(0, CliRun.jsonLong(summary, "repeats"), summary);
        assertTrue(summary.contains("\"backPressured\":") && summary.contains("\"seconds\":"), summary);
        subscribe.close();
    }

    private Path startArchive(final int controlPort)
    {
        final Path archiveDir = dir.resolve("archive");
        archiveRun = CliRun.start("archive", "--dir", archiveDir.toString(), "--control-channel",
            "aeron:udp?endpoint=127.0.0.1:" + controlPort, "--record", "aeron:ipc:" + STREAM);
        CliRun.await("archive running", () -> Files.exists(archiveDir.resolve(ArchiveDirectory.INFO_FILE)) ||
            archiveRun.isDone());
        assertFalse(archiveRun.isDone(), archiveRun.err());
        return archiveDir;
    }

    private static String awaitRecorded(final Path archiveDir, final long published)
    {
        final String[] day = new String[1];
        CliRun.await("catalog holds the day", () ->
        {
            final CliRun list = CliRun.run("recordings", "--dir", archiveDir.toString(), "--json");
            final Matcher m = Pattern.compile("\"day\":\"([0-9-]+)\",\"stream\":" + STREAM + ",.*?\"messages\":(\\d+)")
                .matcher(list.out());
            if (0 == list.exitCode() && m.find() && Long.parseLong(m.group(2)) >= published)
            {
                day[0] = m.group(1);
                return true;
            }
            return false;
        });
        return day[0];
    }

    /** @return the time of day halfway between the day's first and last message, in the catalog's zone. */
    private static String midDay(final Path archiveDir, final String day) throws Exception
    {
        final DayCatalog catalog = DayCatalog.load(archiveDir);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (final DaySegment s : catalog.segments(LocalDate.parse(day), STREAM))
        {
            first = Math.min(first, s.firstExchangeTime());
            last = Math.max(last, s.lastExchangeTime());
        }
        final long mid = first + (last - first) / 2;
        final LocalTime time = Instant.ofEpochSecond(0, mid).atZone(catalog.dayRule().zone()).toLocalTime();
        return time.withNano(0).toString();
    }

    private static long jsonAfter(final String out, final String name)
    {
        final int at = out.lastIndexOf('{');
        return CliRun.jsonLong(out.substring(at), name);
    }

    /**
     * Replay the whole day and the day from {@code from} (recap first) into books; they must be equal.
     *
     * @return AddOrder recap messages seen.
     */
    private static int assertBooksFromRecapEqualBooksFromTheStart(
        final Path archiveDir, final String day, final String from, final int expectedRecapTemplatesKind)
        throws Exception
    {
        final StringWriter errors = new StringWriter();
        final OrderBooks whole = new OrderBooks();
        final RecapCount recapped = new RecapCount();
        final OrderBooks fromRecap = new OrderBooks();
        final Map<Long, String> wholeImage;
        final Map<Long, String> recapImage;
        try (StopSignal stop = StopSignal.register();
            RecordedDaySession session = RecordedDaySession.open(archiveDir, new PrintWriter(errors, true), "test"))
        {
            final MessageSelection all = new MessageSelection();
            all.conclude();
            final DayReplayer.Context wholeDay = new DayReplayer.Context().day(LocalDate.parse(day)).streamId(STREAM);
            session.replayInto(wholeDay, session.privateStream(0), whole, all, Progress.OFF, stop,
                TimeUnit.SECONDS.toNanos(120));
            final DayReplayer.Context window = new DayReplayer.Context().day(LocalDate.parse(day)).streamId(STREAM)
                .from(LocalTime.parse(from));
            session.replayInto(window, session.privateStream(0), recapped.into(fromRecap), all, Progress.OFF, stop,
                TimeUnit.SECONDS.toNanos(120));
            final DayReplayer.Result result = session.lastReplay();
            assertTrue(result.recapMessagesRead() > 1000, "the recap read the morning: " + result);
            assertEquals(result.recapMessages(), recapped.recapMessages, "every recap message arrived, flagged");
            assertTrue(result.messages() > 1000, "and then the window: " + result);
        }
        assertEquals("", errors.toString());
        wholeImage = image(whole);
        recapImage = image(fromRecap);
        assertTrue(wholeImage.size() > 10, "books at the end of the day: " + wholeImage.size());
        assertEquals(wholeImage.keySet(), recapImage.keySet(), "the same instruments have books");
        int differences = 0;
        String firstDifference = null;
        for (final Map.Entry<Long, String> e : wholeImage.entrySet())
        {
            if (!e.getValue().equals(recapImage.get(e.getKey())))
            {
                differences++;
                firstDifference = null == firstDifference ?
                    "whole day: " + e.getValue() + "\nrecap + rest: " + recapImage.get(e.getKey()) : firstDifference;
            }
        }
        assertEquals(0, differences, differences + " books differ, the first:\n" + firstDifference);
        if (0 == expectedRecapTemplatesKind)
        {
            assertTrue(recapped.bookSnapshots > 10, "level books are recapped as snapshots: " + recapped.bookSnapshots);
            assertTrue(recapped.definitions > 10, "definitions recapped: " + recapped.definitions);
        }
        return recapped.addOrders;
    }

    /** Per book (feed id, instrument id): symbol, exponent, order count, each level, each order in priority. */
    private static Map<Long, String> image(final OrderBooks books)
    {
        final Map<Long, String> image = new TreeMap<>();
        for (final OrderBook book : books.books())
        {
            if (null == book.symbol() && book.bids().isEmpty() && book.asks().isEmpty())
            {
                continue; // an empty book without a definition is no state (a market-wide trade, say)
            }
            final StringBuilder sb = new StringBuilder();
            sb.append(book.symbol()).append(" exp=").append(book.priceExponent()).append(" orders=")
                .append(book.orderCount()).append(" bid=").append(book.bestBidPrice()).append('x')
                .append(book.bestBidQuantity()).append(" ask=").append(book.bestAskPrice()).append('x')
                .append(book.bestAskQuantity());
            side(sb.append(" bids:"), book.bids());
            side(sb.append(" asks:"), book.asks());
            image.put(((long)book.feedId() << 32) | (book.instrumentId() & 0xFFFF_FFFFL), sb.toString());
        }
        return image;
    }

    private static void side(final StringBuilder sb, final BookSide side)
    {
        for (int i = 0; i < side.depth(); i++)
        {
            sb.append(' ').append(side.quantityAt(i)).append('@').append(side.priceAt(i)).append('/')
                .append(side.orderCountAt(i));
            for (Order order = side.level(i).firstOrder(); null != order; order = order.next())
            {
                sb.append(" #").append(order.orderId()).append(':').append(order.quantity());
            }
        }
    }

    /** Counts recap messages (by their flag) on their way into the books. */
    private static final class RecapCount
    {
        long recapMessages;
        int addOrders;
        int bookSnapshots;
        int definitions;

        MarketDataListener into(final OrderBooks books)
        {
            return new MarketDataListener()
            {
                public void onInstrumentDefinition(final InstrumentDefinitionDecoder msg)
                {
                    if (recap(msg.common().flags()))
                    {
                        definitions++;
                    }
                    books.onInstrumentDefinition(msg);
                }

                public void onTradingStatus(final TradingStatusDecoder msg)
                {
                    recap(msg.common().flags());
                }

                public void onAddOrder(final AddOrderDecoder msg)
                {
                    if (recap(msg.common().flags()))
                    {
                        addOrders++;
                    }
                    books.onAddOrder(msg);
                }

                public void onModifyOrder(final ModifyOrderDecoder msg)
                {
                    books.onModifyOrder(msg);
                }

                public void onCancelOrder(final CancelOrderDecoder msg)
                {
                    books.onCancelOrder(msg);
                }

                public void onExecuteOrder(final ExecuteOrderDecoder msg)
                {
                    books.onExecuteOrder(msg);
                }

                public void onPriceLevelUpdate(final PriceLevelUpdateDecoder msg)
                {
                    books.onPriceLevelUpdate(msg);
                }

                public void onTrade(final TradeDecoder msg)
                {
                    books.onTrade(msg);
                }

                public void onTopOfBook(final TopOfBookDecoder msg)
                {
                    books.onTopOfBook(msg);
                }

                public void onBookSnapshot(final BookSnapshotDecoder msg)
                {
                    if (recap(msg.common().flags()))
                    {
                        bookSnapshots++;
                    }
                    books.onBookSnapshot(msg);
                }
            };
        }

        private boolean recap(final short flags)
        {
            final boolean recap = 0 != (flags & CommonBlock.FLAG_RECAP);
            if (recap)
            {
                recapMessages++;
            }
            return recap;
        }
    }
}
