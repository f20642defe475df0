package io.tickbus.client.book;

import io.tickbus.client.MessageDispatcher;
import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.Side;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static io.tickbus.sbe.Side.BUY;
import static io.tickbus.sbe.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-built scenarios: every expected level below is worked out by hand from the ITCH / MDP3 semantics in the
 * wire-format document, not taken from the builder's output.
 */
@Timeout(30)
class OrderBookScenarioTest
{
    private static final int ID = 7;

    private final BookMessages messages = new BookMessages();
    private final List<String> trades = new ArrayList<>();
    private final List<Integer> updates = new ArrayList<>();
    private OrderBooks books;
    private MessageDispatcher dispatcher;
    private int applied;

    @BeforeEach
    void setUp()
    {
        books = new OrderBooks(new OrderBooks.Context().ordersPerBook(16).levelsPerSide(4).pooledOrders(4)
            .listener(new BookListener()
            {
                public void onBookUpdate(final OrderBook book, final int templateId)
                {
                    updates.add(templateId);
                }

                public void onTrade(final OrderBook book, final long price, final long quantity, final long time)
                {
                    trades.add(quantity + "@" + price);
                }
            }));
        dispatcher = new MessageDispatcher(books);
    }

    private OrderBook apply()
    {
        for (; applied < messages.count(); applied++)
        {
            assertTrue(dispatcher.dispatch(
                messages.buffer(), messages.offset(applied), messages.length(applied), 0), "dispatched " + applied);
        }
        return books.book(1, ID);
    }

    private static void assertSide(final BookSide side, final long... priceQtyCount)
    {
        assertEquals(priceQtyCount.length / 3, side.depth(), side.side() + " depth");
        for (int i = 0; i < side.depth(); i++)
        {
            assertEquals(priceQtyCount[3 * i], side.priceAt(i), side.side() + " price at " + i);
            assertEquals(priceQtyCount[3 * i + 1], side.quantityAt(i), side.side() + " quantity at " + i);
            assertEquals(priceQtyCount[3 * i + 2], side.orderCountAt(i), side.side() + " orders at " + i);
        }
    }

    private void standardBook()
    {
        messages.add(ID, 1, BUY, 100_0000, 100)
            .add(ID, 2, BUY, 100_0000, 50)
            .add(ID, 3, BUY, 99_9900, 200)
            .add(ID, 4, SELL, 100_0100, 300)
            .add(ID, 5, SELL, 100_0200, 10)
            .add(ID, 6, SELL, 100_0100, 20);
    }

    @Test
    void addsAggregateIntoLevelsBestFirstWithTimePriority()
    {
        standardBook();
        final OrderBook book = apply();
        assertSide(book.bids(), 100_0000, 150, 2, 99_9900, 200, 1);
        assertSide(book.asks(), 100_0100, 320, 2, 100_0200, 10, 1);
        assertEquals(6, book.orderCount());
        assertEquals(-4, book.priceExponent());
        final PriceLevel best = book.bids().level(0);
        assertEquals(1, best.firstOrder().orderId());
        assertEquals(2, best.firstOrder().next().orderId());
        assertNull(best.firstOrder().next().next());
        assertEquals(6, updates.size());
        assertFalse(book.isCrossed());
        assertFalse(book.isLocked());
    }

    @Test
    void replaceUnderNewIdLosesPriorityAndMovesLevel()
    {
        standardBook();
        messages.modify(ID, 1, 11, Side.NONE, 99_9900, 120);
        final OrderBook book = apply();
        // order 1 (100 @ 100.00) leaves; order 11 joins 99.99 behind order 3, side kept (BUY)
        assertSide(book.bids(), 100_0000, 50, 1, 99_9900, 320, 2);
        assertNull(book.order(1));
        assertEquals(BUY, book.order(11).side());
        assertEquals(3, book.bids().level(1).firstOrder().orderId());
        assertEquals(11, book.bids().level(1).firstOrder().next().orderId());
    }

    @Test
    void replaceSameIdSmallerKeepsPriorityLargerLosesIt()
    {
        standardBook();
        messages.modify(ID, 1, 1, BUY, 100_0000, 60);
        OrderBook book = apply();
        assertSide(book.bids(), 100_0000, 110, 2, 99_9900, 200, 1);
        assertEquals(1, book.bids().level(0).firstOrder().orderId());

        messages.modify(ID, 1, 1, BUY, 100_0000, 500);
        book = apply();
        assertSide(book.bids(), 100_0000, 550, 2, 99_9900, 200, 1);
        assertEquals(2, book.bids().level(0).firstOrder().orderId(), "grown order goes to the back");
    }

    @Test
    void partialAndFullExecutionsAndLastTrade()
    {
        standardBook();
        messages.execute(ID, 4, 100, Long.MIN_VALUE);
        OrderBook book = apply();
        assertSide(book.asks(), 100_0100, 220, 2, 100_0200, 10, 1);
        assertEquals(200, book.order(4).quantity());
        assertEquals(100_0100, book.lastTradePrice());
        assertEquals(100, book.lastTradeQuantity());

        messages.execute(ID, 4, 200, 100_0050);
        book = apply();
        assertSide(book.asks(), 100_0100, 20, 1, 100_0200, 10, 1);
        assertNull(book.order(4));
        assertEquals(100_0050, book.lastTradePrice());
        assertEquals(2, book.tradeCount());
        assertEquals(300, book.tradedVolume());
        assertEquals(List.of("100@1000100", "200@1000050"), trades);
    }

    @Test
    void partialCancelAndDeleteRemoveEmptyLevels()
    {
        standardBook();
        messages.cancel(ID, 3, 50).delete(ID, 5).cancel(ID, 1, 100);
        final OrderBook book = apply();
        assertSide(book.bids(), 100_0000, 50, 1, 99_9900, 150, 1);
        assertSide(book.asks(), 100_0100, 320, 2);
        assertNull(book.order(1), "cancelling all of an order deletes it");
        assertEquals(4, book.orderCount());
    }

    @Test
    void unknownOrdersAreCountedNotThrown()
    {
        standardBook();
        final int before = messages.count();
        messages.cancel(ID, 99, 10).delete(ID, 98).execute(ID, 97, 5, Long.MIN_VALUE)
            .modify(ID, 96, 95, BUY, 100_0000, 5);
        final OrderBook book = apply();
        assertEquals(4, book.unknownOrderCount());
        assertEquals(4, books.unknownReferenceCount());
        assertSide(book.bids(), 100_0000, 150, 2, 99_9900, 200, 1);
        assertEquals(before, updates.size(), "ignored updates are not reported as book changes");
        assertTrue(trades.isEmpty());
    }

    @Test
    void duplicateAddReplacesAndIsCounted()
    {
        standardBook();
        messages.add(ID, 3, SELL, 100_0300, 7);
        final OrderBook book = apply();
        assertEquals(1, book.duplicateOrderCount());
        assertSide(book.bids(), 100_0000, 150, 2);
        assertSide(book.asks(), 100_0100, 320, 2, 100_0200, 10, 1, 100_0300, 7, 1);
    }

    @Test
    void lockedAndCrossedBooksAreCountedOncePerTransition()
    {
        standardBook();
        messages.add(ID, 20, BUY, 100_0100, 5);   // bid = ask: locked
        OrderBook book = apply();
        assertTrue(book.isLocked());
        assertEquals(1, book.lockedCount());
        messages.add(ID, 21, BUY, 100_0150, 5);   // bid above ask: crossed
        messages.add(ID, 22, BUY, 100_0160, 5);   // still crossed, no new count
        book = apply();
        assertTrue(book.isCrossed());
        assertFalse(book.isLocked());
        assertEquals(1, book.crossedCount());
        // deleting 21 leaves 100.0160 (crossed), deleting 22 leaves 100.0100 = ask (locked again), then 20: clear
        messages.delete(ID, 21).delete(ID, 22).delete(ID, 20);
        book = apply();
        assertFalse(book.isCrossed());
        assertFalse(book.isLocked());
        assertEquals(2, book.lockedCount());
        assertEquals(1, book.crossedCount());
        assertEquals(3, books.crossedOrLockedCount());
        assertSide(book.bids(), 100_0000, 150, 2, 99_9900, 200, 1);
    }

    @Test
    void priceLevelUpdatesNewChangeDeleteOverlay()
    {
        messages.level(ID, BUY, LevelAction.NEW, 1, 500_00, 10, 1)
            .level(ID, BUY, LevelAction.NEW, 1, 500_25, 20, 2)     // better bid inserted at level 1
            .level(ID, BUY, LevelAction.NEW, 3, 499_75, 30, 3)
            .level(ID, SELL, LevelAction.NEW, 1, 500_50, 40, 4)
            .level(ID, BUY, LevelAction.CHANGE, 2, 500_00, 15, 2)
            .level(ID, BUY, LevelAction.DELETE, 3, 499_75, 0, 0);
        OrderBook book = apply();
        assertSide(book.bids(), 500_25, 20, 2, 500_00, 15, 2);
        assertSide(book.asks(), 500_50, 40, 4);

        // overlay level 2 (500.00) with 500.10; quantity 0 on NEW / CHANGE deletes the level
        messages.level(ID, BUY, LevelAction.OVERLAY, 2, 500_10, 11, 1)
            .level(ID, SELL, LevelAction.CHANGE, 1, 500_50, 0, 0);
        book = apply();
        assertSide(book.bids(), 500_25, 20, 2, 500_10, 11, 1);
        assertSide(book.asks());

        messages.level(ID, SELL, LevelAction.DELETE, 1, 600_00, 0, 0)   // no such level
            .level(ID, SELL, LevelAction.CHANGE, 1, 501_00, 5, 1);     // change of an absent level creates it
        book = apply();
        assertEquals(2, book.unknownLevelCount());
        assertSide(book.asks(), 501_00, 5, 1);
    }

    @Test
    void snapshotReplacesTheBookAndIsScaledToTheBookExponent()
    {
        messages.definition(ID, "ABC", -4);
        standardBook();
        // snapshot at exponent -2: 100.01 -> 10001 -> 1000100 at -4
        messages.snapshot(ID, -2, new long[][]{
            {'B', 100_00, 7, 1}, {'B', 99_98, 8, 2}, {'S', 100_01, 9, 3}, {'S', 100_05, 0, 0}});
        final OrderBook book = apply();
        assertEquals("ABC", book.symbol());
        assertSide(book.bids(), 100_0000, 7, 1, 99_9800, 8, 2);
        assertSide(book.asks(), 100_0100, 9, 3);
        assertEquals(0, book.orderCount(), "orders of the old book are gone");
        assertNull(book.order(1));
    }

    @Test
    void pricesAtAnotherExponentAreScaledOrCounted()
    {
        messages.definition(ID, "XYZ", -4);
        messages.exponent(-2).add(ID, 1, BUY, 100_00, 10);          // 100.00 at -2 = 1000000 at -4
        messages.exponent(-6).add(ID, 2, BUY, 99_990000, 10);       // 99.99 at -6 = 999900 at -4
        messages.exponent(-6).add(ID, 3, BUY, 99_990001, 10);       // not representable at -4
        final OrderBook book = apply();
        assertSide(book.bids(), 100_0000, 10, 1, 99_9900, 10, 1);
        assertEquals(1, book.priceScaleErrorCount());
        assertEquals(1, book.invalidCount());
    }

    @Test
    void topOfBookQuoteMakesATopOnlyBook()
    {
        messages.quote(ID, 20_1000, 300, 20_1100, 400).quote(ID, 20_1050, 100, 0, 0);
        final OrderBook book = apply();
        assertSide(book.bids(), 20_1050, 100, -1);
        assertSide(book.asks());
        assertFalse(book.isTwoSided());
    }

    @Test
    void tradesSetLastTradeWithoutTouchingTheBook()
    {
        standardBook();
        messages.trade(ID, 100_0075, 33);
        final OrderBook book = apply();
        assertEquals(100_0075, book.lastTradePrice());
        assertEquals(33, book.lastTradeQuantity());
        assertSide(book.asks(), 100_0100, 320, 2, 100_0200, 10, 1);
    }

    @Test
    void invalidDirectCallsAreCounted()
    {
        final OrderBook book = new OrderBook(1, 2);
        assertFalse(book.add(1, Side.NONE, 100, 10));
        assertFalse(book.add(2, BUY, 100, 0));
        assertFalse(book.add(3, BUY, OrderBook.NULL_PRICE, 10));
        assertTrue(book.add(4, BUY, 100, 10));
        assertFalse(book.cancel(4, 0));
        assertEquals(4, book.invalidCount());
        assertEquals(1, book.orderCount());
        assertSame(book.bids(), book.side(BUY));
        assertNull(book.side(Side.NONE));
    }

    @Test
    void booksAreKeptPerFeedAndInstrument()
    {
        messages.add(ID, 1, BUY, 100, 1).feed(2).add(ID, 1, SELL, 200, 2).add(ID + 1, 1, SELL, 300, 3);
        apply();
        assertEquals(3, books.size());
        assertEquals(100, books.book(1, ID).bestBidPrice());
        assertEquals(200, books.book(2, ID).bestAskPrice());
        assertEquals(300, books.book(2, ID + 1).bestAskPrice());
        assertNull(books.book(1, ID + 1));
    }
}
