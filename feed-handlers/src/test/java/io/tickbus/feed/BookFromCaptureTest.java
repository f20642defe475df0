package io.tickbus.feed;

import io.tickbus.client.CommonBlock;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.MessageSink;
import io.tickbus.client.book.BookSide;
import io.tickbus.client.book.OrderBook;
import io.tickbus.client.book.OrderBooks;
import io.tickbus.feed.pcap.CaptureReader;
import io.tickbus.sbe.PriceLevelUpdateDecoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Order books built from the real captures (venue decoder, then {@link OrderBooks} through a
 * {@link MessageDispatcher}) agree with price levels worked out in this test straight from the venue bytes, by the
 * specifications' offsets and with a deliberately plain model (sorted maps, no pooling, no shared code with the
 * decoders or the book). {@link CaptureReader} is used only to get the UDP payloads out of the captures.
 * <ul>
 *   <li>IEX DEEP 1.0 (IEX-TP v1): price level updates {@code 0x38 '8'} buy and {@code 0x35 '5'} sell: flags @1,
 *   timestamp @2, symbol @10 (8 ASCII), size @18 (u32 LE), price @22 (i64 LE, 4 implied decimals); a size of 0
 *   removes the level. The three symbols with the most updates are checked level by level after every update, and
 *   every symbol's full depth at the end of the capture.</li>
 *   <li>ITCH 5.0 over MoldUDP64: add {@code A}/{@code F} (ref @11, side @19, shares @20, stock @24, price @32 with 4
 *   implied decimals), executed {@code E} and {@code C} (shares @19), cancel {@code X} (shares @19), delete
 *   {@code D}, replace {@code U} (original ref @11, new ref @19, shares @27, price @31), all big-endian, stock
 *   locate @1. Every locate's aggregated levels (price, shares, order count) and its count of references to
 *   orders the capture never added.</li>
 * </ul>
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BookFromCaptureTest
{
    private static final int FEED_ID = 1;
    private static final int TOP_LEVELS = 3;
    private static final long NO_PRICE = Long.MIN_VALUE;

    @Test
    void iexDeepBooksAgreeWithLevelsDecodedFromTheSpecification() throws IOException
    {
        final Path file = capture("iex", "iex_deep10_20231002_excerpt.pcap.gz");

        // expected: walk the IEX-TP segments and DEEP price level updates by hand
        final Map<String, SimpleLevels> expectedBooks = new HashMap<>();
        final Map<String, List<List<Long>>> expectedTops = new HashMap<>();
        long nextSeq = -1;
        for (final byte[] segment : payloads(file))
        {
            final int count = u16le(segment, 14);
            final long firstSeq = i64le(segment, 24);
            int pos = 40;
            for (int i = 0; i < count; i++)
            {
                final int length = u16le(segment, pos);
                final int m = pos + 2;
                pos += 2 + length;
                final long seq = firstSeq + i;
                if (seq < nextSeq)
                {
                    continue; // seen already in an earlier segment
                }
                nextSeq = seq + 1;
                final int type = segment[m] & 0xFF;
                if (0x38 != type && 0x35 != type)
                {
                    continue;
                }
                final String symbol = new String(segment, m + 10, 8, StandardCharsets.US_ASCII).trim();
                final long size = u32le(segment, m + 18);
                final long price = i64le(segment, m + 22);
                final SimpleLevels levels = expectedBooks.computeIfAbsent(symbol, (s) -> new SimpleLevels());
                levels.set(0x38 == type, price, size);
                expectedTops.computeIfAbsent(symbol, (s) -> new ArrayList<>()).add(levels.top(TOP_LEVELS));
            }
        }

        // actual: the venue decoder into the book builder, noting the top levels after every level update
        final OrderBooks books = new OrderBooks();
        final Map<String, List<List<Long>>> actualTops = new HashMap<>();
        final BookSink sink = new BookSink(books, (book) ->
            actualTops.computeIfAbsent(book.symbol(), (s) -> new ArrayList<>()).add(top(book, TOP_LEVELS)));
        final PacketDecoder decoder = Venues.newDecoder(Venues.IEX_DEEP, new DecoderContext()
            .sink(sink).feedId(FEED_ID).tradingDate(LocalDate.of(2023, 10, 2)));
        play(file, decoder);

        final List<String> busiest = new ArrayList<>(expectedTops.keySet());
        busiest.sort(Comparator.comparing((String s) -> -expectedTops.get(s).size()).thenComparing(s -> s));
        final List<String> chosen = busiest.subList(0, Math.min(3, busiest.size()));
        assertEquals(3, chosen.size(), "symbols with price level updates: " + busiest);
        for (final String symbol : chosen)
        {
            final List<List<Long>> expected = expectedTops.get(symbol);
            assertTrue(expected.size() >= 10, symbol + " has several updates: " + expected.size());
            final List<List<Long>> actual = actualTops.getOrDefault(symbol, Collections.emptyList());
            assertEquals(expected.size(), actual.size(), symbol + " level updates applied");
            for (int i = 0; i < expected.size(); i++)
            {
                assertEquals(expected.get(i), actual.get(i), symbol + " top levels after update " + (i + 1));
            }
        }

        int booksChecked = 0;
        for (final Map.Entry<String, SimpleLevels> e : expectedBooks.entrySet())
        {
            final OrderBook book = bookBySymbol(books, e.getKey());
            assertNotNull(book, "book for " + e.getKey());
            assertEquals(e.getValue().depth(true), depth(book.bids(), false), e.getKey() + " bids");
            assertEquals(e.getValue().depth(false), depth(book.asks(), false), e.getKey() + " asks");
            booksChecked++;
        }
        assertTrue(booksChecked >= 3, "books checked " + booksChecked);
    }

    @Test
    void itchMultiplePacketsBookAgreesWithOrdersDecodedFromTheSpecification() throws IOException
    {
        final Path file = capture("itch50", "v5.0_Multiple.Packets.pcap");
        final ItchModel expected = new ItchModel();
        for (final byte[] packet : payloads(file))
        {
            expected.onMoldPacket(packet);
        }

        final OrderBooks books = decodeItch(List.of(file));
        assertTrue(expected.addsByLocate.values().stream().anyMatch((n) -> n >= 10), "a locate with many adds");
        expected.assertBooks(books);
    }

    @Test
    void itchSampleDayBooksAgreeAcrossAddsExecutesCancelsDeletesAndReplaces() throws IOException
    {
        // the 2023-08-22 samples are one trading day (stock locates are per day): decode them as one session
        final List<Path> files = new ArrayList<>();
        for (final String type : new String[]{"AddOrderNoMPID", "AddOrderWithMPID", "OrderExecuted",
            "OrderExecutedWithPrice", "OrderCancel", "OrderDelete", "OrderReplace"})
        {
            files.add(capture("itch50", "v5.0.20230822_" + type + ".pcap"));
        }
        final ItchModel expected = new ItchModel();
        for (final Path file : files)
        {
            for (final byte[] packet : payloads(file))
            {
                expected.onMoldPacket(packet);
            }
        }
        assertTrue(expected.unknownByLocate.size() >= 10, "references on several locates");

        expected.assertBooks(decodeItch(files));
    }

    private static OrderBooks decodeItch(final List<Path> files) throws IOException
    {
        final OrderBooks books = new OrderBooks();
        final PacketDecoder decoder = Venues.newDecoder(Venues.ITCH5, new DecoderContext()
            .sink(new BookSink(books, null)).feedId(FEED_ID).tradingDate(LocalDate.of(2023, 8, 22)));
        for (final Path file : files)
        {
            play(file, decoder);
        }
        return books;
    }

    /**
     * A plain ITCH order model: a hash map of live orders and, per locate, sorted maps of aggregated levels.
     */
    private static final class ItchModel
    {
        final Map<Long, long[]> orders = new HashMap<>(); // ref -> {locate, buy 1/0, price, shares}
        final Map<Integer, Long> addsByLocate = new TreeMap<>();
        final Map<Integer, Long> unknownByLocate = new TreeMap<>();

        void onMoldPacket(final byte[] packet)
        {
            final int count = u16be(packet, 18);
            int pos = 20;
            for (int i = 0; i < count && 0xFFFF != count; i++)
            {
                final int length = u16be(packet, pos);
                onMessage(packet, pos + 2);
                pos += 2 + length;
            }
        }

        void onMessage(final byte[] m, final int at)
        {
            final char type = (char)m[at];
            final int locate = u16be(m, at + 1);
            switch (type)
            {
                case 'A', 'F' ->
                {
                    final long ref = TestSupport.be(m, at + 11, 8);
                    orders.put(ref, new long[]{locate, 'B' == m[at + 19] ? 1 : 0,
                        TestSupport.be(m, at + 32, 4), TestSupport.be(m, at + 20, 4)});
                    addsByLocate.merge(locate, 1L, Long::sum);
                }
                case 'E', 'C', 'X' -> reduce(locate, TestSupport.be(m, at + 11, 8), TestSupport.be(m, at + 19, 4));
                case 'D' ->
                {
                    if (null == orders.remove(TestSupport.be(m, at + 11, 8)))
                    {
                        unknownByLocate.merge(locate, 1L, Long::sum);
                    }
                }
                case 'U' ->
                {
                    final long[] order = orders.remove(TestSupport.be(m, at + 11, 8));
                    if (null == order)
                    {
                        unknownByLocate.merge(locate, 1L, Long::sum);
                    }
                    else
                    {
                        orders.put(TestSupport.be(m, at + 19, 8), new long[]{order[0], order[1],
                            TestSupport.be(m, at + 31, 4), TestSupport.be(m, at + 27, 4)});
                    }
                }
                default ->
                {
                }
            }
        }

        private void reduce(final int locate, final long ref, final long shares)
        {
            final long[] order = orders.get(ref);
            if (null == order)
            {
                unknownByLocate.merge(locate, 1L, Long::sum);
                return;
            }
            order[3] -= shares;
            if (order[3] <= 0)
            {
                orders.remove(ref);
            }
        }

        /** price -> {shares, orders} per side of a locate. */
        NavigableMap<Long, long[]> levels(final int locate, final boolean buy)
        {
            final NavigableMap<Long, long[]> levels = buy ? new TreeMap<>(Comparator.reverseOrder()) : new TreeMap<>();
            for (final long[] order : orders.values())
            {
                if (order[0] == locate && (1 == order[1]) == buy)
                {
                    final long[] level = levels.computeIfAbsent(order[2], (p) -> new long[2]);
                    level[0] += order[3];
                    level[1]++;
                }
            }
            return levels;
        }

        void assertBooks(final OrderBooks books)
        {
            final java.util.Set<Integer> locates = new java.util.TreeSet<>(addsByLocate.keySet());
            locates.addAll(unknownByLocate.keySet());
            for (final int locate : locates)
            {
                final OrderBook book = books.book(FEED_ID, locate);
                assertNotNull(book, "book of locate " + locate);
                for (final boolean buy : new boolean[]{true, false})
                {
                    final List<Long> expected = new ArrayList<>();
                    for (final Map.Entry<Long, long[]> e : levels(locate, buy).entrySet())
                    {
                        expected.add(e.getKey());
                        expected.add(e.getValue()[0]);
                        expected.add(e.getValue()[1]);
                    }
                    assertEquals(expected, depth(buy ? book.bids() : book.asks(), true),
                        "locate " + locate + (buy ? " bids" : " asks"));
                }
                assertEquals(unknownByLocate.getOrDefault(locate, 0L).longValue(), book.unknownOrderCount(),
                    "references to unknown orders on locate " + locate);
            }
        }
    }

    /** Market-by-price levels of one symbol in two sorted maps. */
    private static final class SimpleLevels
    {
        final TreeMap<Long, Long> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<Long, Long> asks = new TreeMap<>();

        void set(final boolean buy, final long price, final long size)
        {
            final TreeMap<Long, Long> side = buy ? bids : asks;
            if (0 == size)
            {
                side.remove(price);
            }
            else
            {
                side.put(price, size);
            }
        }

        List<Long> depth(final boolean buy)
        {
            final List<Long> out = new ArrayList<>();
            for (final Map.Entry<Long, Long> e : (buy ? bids : asks).entrySet())
            {
                out.add(e.getKey());
                out.add(e.getValue());
            }
            return out;
        }

        List<Long> top(final int n)
        {
            final List<Long> out = new ArrayList<>();
            for (final TreeMap<Long, Long> side : List.of(bids, asks))
            {
                int i = 0;
                for (final Map.Entry<Long, Long> e : side.entrySet())
                {
                    if (i++ == n)
                    {
                        break;
                    }
                    out.add(e.getKey());
                    out.add(e.getValue());
                }
                for (; i < n; i++)
                {
                    out.add(NO_PRICE);
                    out.add(0L);
                }
            }
            return out;
        }
    }

    /** Sink of the decoder: dispatches every message to the books, then reports level updates. */
    private static final class BookSink implements MessageSink
    {
        private final OrderBooks books;
        private final MessageDispatcher dispatcher;
        private final java.util.function.Consumer<OrderBook> onLevelUpdate;

        BookSink(final OrderBooks books, final java.util.function.Consumer<OrderBook> onLevelUpdate)
        {
            this.books = books;
            this.dispatcher = new MessageDispatcher(books);
            this.onLevelUpdate = onLevelUpdate;
        }

        public long publish(final MutableDirectBuffer buffer, final int offset, final int length)
        {
            assertTrue(dispatcher.dispatch(buffer, offset, length, 0), "decoder output dispatched");
            if (null != onLevelUpdate && PriceLevelUpdateDecoder.TEMPLATE_ID == CommonBlock.templateId(buffer, offset))
            {
                onLevelUpdate.accept(
                    books.book(CommonBlock.feedId(buffer, offset), CommonBlock.instrumentId(buffer, offset)));
            }
            return 1;
        }
    }

    private static List<Long> top(final OrderBook book, final int n)
    {
        final List<Long> out = new ArrayList<>();
        for (final BookSide side : List.of(book.bids(), book.asks()))
        {
            for (int i = 0; i < n; i++)
            {
                out.add(i < side.depth() ? side.priceAt(i) : NO_PRICE);
                out.add(i < side.depth() ? side.quantityAt(i) : 0L);
            }
        }
        return out;
    }

    private static List<Long> depth(final BookSide side, final boolean withOrders)
    {
        final List<Long> out = new ArrayList<>();
        for (int i = 0; i < side.depth(); i++)
        {
            out.add(side.priceAt(i));
            out.add(side.quantityAt(i));
            if (withOrders)
            {
                out.add((long)side.orderCountAt(i));
            }
        }
        return out;
    }

    private static OrderBook bookBySymbol(final OrderBooks books, final String symbol)
    {
        for (final OrderBook book : books.books())
        {
            if (symbol.equals(book.symbol()))
            {
                return book;
            }
        }
        return null;
    }

    private static Path capture(final String folder, final String name)
    {
        final Path file = TestSupport.sharedData().resolve(folder).resolve(name);
        assumeTrue(Files.isRegularFile(file), "capture absent: " + file);
        return file;
    }

    private static void play(final Path file, final PacketDecoder decoder) throws IOException
    {
        try (CaptureReader reader = CaptureReader.open(file))
        {
            while (reader.next())
            {
                decoder.onPacket(reader.buffer(), reader.payloadOffset(), reader.payloadLength(),
                    reader.captureTimeNs(), reader.packetNumber(), reader.fileOffset());
            }
            assertEquals(0, reader.corrupt() + reader.malformed(), "capture reads cleanly: " + file);
        }
    }

    private static List<byte[]> payloads(final Path file) throws IOException
    {
        final List<byte[]> payloads = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(file))
        {
            while (reader.next())
            {
                final DirectBuffer buffer = reader.buffer();
                final byte[] bytes = new byte[reader.payloadLength()];
                buffer.getBytes(reader.payloadOffset(), bytes);
                payloads.add(bytes);
            }
        }
        return payloads;
    }

    private static int u16le(final byte[] b, final int at)
    {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
    }

    private static long u32le(final byte[] b, final int at)
    {
        return java.nio.ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL;
    }

    private static long i64le(final byte[] b, final int at)
    {
        return java.nio.ByteBuffer.wrap(b, at, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static int u16be(final byte[] b, final int at)
    {
        return (int)TestSupport.be(b, at, 2);
    }
}
