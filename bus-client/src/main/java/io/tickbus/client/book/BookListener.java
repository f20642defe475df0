package io.tickbus.client.book;

/**
 * Told by {@link OrderBooks} after a message changed a book, and of every trade print, so that a strategy reacts to
 * the book state rather than to raw messages.
 * <p>
 * Threading: called on the thread feeding the books. The book and its levels are valid only during the call.
 */
@FunctionalInterface
public interface BookListener
{
    /**
     * A message was applied to a book.
     *
     * @param book the book after the update.
     * @param templateId template of the message that changed it.
     */
    void onBookUpdate(OrderBook book, int templateId);

    /**
     * A trade print or printable execution (called before {@link #onBookUpdate} for executions).
     *
     * @param book the instrument's book.
     * @param price price mantissa at the book's exponent.
     * @param quantity traded quantity.
     * @param exchangeTime exchange time of the trade.
     */
    default void onTrade(final OrderBook book, final long price, final long quantity, final long exchangeTime)
    {
    }
}
