/**
 * What a strategy or feed handler links: {@link io.tickbus.client.BusPublisher} and
 * {@link io.tickbus.client.BusSubscriber} by channel and stream id, the {@link io.tickbus.client.MarketDataListener}
 * callbacks, the {@link io.tickbus.client.CommonBlock} every message starts with, and the instrument directory and
 * filter.
 */
package io.tickbus.client;
