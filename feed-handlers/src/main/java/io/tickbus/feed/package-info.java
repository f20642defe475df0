/**
 * Feed handlers: venue wire formats in, normalized Tickbus SBE messages out. The venue-independent core lives
 * here ({@link io.tickbus.feed.PacketDecoder}, {@link io.tickbus.feed.FeedStats}, {@link io.tickbus.feed.MessageEncoders},
 * {@link io.tickbus.feed.InstrumentIds}, {@link io.tickbus.feed.Venues}, {@link io.tickbus.feed.FeedHandlerAgent});
 * one sub-package per venue format, {@code pcap} for capture files and {@code sim} for the exchange simulator.
 */
package io.tickbus.feed;
