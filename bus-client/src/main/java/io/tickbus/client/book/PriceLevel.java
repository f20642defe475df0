package io.tickbus.client.book;

/**
 * One aggregated price level: price mantissa (at the book's exponent), total quantity, number of orders, and for a
 * market-by-order book the orders in time priority.
 * <p>
 * Threading: owned by the book's thread. Pooled by the book: valid only until the next update of its book, never
 * to be kept.
 */
public final class PriceLevel
{
    long price;
    long quantity;
    int orderCount;
    Order head;
    Order tail;

    PriceLevel()
    {
    }

    /** @return price mantissa at the book's exponent. */
    public long price()
    {
        return price;
    }

    /** @return total quantity at the level. */
    public long quantity()
    {
        return quantity;
    }

    /** @return orders at the level (as the venue said for a market-by-price book, -1 when it did not say). */
    public int orderCount()
    {
        return orderCount;
    }

    /** @return the first order in time priority, or null for a market-by-price level. */
    public Order firstOrder()
    {
        return head;
    }

    void append(final Order order)
    {
        order.level = this;
        order.next = null;
        order.prev = tail;
        if (null == tail)
        {
            head = order;
        }
        else
        {
            tail.next = order;
        }
        tail = order;
        orderCount++;
        quantity += order.quantity;
    }

    void unlink(final Order order)
    {
        if (null == order.prev)
        {
            head = order.next;
        }
        else
        {
            order.prev.next = order.next;
        }
        if (null == order.next)
        {
            tail = order.prev;
        }
        else
        {
            order.next.prev = order.prev;
        }
        order.prev = null;
        order.next = null;
        order.level = null;
        orderCount--;
        quantity -= order.quantity;
    }

    void reset()
    {
        price = 0;
        quantity = 0;
        orderCount = 0;
        head = null;
        tail = null;
    }

    /** {@inheritDoc} */
    public String toString()
    {
        return "PriceLevel{price=" + price + ", quantity=" + quantity + ", orders=" + orderCount + '}';
    }
}
