package io.tickbus.client.book;

import io.tickbus.sbe.Side;

import java.util.Arrays;

/**
 * The price levels of one side of an {@link OrderBook}, sorted best first for readers. Stored worst first in a
 * primitive-keyed array so that changes near the top of the book, the common case, move few entries; lookups are
 * binary searches.
 * <p>
 * Threading: owned by the book's thread. Allocation: none in steady state; the arrays double when the side holds
 * more levels than ever before.
 */
public final class BookSide
{
    private final Side side;
    private final boolean isBid;
    private long[] keys;
    private PriceLevel[] levels;
    private int count;

    BookSide(final Side side, final int initialLevels)
    {
        this.side = side;
        this.isBid = side == Side.BUY;
        final int capacity = Math.max(initialLevels, 8);
        this.keys = new long[capacity];
        this.levels = new PriceLevel[capacity];
    }

    /** @return BUY or SELL. */
    public Side side()
    {
        return side;
    }

    /** @return number of price levels. */
    public int depth()
    {
        return count;
    }

    /** @return true when the side has no level. */
    public boolean isEmpty()
    {
        return 0 == count;
    }

    /**
     * @param index 0 for the best level.
     * @return the level, or null when the side is not that deep.
     */
    public PriceLevel level(final int index)
    {
        return index >= 0 && index < count ? levels[count - 1 - index] : null;
    }

    /**
     * @param index 0 for the best level.
     * @return its price mantissa, or {@link OrderBook#NULL_PRICE} when the side is not that deep.
     */
    public long priceAt(final int index)
    {
        return index >= 0 && index < count ? levels[count - 1 - index].price : OrderBook.NULL_PRICE;
    }

    /**
     * @param index 0 for the best level.
     * @return its total quantity, or 0 when the side is not that deep.
     */
    public long quantityAt(final int index)
    {
        return index >= 0 && index < count ? levels[count - 1 - index].quantity : 0;
    }

    /**
     * @param index 0 for the best level.
     * @return its order count, or 0 when the side is not that deep.
     */
    public int orderCountAt(final int index)
    {
        return index >= 0 && index < count ? levels[count - 1 - index].orderCount : 0;
    }

    /**
     * @param price a price mantissa.
     * @return the level at that price, or null.
     */
    public PriceLevel find(final long price)
    {
        final int index = search(key(price));
        return index >= 0 ? levels[index] : null;
    }

    /**
     * @param price a price mantissa.
     * @return 0-based depth of the level at that price (0 = best), or -1 when absent.
     */
    public int depthOf(final long price)
    {
        final int index = search(key(price));
        return index >= 0 ? count - 1 - index : -1;
    }

    PriceLevel getOrAdd(final long price, final Pool<PriceLevel> pool)
    {
        final long key = key(price);
        int index = search(key);
        if (index >= 0)
        {
            return levels[index];
        }
        index = -index - 1;
        if (count == levels.length)
        {
            keys = Arrays.copyOf(keys, count << 1);
            levels = Arrays.copyOf(levels, count << 1);
        }
        System.arraycopy(keys, index, keys, index + 1, count - index);
        System.arraycopy(levels, index, levels, index + 1, count - index);
        final PriceLevel level = pool.acquire();
        level.reset();
        level.price = price;
        keys[index] = key;
        levels[index] = level;
        count++;
        return level;
    }

    /**
     * Remove a level from the side (its orders must already be gone) and return it to the pool.
     */
    void remove(final PriceLevel level, final Pool<PriceLevel> pool)
    {
        final int index = search(key(level.price));
        if (index >= 0)
        {
            System.arraycopy(keys, index + 1, keys, index, count - index - 1);
            System.arraycopy(levels, index + 1, levels, index, count - index - 1);
            count--;
            levels[count] = null;
            level.reset();
            pool.release(level);
        }
    }

    /**
     * Remove every level, returning them to the pool; the caller releases their orders first.
     */
    void clear(final Pool<PriceLevel> pool)
    {
        for (int i = 0; i < count; i++)
        {
            levels[i].reset();
            pool.release(levels[i]);
            levels[i] = null;
        }
        count = 0;
    }

    /** Raw access for the book: index in storage order (0 = worst). */
    PriceLevel stored(final int storageIndex)
    {
        return levels[storageIndex];
    }

    private long key(final long price)
    {
        return isBid ? price : -price;
    }

    private int search(final long key)
    {
        int low = 0;
        int high = count - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final long midKey = keys[mid];
            if (midKey < key)
            {
                low = mid + 1;
            }
            else if (midKey > key)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -(low + 1);
    }
}
