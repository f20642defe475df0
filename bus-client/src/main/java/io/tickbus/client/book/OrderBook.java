package io.tickbus.client.book;

import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.Side;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The order book of one instrument: resting orders by id (market by order), aggregated price levels per side sorted
 * best first, top of book, depth N and the last trade. Fed by {@link OrderBooks} from bus messages, or directly
 * through the update methods (prices as mantissas at the book's exponent).
 * <p>
 * Bad references never throw: an update naming an unknown order, a duplicate order id, an invalid side or quantity,
 * a price that cannot be scaled to the book's exponent are counted and skipped. A book that becomes crossed (best
 * bid above best ask) or locked (equal) is counted once per transition; {@link #isCrossed()} and
 * {@link #isLocked()} give the current state.
 * <p>
 * A book is fed either market by order (add / modify / cancel / execute) or market by price (level updates,
 * snapshots, top-of-book quotes); a level update or quote on a level holding orders drops those orders.
 * <p>
 * Threading: one thread. Allocation: none in steady state; orders and levels come from pools, the order map and
 * level arrays are pre-sized and grow (allocate) only beyond any size seen before.
 */
public final class OrderBook
{
    /** Price returned when a side or level is absent. */
    public static final long NULL_PRICE = Long.MIN_VALUE;
    /** Exponent of a book that has seen neither a definition nor a price yet. */
    public static final int UNSET_EXPONENT = Integer.MIN_VALUE;

    private static final long[] POWERS_OF_TEN = new long[19];

    static
    {
        long value = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++)
        {
            POWERS_OF_TEN[i] = value;
            value *= 10;
        }
    }

    private final int feedId;
    private final int instrumentId;
    private final BookSide bids;
    private final BookSide asks;
    private final Long2ObjectHashMap<Order> orders;
    private final Pool<Order> orderPool;
    private final Pool<PriceLevel> levelPool;
    private final BookCounters counters;
    private String symbol;
    private int priceExponent = UNSET_EXPONENT;

    private long lastTradePrice = NULL_PRICE;
    private long lastTradeQuantity;
    private long lastTradeTime;
    private long tradeCount;
    private long tradedVolume;
    private long lastUpdateTime;

    private boolean crossed;
    private boolean locked;
    private long updateCount;
    private long unknownOrderCount;
    private long duplicateOrderCount;
    private long unknownLevelCount;
    private long invalidCount;
    private long priceScaleErrorCount;
    private long crossedCount;
    private long lockedCount;

    /**
     * A standalone book with its own pools.
     *
     * @param feedId feed of the instrument.
     * @param instrumentId the instrument.
     */
    public OrderBook(final int feedId, final int instrumentId)
    {
        this(feedId, instrumentId, 1024, 64,
            new Pool<>(Order::new, 1024), new Pool<>(PriceLevel::new, 128), BookCounters.NONE);
    }

    OrderBook(
        final int feedId,
        final int instrumentId,
        final int initialOrders,
        final int initialLevelsPerSide,
        final Pool<Order> orderPool,
        final Pool<PriceLevel> levelPool,
        final BookCounters counters)
    {
        this.counters = counters;
        this.feedId = feedId;
        this.instrumentId = instrumentId;
        this.orderPool = orderPool;
        this.levelPool = levelPool;
        this.orders = new Long2ObjectHashMap<>(Math.max(initialOrders, 8), 0.65f);
        this.bids = new BookSide(Side.BUY, initialLevelsPerSide);
        this.asks = new BookSide(Side.SELL, initialLevelsPerSide);
    }

    /** @return feed id of the instrument. */
    public int feedId()
    {
        return feedId;
    }

    /** @return instrument id within the feed. */
    public int instrumentId()
    {
        return instrumentId;
    }

    /** @return symbol from the instrument definition, or null when none was seen. */
    public String symbol()
    {
        return symbol;
    }

    void symbol(final String symbol)
    {
        this.symbol = symbol;
    }

    /** @return exponent of every price mantissa in this book, or {@link #UNSET_EXPONENT}. */
    public int priceExponent()
    {
        return priceExponent;
    }

    /**
     * Set the book's exponent (from an instrument definition). Ignored, and counted as a scale error, once the book
     * holds prices at another exponent.
     *
     * @param exponent the exponent.
     */
    public void priceExponent(final int exponent)
    {
        if (priceExponent == UNSET_EXPONENT || (bids.isEmpty() && asks.isEmpty() && lastTradePrice == NULL_PRICE))
        {
            priceExponent = exponent;
        }
        else if (priceExponent != exponent)
        {
            priceScaleErrorCount++;
            counters.onInvalid();
        }
    }

    /**
     * Convert a Decimal64 price to a mantissa at the book's exponent; the first price seen fixes the exponent when
     * no definition did.
     *
     * @param mantissa the price mantissa.
     * @param exponent its exponent.
     * @return the mantissa at the book's exponent, or {@link #NULL_PRICE} (counted) when it cannot be represented
     * exactly.
     */
    public long scalePrice(final long mantissa, final int exponent)
    {
        if (priceExponent == UNSET_EXPONENT)
        {
            priceExponent = exponent;
            return mantissa;
        }
        if (exponent == priceExponent)
        {
            return mantissa;
        }
        final int diff = exponent - priceExponent;
        if (diff > 0 && diff < POWERS_OF_TEN.length)
        {
            final long scaled = mantissa * POWERS_OF_TEN[diff];
            if (scaled / POWERS_OF_TEN[diff] == mantissa)
            {
                return scaled;
            }
        }
        else if (diff < 0 && -diff < POWERS_OF_TEN.length)
        {
            final long divisor = POWERS_OF_TEN[-diff];
            if (mantissa % divisor == 0)
            {
                return mantissa / divisor;
            }
        }
        priceScaleErrorCount++;
        counters.onInvalid();
        return NULL_PRICE;
    }

    /** @return the bid side. */
    public BookSide bids()
    {
        return bids;
    }

    /** @return the ask side. */
    public BookSide asks()
    {
        return asks;
    }

    /**
     * @param side BUY or SELL.
     * @return that side of the book, or null for another value.
     */
    public BookSide side(final Side side)
    {
        return side == Side.BUY ? bids : side == Side.SELL ? asks : null;
    }

    /** @return best bid price, or {@link #NULL_PRICE}. */
    public long bestBidPrice()
    {
        return bids.priceAt(0);
    }

    /** @return quantity at the best bid, or 0. */
    public long bestBidQuantity()
    {
        return bids.quantityAt(0);
    }

    /** @return best ask price, or {@link #NULL_PRICE}. */
    public long bestAskPrice()
    {
        return asks.priceAt(0);
    }

    /** @return quantity at the best ask, or 0. */
    public long bestAskQuantity()
    {
        return asks.quantityAt(0);
    }

    /** @return true when both sides have a level. */
    public boolean isTwoSided()
    {
        return !bids.isEmpty() && !asks.isEmpty();
    }

    /**
     * @param orderId an order id.
     * @return the resting order, or null (valid only until the next update).
     */
    public Order order(final long orderId)
    {
        return orders.get(orderId);
    }

    /** @return resting orders (market by order). */
    public int orderCount()
    {
        return orders.size();
    }

    /** @return price of the last trade or printable execution, or {@link #NULL_PRICE}. */
    public long lastTradePrice()
    {
        return lastTradePrice;
    }

    /** @return quantity of the last trade, 0 when none. */
    public long lastTradeQuantity()
    {
        return lastTradeQuantity;
    }

    /** @return exchange time of the last trade, 0 when none. */
    public long lastTradeTime()
    {
        return lastTradeTime;
    }

    /** @return trades and printable executions seen. */
    public long tradeCount()
    {
        return tradeCount;
    }

    /** @return total traded quantity seen. */
    public long tradedVolume()
    {
        return tradedVolume;
    }

    /** @return exchange time of the last message applied (as given to the update methods). */
    public long lastUpdateTime()
    {
        return lastUpdateTime;
    }

    /** @param exchangeTime exchange time of the message being applied. */
    public void lastUpdateTime(final long exchangeTime)
    {
        lastUpdateTime = exchangeTime;
    }

    /** @return true when the best bid is above the best ask. */
    public boolean isCrossed()
    {
        return crossed;
    }

    /** @return true when the best bid equals the best ask. */
    public boolean isLocked()
    {
        return locked;
    }

    /** @return updates applied (ignored ones not included). */
    public long updateCount()
    {
        return updateCount;
    }

    /** @return modify, cancel and execute messages naming an order the book does not hold. */
    public long unknownOrderCount()
    {
        return unknownOrderCount;
    }

    /** @return adds (or replaces) reusing the id of a resting order; the old order is dropped. */
    public long duplicateOrderCount()
    {
        return duplicateOrderCount;
    }

    /** @return level deletes naming a price with no level, and changes creating one. */
    public long unknownLevelCount()
    {
        return unknownLevelCount;
    }

    /** @return updates skipped for a bad side, quantity or price. */
    public long invalidCount()
    {
        return invalidCount;
    }

    /** @return prices or exponents that could not be represented at the book's exponent. */
    public long priceScaleErrorCount()
    {
        return priceScaleErrorCount;
    }

    /** @return times the book became crossed. */
    public long crossedCount()
    {
        return crossedCount;
    }

    /** @return times the book became locked. */
    public long lockedCount()
    {
        return lockedCount;
    }

    /**
     * Add a resting order at the back of its price level.
     *
     * @param orderId order id; a resting order with the same id is dropped and counted as a duplicate.
     * @param side BUY or SELL.
     * @param price price mantissa at the book's exponent.
     * @param quantity quantity, more than 0.
     * @return true when applied.
     */
    public boolean add(final long orderId, final Side side, final long price, final long quantity)
    {
        if (!isTradingSide(side) || quantity <= 0 || price == NULL_PRICE)
        {
            invalidCount++;
            counters.onInvalid();
            return false;
        }
        final Order existing = orders.get(orderId);
        if (null != existing)
        {
            duplicateOrderCount++;
            counters.onInvalid();
            removeOrder(existing);
        }
        insert(orderId, side, price, quantity);
        afterUpdate();
        return true;
    }

    /**
     * Replace an order's price and quantity, possibly under a new id. It keeps its time priority only when the id,
     * side and price are unchanged and the quantity does not grow; otherwise it goes to the back of its new level.
     * A quantity of 0 deletes the order.
     *
     * @param orderId the order being replaced.
     * @param newOrderId its id afterwards (equal to orderId when unchanged).
     * @param side BUY or SELL, or NONE to keep the order's side.
     * @param price new price mantissa at the book's exponent.
     * @param quantity new open quantity.
     * @return true when applied.
     */
    public boolean modify(
        final long orderId, final long newOrderId, final Side side, final long price, final long quantity)
    {
        final Order order = orders.get(orderId);
        if (null == order)
        {
            unknownOrderCount++;
            counters.onUnknownReference();
            return false;
        }
        if (price == NULL_PRICE || quantity < 0)
        {
            invalidCount++;
            counters.onInvalid();
            return false;
        }
        final Side newSide = isTradingSide(side) ? side : order.side;
        if (0 == quantity)
        {
            removeOrder(order);
        }
        else if (newOrderId == orderId && newSide == order.side && price == order.price &&
            quantity <= order.quantity)
        {
            order.level.quantity -= order.quantity - quantity;
            order.quantity = quantity;
        }
        else
        {
            removeOrder(order);
            if (newOrderId != orderId)
            {
                final Order existing = orders.get(newOrderId);
                if (null != existing)
                {
                    duplicateOrderCount++;
                    counters.onInvalid();
                    removeOrder(existing);
                }
            }
            insert(newOrderId, newSide, price, quantity);
        }
        afterUpdate();
        return true;
    }

    /**
     * Cancel part of an order; cancelling all of it or more deletes it.
     *
     * @param orderId the order.
     * @param cancelledQuantity quantity cancelled, more than 0.
     * @return true when applied.
     */
    public boolean cancel(final long orderId, final long cancelledQuantity)
    {
        final Order order = orders.get(orderId);
        if (null == order)
        {
            unknownOrderCount++;
            counters.onUnknownReference();
            return false;
        }
        if (cancelledQuantity <= 0)
        {
            invalidCount++;
            counters.onInvalid();
            return false;
        }
        reduce(order, cancelledQuantity);
        afterUpdate();
        return true;
    }

    /**
     * Delete an order whatever its open quantity.
     *
     * @param orderId the order.
     * @return true when applied.
     */
    public boolean delete(final long orderId)
    {
        final Order order = orders.get(orderId);
        if (null == order)
        {
            unknownOrderCount++;
            counters.onUnknownReference();
            return false;
        }
        removeOrder(order);
        afterUpdate();
        return true;
    }

    /**
     * Execute part or all of a resting order.
     *
     * @param orderId the order.
     * @param executedQuantity quantity executed, more than 0.
     * @param price execution price mantissa, or {@link #NULL_PRICE} for the order's own price.
     * @param printable true when the execution prints as a trade (sets the last trade).
     * @param exchangeTime time of the execution.
     * @return true when applied.
     */
    public boolean execute(
        final long orderId,
        final long executedQuantity,
        final long price,
        final boolean printable,
        final long exchangeTime)
    {
        final Order order = orders.get(orderId);
        if (null == order)
        {
            unknownOrderCount++;
            counters.onUnknownReference();
            return false;
        }
        if (executedQuantity <= 0)
        {
            invalidCount++;
            counters.onInvalid();
            return false;
        }
        final long tradePrice = price == NULL_PRICE ? order.price : price;
        final long tradeQuantity = Math.min(executedQuantity, order.quantity);
        reduce(order, executedQuantity);
        if (printable)
        {
            recordTrade(tradePrice, tradeQuantity, exchangeTime);
        }
        afterUpdate();
        return true;
    }

    /**
     * Apply a market-by-price update: the total quantity at one price level.
     *
     * @param side BUY or SELL.
     * @param action NEW or CHANGE set the level (quantity 0 deletes it), DELETE removes it, OVERLAY first removes
     * the level at the given depth when it has another price, then sets this one.
     * @param level 1-based depth given by the venue, 0 when none (used by OVERLAY only).
     * @param price price mantissa at the book's exponent.
     * @param quantity total quantity at the level.
     * @param orderCount orders at the level, -1 when unknown.
     * @return true when applied.
     */
    public boolean updateLevel(
        final Side side,
        final LevelAction action,
        final int level,
        final long price,
        final long quantity,
        final int orderCount)
    {
        final BookSide bookSide = side(side);
        if (null == bookSide || null == action || price == NULL_PRICE || quantity < 0)
        {
            invalidCount++;
            counters.onInvalid();
            return false;
        }
        switch (action)
        {
            case DELETE:
                deleteLevel(bookSide, price);
                break;

            case OVERLAY:
                if (level >= 1)
                {
                    final PriceLevel existing = bookSide.level(level - 1);
                    if (null != existing && existing.price != price)
                    {
                        removeLevel(bookSide, existing);
                    }
                }
                setLevel(bookSide, price, quantity, orderCount, false);
                break;

            case NEW:
                setLevel(bookSide, price, quantity, orderCount, false);
                break;

            case CHANGE:
                setLevel(bookSide, price, quantity, orderCount, true);
                break;

            default:
                invalidCount++;
                counters.onInvalid();
                return false;
        }
        afterUpdate();
        return true;
    }

    /**
     * Replace both sides by a single best level each (a top-of-book quote); a side with quantity 0 or a null price
     * becomes empty.
     *
     * @param bidPrice best bid mantissa.
     * @param bidQuantity best bid quantity.
     * @param askPrice best ask mantissa.
     * @param askQuantity best ask quantity.
     */
    public void quote(final long bidPrice, final long bidQuantity, final long askPrice, final long askQuantity)
    {
        clearSide(bids);
        clearSide(asks);
        if (bidQuantity > 0 && bidPrice != NULL_PRICE)
        {
            setLevel(bids, bidPrice, bidQuantity, -1, false);
        }
        if (askQuantity > 0 && askPrice != NULL_PRICE)
        {
            setLevel(asks, askPrice, askQuantity, -1, false);
        }
        afterUpdate();
    }

    /**
     * Remove every order and level (before loading a snapshot, or on a reset).
     */
    public void clear()
    {
        clearSide(bids);
        clearSide(asks);
        afterUpdate();
    }

    /**
     * Load one level of a book image (after {@link #clear()}); quantity 0 is skipped.
     *
     * @param side BUY or SELL.
     * @param price price mantissa at the book's exponent.
     * @param quantity total at the level.
     * @param orderCount orders at the level.
     * @return true when applied.
     */
    public boolean snapshotLevel(final Side side, final long price, final long quantity, final int orderCount)
    {
        final BookSide bookSide = side(side);
        if (null == bookSide || price == NULL_PRICE || quantity < 0)
        {
            invalidCount++;
            counters.onInvalid();
            return false;
        }
        if (quantity > 0)
        {
            setLevel(bookSide, price, quantity, orderCount, false);
        }
        afterUpdate();
        return true;
    }

    /**
     * Record a trade print (not changing the book).
     *
     * @param price price mantissa at the book's exponent.
     * @param quantity traded quantity.
     * @param exchangeTime time of the trade.
     */
    public void trade(final long price, final long quantity, final long exchangeTime)
    {
        if (price == NULL_PRICE || quantity < 0)
        {
            invalidCount++;
            counters.onInvalid();
            return;
        }
        recordTrade(price, quantity, exchangeTime);
    }

    /**
     * Append the top levels as text (cold path, for printing).
     *
     * @param sb destination.
     * @param depth levels per side.
     * @return sb.
     */
    public StringBuilder appendTo(final StringBuilder sb, final int depth)
    {
        sb.append(null == symbol ? String.valueOf(instrumentId) : symbol).append(" exp=").append(priceExponent);
        for (int i = 0; i < depth; i++)
        {
            sb.append("\n  ");
            appendLevel(sb, bids, i);
            sb.append(" | ");
            appendLevel(sb, asks, i);
        }
        return sb;
    }

    /** {@inheritDoc} */
    public String toString()
    {
        return appendTo(new StringBuilder(), 5).toString();
    }

    private static void appendLevel(final StringBuilder sb, final BookSide side, final int index)
    {
        if (index < side.depth())
        {
            sb.append(side.quantityAt(index)).append(" @ ").append(side.priceAt(index));
        }
        else
        {
            sb.append('-');
        }
    }

    private static boolean isTradingSide(final Side side)
    {
        return side == Side.BUY || side == Side.SELL;
    }

    private void insert(final long orderId, final Side side, final long price, final long quantity)
    {
        final Order order = orderPool.acquire();
        order.reset();
        order.orderId = orderId;
        order.side = side;
        order.price = price;
        order.quantity = quantity;
        side(side).getOrAdd(price, levelPool).append(order);
        orders.put(orderId, order);
    }

    private void reduce(final Order order, final long quantity)
    {
        if (quantity >= order.quantity)
        {
            removeOrder(order);
        }
        else
        {
            order.quantity -= quantity;
            order.level.quantity -= quantity;
        }
    }

    private void removeOrder(final Order order)
    {
        orders.remove(order.orderId);
        final PriceLevel level = order.level;
        level.unlink(order);
        if (null == level.head)
        {
            side(order.side).remove(level, levelPool);
        }
        order.reset();
        orderPool.release(order);
    }

    private void setLevel(
        final BookSide side, final long price, final long quantity, final int orderCount, final boolean mustExist)
    {
        if (0 == quantity)
        {
            deleteLevel(side, price);
            return;
        }
        PriceLevel level = side.find(price);
        if (null == level)
        {
            if (mustExist)
            {
                unknownLevelCount++;
                counters.onUnknownReference();
            }
            level = side.getOrAdd(price, levelPool);
        }
        else if (null != level.head)
        {
            releaseOrders(level);
        }
        level.quantity = quantity;
        level.orderCount = orderCount;
    }

    private void deleteLevel(final BookSide side, final long price)
    {
        final PriceLevel level = side.find(price);
        if (null == level)
        {
            unknownLevelCount++;
            counters.onUnknownReference();
        }
        else
        {
            removeLevel(side, level);
        }
    }

    private void removeLevel(final BookSide side, final PriceLevel level)
    {
        releaseOrders(level);
        side.remove(level, levelPool);
    }

    private void releaseOrders(final PriceLevel level)
    {
        Order order = level.head;
        while (null != order)
        {
            final Order next = order.next;
            orders.remove(order.orderId);
            order.reset();
            orderPool.release(order);
            order = next;
        }
        level.head = null;
        level.tail = null;
        level.orderCount = 0;
        level.quantity = 0;
    }

    private void clearSide(final BookSide side)
    {
        for (int i = 0, depth = side.depth(); i < depth; i++)
        {
            releaseOrders(side.stored(i));
        }
        side.clear(levelPool);
    }

    private void recordTrade(final long price, final long quantity, final long exchangeTime)
    {
        lastTradePrice = price;
        lastTradeQuantity = quantity;
        lastTradeTime = exchangeTime;
        tradeCount++;
        tradedVolume += quantity;
    }

    private void afterUpdate()
    {
        updateCount++;
        boolean crossedNow = false;
        boolean lockedNow = false;
        if (!bids.isEmpty() && !asks.isEmpty())
        {
            final long bid = bids.priceAt(0);
            final long ask = asks.priceAt(0);
            crossedNow = bid > ask;
            lockedNow = bid == ask;
        }
        if (crossedNow && !crossed)
        {
            crossedCount++;
            counters.onCrossedOrLocked();
        }
        if (lockedNow && !locked)
        {
            lockedCount++;
            counters.onCrossedOrLocked();
        }
        crossed = crossedNow;
        locked = lockedNow;
    }
}
