package io.tickbus.client.book;

import io.tickbus.sbe.Side;

/**
 * One resting order of a market-by-order book: id, side, price mantissa (at the book's exponent), open quantity,
 * linked in time priority within its {@link PriceLevel}.
 * <p>
 * Threading: owned by the book's thread. Pooled by the book: valid only until the next update of its book, never
 * to be kept.
 */
public final class Order
{
    long orderId;
    Side side;
    long price;
    long quantity;
    PriceLevel level;
    Order prev;
    Order next;

    Order()
    {
    }

    /** @return the venue's order id. */
    public long orderId()
    {
        return orderId;
    }

    /** @return BUY or SELL. */
    public Side side()
    {
        return side;
    }

    /** @return price mantissa at the book's exponent. */
    public long price()
    {
        return price;
    }

    /** @return open quantity. */
    public long quantity()
    {
        return quantity;
    }

    /** @return the next order at the same level in time priority, or null. */
    public Order next()
    {
        return next;
    }

    void reset()
    {
        orderId = 0;
        side = null;
        price = 0;
        quantity = 0;
        level = null;
        prev = null;
        next = null;
    }

    /** {@inheritDoc} */
    public String toString()
    {
        return "Order{id=" + orderId + ", side=" + side + ", price=" + price + ", quantity=" + quantity + '}';
    }
}
