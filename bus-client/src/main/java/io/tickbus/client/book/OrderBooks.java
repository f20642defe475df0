package io.tickbus.client.book;

import io.tickbus.client.InstrumentDirectory;
import io.tickbus.client.MarketDataListener;
import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.BookSnapshotDecoder;
import io.tickbus.sbe.CancelOrderDecoder;
import io.tickbus.sbe.CancelType;
import io.tickbus.sbe.CommonDecoder;
import io.tickbus.sbe.Decimal64Decoder;
import io.tickbus.sbe.ExecuteOrderDecoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.ModifyOrderDecoder;
import io.tickbus.sbe.PriceLevelUpdateDecoder;
import io.tickbus.sbe.TopOfBookDecoder;
import io.tickbus.sbe.TradeDecoder;
import io.tickbus.sbe.TradeType;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The book builder: a {@link MarketDataListener} that keeps one {@link OrderBook} per (feed id, instrument id) from
 * market-by-order messages (AddOrder, ModifyOrder, CancelOrder, ExecuteOrder: ITCH semantics), market-by-price
 * messages (PriceLevelUpdate: IEX DEEP, CME MDP3), BookSnapshot (replaces the book) and TopOfBook (a top-only book,
 * e.g. IEX TOPS), plus the last trade from Trade and printable executions. Prices are scaled to each book's exponent,
 * taken from the InstrumentDefinition, else from the first price seen.
 * <p>
 * Feed it from a {@link io.tickbus.client.BusSubscriber} or a {@link io.tickbus.client.MessageDispatcher}; an optional
 * {@link BookListener} hears every change.
 * <p>
 * Threading: one thread. Allocation: a book per new instrument (cold) and nothing per message in steady state:
 * orders and levels are pooled across books, maps pre-sized by the {@link Context}.
 */
public final class OrderBooks implements MarketDataListener
{
    /**
     * Sizing and counters of an {@link OrderBooks}.
     */
    public static final class Context
    {
        /** System property: initial order capacity of each book. */
        public static final String ORDERS_PER_BOOK_PROP_NAME = "tickbus.book.orders.per.book";
        /** Default initial order capacity of each book. */
        public static final int ORDERS_PER_BOOK_DEFAULT = 1024;
        /** System property: initial levels per side of each book. */
        public static final String LEVELS_PER_SIDE_PROP_NAME = "tickbus.book.levels.per.side";
        /** Default initial levels per side of each book. */
        public static final int LEVELS_PER_SIDE_DEFAULT = 64;
        /** System property: orders pre-allocated in the shared pool. */
        public static final String POOLED_ORDERS_PROP_NAME = "tickbus.book.pooled.orders";
        /** Default orders pre-allocated in the shared pool. */
        public static final int POOLED_ORDERS_DEFAULT = 4096;

        private int ordersPerBook = Integer.getInteger(ORDERS_PER_BOOK_PROP_NAME, ORDERS_PER_BOOK_DEFAULT);
        private int levelsPerSide = Integer.getInteger(LEVELS_PER_SIDE_PROP_NAME, LEVELS_PER_SIDE_DEFAULT);
        private int pooledOrders = Integer.getInteger(POOLED_ORDERS_PROP_NAME, POOLED_ORDERS_DEFAULT);
        private BookCounters counters;
        private BookListener listener;

        /**
         * @param ordersPerBook initial order capacity of each book.
         * @return this.
         */
        public Context ordersPerBook(final int ordersPerBook)
        {
            this.ordersPerBook = ordersPerBook;
            return this;
        }

        /** @return initial order capacity of each book. */
        public int ordersPerBook()
        {
            return ordersPerBook;
        }

        /**
         * @param levelsPerSide initial levels per side of each book.
         * @return this.
         */
        public Context levelsPerSide(final int levelsPerSide)
        {
            this.levelsPerSide = levelsPerSide;
            return this;
        }

        /** @return initial levels per side of each book. */
        public int levelsPerSide()
        {
            return levelsPerSide;
        }

        /**
         * @param pooledOrders orders pre-allocated in the shared pool.
         * @return this.
         */
        public Context pooledOrders(final int pooledOrders)
        {
            this.pooledOrders = pooledOrders;
            return this;
        }

        /** @return orders pre-allocated in the shared pool. */
        public int pooledOrders()
        {
            return pooledOrders;
        }

        /**
         * @param counters Aeron counters for anomalies, or null for none.
         * @return this.
         */
        public Context counters(final BookCounters counters)
        {
            this.counters = counters;
            return this;
        }

        /** @return counters for anomalies. */
        public BookCounters counters()
        {
            return counters;
        }

        /**
         * @param listener told of every book change, or null.
         * @return this.
         */
        public Context listener(final BookListener listener)
        {
            this.listener = listener;
            return this;
        }

        /** @return the listener, or null. */
        public BookListener listener()
        {
            return listener;
        }

        /**
         * Validate and fill defaults.
         *
         * @return this.
         */
        public Context conclude()
        {
            if (ordersPerBook < 1 || levelsPerSide < 1 || pooledOrders < 0)
            {
                throw new IllegalArgumentException("book sizes must be positive: ordersPerBook=" + ordersPerBook +
                    " levelsPerSide=" + levelsPerSide + " pooledOrders=" + pooledOrders);
            }
            if (null == counters)
            {
                counters = BookCounters.NONE;
            }
            return this;
        }
    }

    private static final BookListener NO_LISTENER = (book, templateId) -> {};

    private final Context ctx;
    private final Long2ObjectHashMap<OrderBook> books = new Long2ObjectHashMap<>(64, 0.65f);
    private final List<OrderBook> bookList = new ArrayList<>();
    private final Pool<Order> orderPool;
    private final Pool<PriceLevel> levelPool;
    private final BookListener listener;

    /** Books with default sizing, no counters and no listener. */
    public OrderBooks()
    {
        this(new Context());
    }

    /**
     * @param ctx sizing, counters, listener.
     */
    public OrderBooks(final Context ctx)
    {
        this.ctx = ctx.conclude();
        this.orderPool = new Pool<>(Order::new, ctx.pooledOrders());
        this.levelPool = new Pool<>(PriceLevel::new, Math.max(16, ctx.levelsPerSide() * 4));
        this.listener = null == ctx.listener() ? NO_LISTENER : ctx.listener();
    }

    /**
     * @param feedId feed id.
     * @param instrumentId instrument id.
     * @return the book, or null when nothing was seen for the instrument.
     */
    public OrderBook book(final int feedId, final int instrumentId)
    {
        return books.get(InstrumentDirectory.key(feedId, instrumentId));
    }

    /**
     * @param feedId feed id.
     * @param instrumentId instrument id.
     * @return the book, created empty when absent (allocates on first use).
     */
    public OrderBook bookOrCreate(final int feedId, final int instrumentId)
    {
        final long key = InstrumentDirectory.key(feedId, instrumentId);
        OrderBook book = books.get(key);
        if (null == book)
        {
            book = new OrderBook(
                feedId, instrumentId, ctx.ordersPerBook(), ctx.levelsPerSide(), orderPool, levelPool, ctx.counters());
            books.put(key, book);
            bookList.add(book);
        }
        return book;
    }

    /** @return every book, in order of creation (a view, do not modify). */
    public Collection<OrderBook> books()
    {
        return bookList;
    }

    /** @return number of books. */
    public int size()
    {
        return bookList.size();
    }

    /** @return unknown order and level references over all books. */
    public long unknownReferenceCount()
    {
        long total = 0;
        for (int i = 0, n = bookList.size(); i < n; i++)
        {
            total += bookList.get(i).unknownOrderCount() + bookList.get(i).unknownLevelCount();
        }
        return total;
    }

    /** @return times any book became crossed or locked. */
    public long crossedOrLockedCount()
    {
        long total = 0;
        for (int i = 0, n = bookList.size(); i < n; i++)
        {
            total += bookList.get(i).crossedCount() + bookList.get(i).lockedCount();
        }
        return total;
    }

    /** @return invalid updates, duplicate ids and unscalable prices over all books. */
    public long invalidCount()
    {
        long total = 0;
        for (int i = 0, n = bookList.size(); i < n; i++)
        {
            final OrderBook book = bookList.get(i);
            total += book.invalidCount() + book.duplicateOrderCount() + book.priceScaleErrorCount();
        }
        return total;
    }

    /** {@inheritDoc} */
    public void onInstrumentDefinition(final InstrumentDefinitionDecoder msg)
    {
        final CommonDecoder common = msg.common();
        final OrderBook book = bookOrCreate(common.feedId(), common.instrumentId());
        book.priceExponent(msg.priceExponent());
        book.symbol(InstrumentDirectory.symbolOf(msg));
    }

    /** {@inheritDoc} */
    public void onAddOrder(final AddOrderDecoder msg)
    {
        final CommonDecoder common = msg.common();
        final OrderBook book = bookOrCreate(common.feedId(), common.instrumentId());
        final Decimal64Decoder price = msg.price();
        if (book.add(msg.orderId(), msg.side(), book.scalePrice(price.mantissa(), price.exponent()), msg.quantity()))
        {
            updated(book, common, AddOrderDecoder.TEMPLATE_ID);
        }
    }

    /** {@inheritDoc} */
    public void onModifyOrder(final ModifyOrderDecoder msg)
    {
        final CommonDecoder common = msg.common();
        final OrderBook book = bookOrCreate(common.feedId(), common.instrumentId());
        final Decimal64Decoder price = msg.price();
        if (book.modify(
            msg.orderId(),
            msg.newOrderId(),
            msg.side(),
            book.scalePrice(price.mantissa(), price.exponent()),
            msg.quantity()))
        {
            updated(book, common, ModifyOrderDecoder.TEMPLATE_ID);
        }
    }

    /** {@inheritDoc} */
    public void onCancelOrder(final CancelOrderDecoder msg)
    {
        final CommonDecoder common = msg.common();
        final OrderBook book = bookOrCreate(common.feedId(), common.instrumentId());
        final boolean applied = msg.cancelType() == CancelType.PARTIAL ?
            book.cancel(msg.orderId(), msg.cancelledQuantity()) : book.delete(msg.orderId());
        if (applied)
        {
            updated(book, common, CancelOrderDecoder.TEMPLATE_ID);
        }
    }

    /** {@inheritDoc} */
    public void onExecuteOrder(final ExecuteOrderDecoder msg)
    {
        final CommonDecoder common = msg.common();
        final OrderBook book = bookOrCreate(common.feedId(), common.instrumentId());
        final Decimal64Decoder priceDecoder = msg.price();
        final long mantissa = priceDecoder.mantissa();
        final long orderId = msg.orderId();
        final Order order = book.order(orderId);
        final long price = mantissa == Long.MIN_VALUE ?
            (null == order ? OrderBook.NULL_PRICE : order.price()) : book.scalePrice(mantissa, priceDecoder.exponent());
        final long quantity = null == order ? 0 : Math.min(order.quantity(), msg.executedQuantity());
        final boolean printable = 0 != msg.printable();
        final long exchangeTime = common.exchangeTime();
        if (book.execute(orderId, msg.executedQuantity(), price, printable, exchangeTime))
        {
            if (printable)
            {
                listener.onTrade(book, price, quantity, exchangeTime);
            }
            updated(book, common, ExecuteOrderDecoder.TEMPLATE_ID);
        }
    }

    /** {@inheritDoc} */
    public void onPriceLevelUpdate(final PriceLevelUpdateDecoder msg)
    {
        final CommonDecoder common = msg.common();
        final OrderBook book = bookOrCreate(common.feedId(), common.instrumentId());
        final Decimal64Decoder price = msg.price();
        if (book.updateLevel(
            msg.side(),
            msg.action(),
            msg.level(),
            book.scalePrice(price.mantissa(), price.exponent()),
            msg.quantity(),
            msg.orderCount()))
        {
            updated(book, common, PriceLevelUpdateDecoder.TEMPLATE_ID);
        }
    }

    /** {@inheritDoc} */
    public void onTrade(final TradeDecoder msg)
    {
        final TradeType type = msg.tradeType();
        if (type == TradeType.BROKEN || type == TradeType.OFFICIAL_PRICE)
        {
            return;
        }
        final CommonDecoder common = msg.common();
        final OrderBook book = bookOrCreate(common.feedId(), common.instrumentId());
        final Decimal64Decoder priceDecoder = msg.price();
        final long price = book.scalePrice(priceDecoder.mantissa(), priceDecoder.exponent());
        final long tradesBefore = book.tradeCount();
        book.trade(price, msg.quantity(), common.exchangeTime());
        if (book.tradeCount() != tradesBefore)
        {
            listener.onTrade(book, price, msg.quantity(), common.exchangeTime());
        }
    }

    /** {@inheritDoc} */
    public void onTopOfBook(final TopOfBookDecoder msg)
    {
        final CommonDecoder common = msg.common();
        final OrderBook book = bookOrCreate(common.feedId(), common.instrumentId());
        final Decimal64Decoder bid = msg.bidPrice();
        final long bidQuantity = msg.bidQuantity();
        final long bidPrice = bidQuantity > 0 ? book.scalePrice(bid.mantissa(), bid.exponent()) : OrderBook.NULL_PRICE;
        final Decimal64Decoder ask = msg.askPrice();
        final long askQuantity = msg.askQuantity();
        final long askPrice = askQuantity > 0 ? book.scalePrice(ask.mantissa(), ask.exponent()) : OrderBook.NULL_PRICE;
        book.quote(bidPrice, bidQuantity, askPrice, askQuantity);
        updated(book, common, TopOfBookDecoder.TEMPLATE_ID);
    }

    /** {@inheritDoc} */
    public void onBookSnapshot(final BookSnapshotDecoder msg)
    {
        final CommonDecoder common = msg.common();
        final OrderBook book = bookOrCreate(common.feedId(), common.instrumentId());
        final int exponent = msg.priceExponent();
        book.clear();
        for (final BookSnapshotDecoder.LevelsDecoder level : msg.levels())
        {
            book.snapshotLevel(
                level.side(), book.scalePrice(level.price(), exponent), level.quantity(), level.orderCount());
        }
        updated(book, common, BookSnapshotDecoder.TEMPLATE_ID);
    }

    private void updated(final OrderBook book, final CommonDecoder common, final int templateId)
    {
        book.lastUpdateTime(common.exchangeTime());
        listener.onBookUpdate(book, templateId);
    }
}
