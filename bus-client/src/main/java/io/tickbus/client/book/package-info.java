/**
 * Order books built from bus messages: {@link io.tickbus.client.book.OrderBooks} (the builder, a
 * {@link io.tickbus.client.MarketDataListener}) keeps one {@link io.tickbus.client.book.OrderBook} per instrument
 * from market-by-order, market-by-price, snapshot and top-of-book messages, without allocating in steady state.
 */
package io.tickbus.client.book;
