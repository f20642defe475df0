package io.tickbus.tools;

import io.tickbus.client.book.BookListener;
import io.tickbus.client.book.OrderBook;
import io.tickbus.client.book.OrderBooks;
import io.tickbus.client.strategy.Strategy;
import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.BookSnapshotDecoder;
import io.tickbus.sbe.CancelOrderDecoder;
import io.tickbus.sbe.ExecuteOrderDecoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.ModifyOrderDecoder;
import io.tickbus.sbe.PriceLevelUpdateDecoder;
import io.tickbus.sbe.TopOfBookDecoder;
import io.tickbus.sbe.TradeDecoder;

/**
 * A test strategy that keeps books and counts the book updates it sees on a book without a symbol (what a strategy
 * printing {@code book.symbol()} would trip over), printed by {@link #summary()}.
 */
public final class SymbolCheckStrategy implements Strategy, BookListener
{
    private final OrderBooks books = new OrderBooks(new OrderBooks.Context().listener(this));
    private long updates;
    private long updatesWithoutSymbol;

    public void onBookUpdate(final OrderBook book, final int templateId)
    {
        updates++;
        if (null == book.symbol())
        {
            updatesWithoutSymbol++;
        }
    }

    public void onInstrumentDefinition(final InstrumentDefinitionDecoder msg)
    {
        books.onInstrumentDefinition(msg);
    }

    public void onAddOrder(final AddOrderDecoder msg)
    {
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
        books.onBookSnapshot(msg);
    }

    /** @return the counts as JSON. */
    public String summary()
    {
        return "{\"books\":" + books.size() + ",\"updates\":" + updates + ",\"updatesWithoutSymbol\":" +
            updatesWithoutSymbol + "}";
    }
}
